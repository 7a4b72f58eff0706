"""Shortcode rules (GRV4xx): `[owl-carousel]` blocks as shortcode-core and Owl Carousel read them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from grav_tools.context import PageContext
from grav_tools.problems import Finding, Severity
from grav_tools.rules import rule
from grav_tools.shortcodes import (
    CAROUSEL_IMAGE_LINE,
    OWL_OPTIONS,
    Block,
    Tag,
    check_option_value,
    pair_blocks,
    scan_tags,
    suggest_option,
)

OWL = "owl-carousel"
NO_EFFECT = {
    "class": "the plugin's template hard-codes the carousel's classes, so `class` never reaches the page",
    "lazyLoad": "Owl's lazy loading only acts on `.owl-lazy` elements with `data-src`, never on Markdown images",
}


def _scan(ctx: PageContext) -> tuple[list[Tag], list[Block], list[Tag]]:
    """Tags, blocks and stray closers of the page, scanned once and shared by the rules."""
    cached: Any = ctx.cache.get("owl")
    if cached is None:
        split = ctx.page.split
        tags = scan_tags(split.body, split.body_line, names=(OWL,))  # [] at once without "owl-carousel"
        if not tags:
            cached = ([], [], [])
        else:
            live = [t for t in tags if t.parsed and not t.md_link]
            blocks, strays = pair_blocks(live, OWL)
            cached = (tags, blocks, strays)
        ctx.cache["owl"] = cached
    return cached  # type: ignore[no-any-return]


def _at(tag: Tag, message: str, **extra: Any) -> Finding:
    return Finding(tag.line, tag.column, message, tag.end_line, tag.end_column, **extra)


@rule("GRV401", "carousel-not-closed", Severity.ERROR)
def carousel_not_closed(ctx: PageContext) -> Iterable[Finding]:
    """An `[owl-carousel]` that is never closed.

    What: an opening `[owl-carousel ...]` without a matching `[/owl-carousel]` after it.
    Why: shortcode-core then treats the tag as self-closing: Grav renders an empty carousel
    followed by the images as loose pictures.
    Example: a gallery whose `[/owl-carousel]` line was deleted.
    Fix: add `[/owl-carousel]` on its own line after the last image.
    """
    _, blocks, _ = _scan(ctx)
    for block in blocks:
        if block.close is None and not block.open.self_closing:
            yield _at(block.open, "[owl-carousel] is never closed: Grav shows an empty carousel and the "
                      "images below it as loose pictures; add [/owl-carousel] after the last image")


@rule("GRV402", "stray-closing-tag", Severity.ERROR)
def stray_closing_tag(ctx: PageContext) -> Iterable[Finding]:
    """A `[/owl-carousel]` without an opening tag.

    What: a closing tag with no `[owl-carousel ...]` before it.
    Why: Grav prints it literally as text in the page.
    Example: a gallery whose opening line was broken by a typo (`[owl-carusel ...]`).
    Fix: restore the opening tag or delete the closing one.
    """
    _, _, strays = _scan(ctx)
    for tag in strays:
        yield _at(tag, "[/owl-carousel] without an opening [owl-carousel]: Grav prints it as text")


@rule("GRV403", "nested-carousel", Severity.ERROR)
def nested_carousel(ctx: PageContext) -> Iterable[Finding]:
    """A carousel inside another carousel.

    What: an `[owl-carousel]` opened before the previous one was closed.
    Why: the inner carousel becomes a single slide of the outer one, with broken layout; it
    is almost always a missing `[/owl-carousel]`.
    Example: two galleries where the first lost its closing tag.
    Fix: close the first carousel before opening the next.
    """
    _, blocks, _ = _scan(ctx)
    for block in blocks:
        if block.parent is not None:
            yield _at(block.open, f"carousel nested inside the one opened on line {block.parent.open.line}: "
                      "close that one first")


@rule("GRV404", "tag-not-alone", Severity.WARNING, fixable=True)
def tag_not_alone(ctx: PageContext) -> Iterable[Finding]:
    """A carousel tag that shares its line with other text.

    What: `[owl-carousel ...]` or `[/owl-carousel]` with text or images on the same line.
    Why: shortcode-core only passes a tag through Markdown untouched when it is alone on its
    line; otherwise it ends up inside a paragraph and the carousel's HTML is broken.
    Example: `[owl-carousel items=1]![](a.jpg)`.
    Fix: put each tag on a line of its own.
    """
    tags, _, _ = _scan(ctx)
    for tag in tags:
        if tag.parsed and not tag.md_link and not tag.alone_on_line and not tag.in_code:
            yield _at(tag, "shortcode tag is not alone on its line: Markdown wraps it in a paragraph",
                      fixable=True)


@rule("GRV405", "attribute-syntax", Severity.ERROR)
def attribute_syntax(ctx: PageContext) -> Iterable[Finding]:
    """Attribute syntax that shortcode-core's parser breaks on.

    What: single or typographic quotes, an empty `name=`, an unquoted value with `/` or
    spaces, `]` inside a value.
    Why: only double quotes delimit values; otherwise the parser splits the value, or drops
    the whole tag and prints it as text.
    Example: `[owl-carousel class='gallery owl']` gives `class="'gallery"` and a flag `owl'`.
    Fix: use double quotes: `class="gallery owl"`.
    """
    tags, _, _ = _scan(ctx)
    for tag in tags:
        if tag.md_link or tag.closing and not tag.defects:
            continue
        if not tag.parsed:
            why = "; ".join(tag.defects) or "the parser does not recognise it"
            yield _at(tag, f"Grav prints this tag as text: {why}")
        else:
            for defect in tag.defects:
                yield _at(tag, defect)


def _open_tags(ctx: PageContext) -> list[Tag]:
    """The opening tags of the carousels, listed once per page (three rules read them)."""
    cached: list[Tag] | None = ctx.cache.get("owl.opens")
    if cached is None:
        cached = ctx.cache["owl.opens"] = [block.open for block in _scan(ctx)[1]]
    return cached


def _image_lines(ctx: PageContext) -> list[list[int]]:
    """For each carousel (in _scan's order), its content lines that are image lines.

    Matched once per page, not by both GRV408 and GRV410."""
    cached: list[list[int]] | None = ctx.cache.get("owl.images")
    if cached is None:
        page = ctx.page
        cached = ctx.cache["owl.images"] = [
            [n for n in block.content_lines if CAROUSEL_IMAGE_LINE.match(page.line_text(n))]
            for block in _scan(ctx)[1]
        ]
    return cached


@rule("GRV406", "unknown-option", Severity.WARNING)
def unknown_option(ctx: PageContext) -> Iterable[Finding]:
    """An owl-carousel option Owl Carousel does not know.

    What: an attribute that is not an Owl Carousel 2.2 option; names are case-sensitive.
    Why: the plugin passes every attribute to Owl unchecked, and Owl silently ignores names it
    does not know, so `autoPlay=true` never autoplays.
    Example: `[owl-carousel autoPlay=true]`.
    Fix: use the exact option name (`autoplay`); list theme-specific extras under
    `[tool.grav-tools.rules] owl-options`.
    """
    extra = ctx.options.owl_options
    for tag in _open_tags(ctx):
        for attr in tag.attrs:
            if attr.name in OWL_OPTIONS or attr.name in extra:
                continue
            better = suggest_option(attr.name)
            hint = f": did you mean '{better}'?" if better else ""
            yield Finding(attr.line, attr.column, f"unknown owl-carousel option '{attr.name}'{hint} Owl ignores it",
                          attr.end_line, attr.end_column)


@rule("GRV407", "option-type", Severity.WARNING)
def option_type(ctx: PageContext) -> Iterable[Finding]:
    """An owl-carousel option with a value of the wrong type.

    What: `items=one`, `margin=10px`, `loop=yes`.
    Why: the plugin turns `true`/`false` into booleans and numbers into numbers; anything else
    reaches Owl as a string, which it misreads (a string `"yes"` is truthy, `"10px"` breaks
    the layout maths).
    Example: `[owl-carousel items=1 loop=yes]`.
    Fix: write numbers as digits and switches as `true`/`false`.
    """
    for tag in _open_tags(ctx):
        for attr in tag.attrs:
            if attr.name not in OWL_OPTIONS:
                continue
            problem = check_option_value(attr.name, attr.value)
            if problem:
                yield Finding(attr.line, attr.column, problem, attr.end_line, attr.end_column)


@rule("GRV408", "carousel-content", Severity.WARNING, fixable=True)
def carousel_content(ctx: PageContext) -> Iterable[Finding]:
    """Blank lines or other content between the images of a carousel.

    What: empty lines between image lines, or text, headings or lists inside the carousel.
    Why: Owl makes every top-level element a slide: images on consecutive lines form one
    paragraph (one slide per image), but blank lines split them into paragraphs, giving extra
    or empty slides; text becomes a slide of its own.
    Example: images separated by blank lines.
    Fix: put the image lines directly under each other (`grav-tools normalise` removes the
    blank lines).
    """
    page = ctx.page
    for block, images in zip(_scan(ctx)[1], _image_lines(ctx)):
        lines = block.content_lines
        if not images:
            continue
        first, last = images[0], images[-1]
        for number in lines:
            text = page.line_text(number)
            if first < number < last and not text.strip():
                yield Finding(number, 1, "blank line between carousel images: it splits them into "
                              "separate paragraphs, giving extra or empty slides", fixable=True)
            elif text.strip() and number not in images:
                yield Finding(number, 1, "content that is not an image inside a carousel: Owl makes "
                              "it a slide of its own", number, len(text) + 1, severity=Severity.WARNING)


@rule("GRV409", "option-without-effect", Severity.INFO)
def option_without_effect(ctx: PageContext) -> Iterable[Finding]:
    """An owl-carousel option that does nothing.

    What: `class=...` or `lazyLoad=true` on a carousel of Markdown images.
    Why: the plugin's template hard-codes the carousel's classes, and Owl's lazy loading only
    works on specially marked-up images; the options are harmless but mislead editors.
    Example: `[owl-carousel class="gallery-owl" lazyLoad=true]`.
    Fix: remove them, or ignore this rule if your theme's template uses them.
    """
    for tag in _open_tags(ctx):
        for attr in tag.attrs:
            why = NO_EFFECT.get(attr.name)
            if why and attr.name not in ctx.options.owl_options:
                yield Finding(attr.line, attr.column, f"'{attr.name}' has no effect: {why}",
                              attr.end_line, attr.end_column)


@rule("GRV410", "carousel-without-images", Severity.WARNING)
def carousel_without_images(ctx: PageContext) -> Iterable[Finding]:
    """A carousel with no images in it.

    What: `[owl-carousel]` directly followed by `[/owl-carousel]`, or only text between them.
    Why: Grav renders an empty carousel box (or a carousel of text slides).
    Example: a gallery whose images were moved out of the block.
    Fix: put the image lines between the tags, or delete the empty carousel.
    """
    page = ctx.page
    for block, images in zip(_scan(ctx)[1], _image_lines(ctx)):
        if block.close is None:
            continue
        if not images and not any("<img" in page.line_text(n) for n in block.content_lines):
            yield _at(block.open, "carousel without images: Grav renders an empty carousel")


@rule("GRV411", "shortcode-in-code", Severity.INFO)
def shortcode_in_code(ctx: PageContext) -> Iterable[Finding]:
    """A shortcode inside a code block or inline code.

    What: `[owl-carousel]` written inside ``` fences, an indented code block or `backticks`.
    Why: shortcode-core works on the HTML, so the shortcode still runs there: a page that
    documents the syntax shows a carousel instead of the example.
    Example: a how-to page with the shortcode in a fenced block.
    Fix: wrap the example in `[raw]...[/raw]`.
    """
    tags, _, _ = _scan(ctx)
    for tag in tags:
        if tag.in_code and tag.parsed and not tag.md_link:
            yield _at(tag, "shortcode inside code still runs (shortcode-core works on the HTML); wrap it "
                      "in [raw]...[/raw] to show it literally")
