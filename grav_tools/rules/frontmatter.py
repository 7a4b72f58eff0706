"""Frontmatter rules (GRV2xx): fences, YAML as Grav parses it, known keys and their types."""

from __future__ import annotations

import difflib
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from grav_tools.context import PageContext, PageSummary
from grav_tools.problems import Finding, Severity
from grav_tools.rules import SITE, rule
from grav_tools.yamlio import Mapping, Node, Scalar, YamlTimestamp
from grav_tools.yamlio import Sequence as YamlSequence

DATE_KEYS = ("date", "publish_date", "unpublish_date")
BOOL_KEYS = ("published", "visible", "routable")

# Grav core page headers (system/blueprints/pages/default.yaml, Page::header()) and the
# headers of the common themes (Quark, Open Matter/Open Publishing) that real sites use.
CORE_KEYS = frozenset(
    """title slug menu date publish_date unpublish_date published visible routable dateformat
    taxonomy metadata summary content template template_format process twig_first
    never_cache_twig cache_enable redirect external_url routes order_by order_dir order_manual
    child_type media_order body_classes markdown language ssl etag last_modified markdown_extra
    debugger max_count expires lightbox append_url_extension http_response_code cache_control
    access login permissions admin feed sitemap form forms modular_content onpage_menu
    show_sidebar hide_page_title hide_git_sync_repo_link hide_from_post_list continue_link
    header_image header_image_file header_image_width header_image_height header_image_credit
    header_image_creditlink hero_image hero_classes hero_align blog_url show_breadcrumbs
    show_pagination author description keywords image subtitle class page-toc headline
    display_post_summary post_icon hide_next_prev_page_buttons shortcode-core
    pagination bricklayer_layout""".split()
)

STRING_KEYS = ("title", "slug", "menu", "template", "redirect", "language", "order_by", "order_dir", "media_order")
MAPPING_KEYS = ("taxonomy", "metadata", "summary", "content", "process", "routes", "markdown")


def _span(node: Node) -> tuple[int, int, int | None, int | None]:
    return node.line, node.column, node.end_line, node.end_column


@rule("GRV201", "frontmatter-fences", Severity.ERROR)
def frontmatter_fences(ctx: PageContext) -> Iterable[Finding]:
    """Missing, unterminated, empty or badly fenced frontmatter.

    What: the file does not start with a `---` line, the header is never closed, it is empty,
    or a fence is `----`, `--- ` or `...`.
    Why: Grav only sees a header when the first non-blank line is exactly `---`; the first
    later line that *begins* with `---` closes it (extra characters leak into the page) and
    the YAML end marker `...` is not understood, so the whole file becomes page text.
    Example: `---` / `title: Hi` / `...`.
    Fix: open and close the header with lines that are exactly `---`.
    """
    page = ctx.page
    if not page.decoded.utf8:
        return
    split = page.split
    if split.header is not None:
        if split.close_text != "---":
            extra = split.close_text[3:]
            what = "trailing spaces" if not extra.strip() else f"'{extra}'"
            yield Finding(
                split.close_line, 4, f"closing fence '{split.close_text}' has {what} after '---': Grav "
                "closes the header there and shows the rest of the line in the page", fixable=True
            )
        return
    lines = page.lines
    first = next((i for i, text in enumerate(lines) if text.strip()), None)
    if first is None:
        yield Finding(1, 1, "empty file: Grav shows an empty page titled after the folder", severity=Severity.WARNING)
        return
    opening = lines[first]
    line = first + 1
    if opening.rstrip() == "---" and opening != "---":
        yield Finding(line, 4, "opening fence '---' has trailing spaces: Grav sees no frontmatter "
                      "and shows the YAML as page text", fixable=True)
        return
    if opening.startswith("---") and opening != "---":
        yield Finding(line, 1, f"opening fence '{opening[:10]}' is not exactly '---': Grav sees no "
                      "frontmatter and shows the YAML as page text")
        return
    if opening == "---":
        rest = lines[first + 1 :]
        if any(text.strip() == "..." for text in rest):
            end = first + 2 + next(i for i, text in enumerate(rest) if text.strip() == "...")
            yield Finding(end, 1, "frontmatter ends with '...': Grav only accepts '---' as the "
                          "closing fence, so the whole file is shown as page text", fixable=True)
        elif rest and rest[0].startswith("---"):
            yield Finding(line, 1, "empty frontmatter ('---' followed by '---'): Grav sees no "
                          "header and shows both fences in the page")
        else:
            yield Finding(line, 1, "frontmatter is never closed: add a '---' line after the "
                          "header; Grav shows the whole file as page text")
        return
    if page.template.startswith("_") or page.path.parent.name.lstrip("0123456789.").startswith("_"):
        return  # modular sections often carry no header
    yield Finding(line, 1, "no frontmatter: Grav titles the page after its folder and uses the "
                  "file's modification time as its date", severity=Severity.WARNING)


@rule("GRV202", "yaml-invalid", Severity.ERROR)
def yaml_invalid(ctx: PageContext) -> Iterable[Finding]:
    """YAML that even Grav's lenient fallback parser cannot read.

    What: a syntax error in the frontmatter: two leading tabs, an unquoted `*word*` (a YAML
    alias), unbalanced quotes, bad indentation.
    Why: when both of Grav's parsers fail, Grav replaces the page with a public
    "Invalid Frontmatter" page that shows the raw file and the error.
    Example: `title: *New* results`.
    Fix: quote the value (`title: '*New* results'`) or fix the indentation.
    """
    header = ctx.header
    if header is None or header.error is None:
        return
    error = header.error
    message = error.message
    if error.limit:
        yield Finding(error.line, error.column, f"frontmatter not read: {message}; no real page header is "
                      "like this (broken or hostile input), and Grav may fail on it or run out of memory")
        return
    line_text = ctx.page.line_text(error.line)
    if "\t" in line_text[: len(line_text) - len(line_text.lstrip())]:
        message += " (tabs in the indentation: Grav only tolerates one leading tab per line)"
    yield Finding(error.line, error.column, f"Grav cannot parse this frontmatter: {message}; it "
                  "shows a public 'Invalid Frontmatter' page instead of the post")


@rule("GRV203", "yaml-strict-only", Severity.WARNING, fixable=True)
def yaml_strict_only(ctx: PageContext) -> Iterable[Finding]:
    """YAML that strict parsers reject but Grav's lenient fallback accepts.

    What: unquoted values starting with `@`, `%` or a backtick, or containing `: `
    (`items: @self.children`, `title: Note: read this`).
    Why: Grav retries with an old lenient parser, so the page works, but `bin/grav yamllinter`,
    Admin's editor, other YAML tools and future Grav versions reject the file.
    Example: `items: @self.children`.
    Fix: quote the value: `items: '@self.children'` (`grav-tools normalise` does this).
    """
    header = ctx.header
    if header is None or header.root is None:
        return
    for repair in header.repairs:
        text = ctx.page.line_text(repair.line)
        column = len(text) - len(text.lstrip()) + 1
        yield Finding(repair.line, column, f"{repair.reason}; Grav only accepts it through its lenient "
                      "fallback parser", fixable=True)


@rule("GRV204", "duplicate-key", Severity.ERROR, fixable=True)
def duplicate_key(ctx: PageContext) -> Iterable[Finding]:
    """The same key twice in one mapping.

    What: `title:` (or any key) appears twice at the same level.
    Why: strict YAML rejects the file; Grav's fallback keeps the FIRST value and silently drops
    the second, while most other tools keep the last, so editors see one title and Grav another.
    Example: `title: Draft` ... `title: Final`: Grav shows "Draft".
    Fix: delete the line you do not want.
    """
    header = ctx.header
    if header is None or header.root is None:
        return
    for dup in header.duplicates:
        yield Finding(
            dup.again.line, dup.again.column,
            f"duplicate key '{dup.key}': Grav uses the first one (line {dup.first.line}) and ignores "
            "this one", dup.again.end_line, dup.again.end_column, fixable=True,
        )


@rule("GRV205", "tab-indent", Severity.WARNING, fixable=True)
def tab_indent(ctx: PageContext) -> Iterable[Finding]:
    """Tabs in the indentation of the frontmatter.

    What: a header line indented with a tab character.
    Why: YAML forbids tabs for indentation. Grav turns one leading tab into four spaces before
    parsing, so the page works, but every other YAML tool rejects it and two tabs break Grav too.
    Example: `taxonomy:` / `<TAB>category: blog`.
    Fix: indent with spaces (`grav-tools normalise` does).
    """
    split = ctx.page.split
    if split.header is None:
        return
    if not split.tab_lines and "\t" not in split.header:  # for speed: the header lines hold no tab
        return
    for offset, text in enumerate(ctx.page.lines[split.header_line - 1 : split.close_line - 1]):
        indent = text[: len(text) - len(text.lstrip(" \t"))]
        if "\t" in indent:
            yield Finding(split.header_line + offset, indent.index("\t") + 1,
                          "tab in indentation: Grav tolerates one leading tab, YAML tools do not",
                          fixable=indent.count("\t") == 1 and indent.startswith("\t"))


@rule("GRV206", "frontmatter-not-mapping", Severity.ERROR)
def frontmatter_not_mapping(ctx: PageContext) -> Iterable[Finding]:
    """The frontmatter is not a set of `key: value` pairs.

    What: the header parses as a plain string or a list instead of a mapping.
    Why: Grav reads no title, date or settings from it; `title:Hello` (no space after the
    colon) is one string, not a key and a value.
    Example: `title:Hello`.
    Fix: put a space after each colon: `title: Hello`.
    """
    header = ctx.header
    if header is None or header.root is None or isinstance(header.root, Mapping):
        return
    root = header.root
    if isinstance(root, Scalar):
        hint = " (put a space after the colon)" if re.match(r"^[\w-]+:\S", root.text) else ""
        what = f"the plain text '{root.text[:40]}'"
    else:
        hint, what = "", "a list"
    yield Finding(root.line, root.column, f"frontmatter is {what}, not key: value pairs{hint}; Grav "
                  "reads no title or settings from it")


@rule("GRV207", "missing-title", Severity.ERROR)
def missing_title(ctx: PageContext) -> Iterable[Finding]:
    """A page without a title, or with an empty one.

    What: the header has no `title:` key, or its value is empty.
    Why: Grav falls back to the folder name (`2023-01-09-practical-conference`), which then
    appears in lists, menus, the browser tab and feeds.
    Example: `title: ''`.
    Fix: add `title: 'The real title'`.
    """
    root = ctx.root
    if root is None:
        return
    routable = root.get("routable")
    if isinstance(routable, Scalar) and routable.value in (False, 0, "0", ""):
        return  # never shown on its own, so its title is never seen
    if root.get("redirect") is not None or root.get("external_url") is not None:
        return  # visitors are sent elsewhere; the title is never shown
    key = root.key_node("title")
    if key is None:
        yield Finding(ctx.page.split.header_line, 1, "no title: Grav shows the folder name "
                      f"'{ctx.page.path.parent.name}' instead")
        return
    value = root.get("title")
    if isinstance(value, Scalar) and (value.value is None or str(value.value).strip() == ""):
        yield Finding(key.line, key.column, "empty title: Grav shows the folder name "
                      f"'{ctx.page.path.parent.name}' instead", key.end_line, key.end_column)


_FALSY_WORDS = frozenset({"no", "off", "false", "n", "none", "null", "disabled", "0.0"})


def _cast_targets(ctx: PageContext) -> Iterable[tuple[str, Node]]:
    root = ctx.root
    if root is None:
        return
    for key in BOOL_KEYS:
        value = root.get(key)
        if value is not None:
            yield key, value
    summary = root.get("summary")
    if isinstance(summary, Mapping):
        value = summary.get("enabled")
        if value is not None:
            yield "summary.enabled", value


@rule("GRV208", "php-bool-cast", Severity.ERROR)
def php_bool_cast(ctx: PageContext) -> Iterable[Finding]:
    """A value that PHP casts to a different boolean than it reads.

    What: `published`, `visible`, `routable` or `summary.enabled` set to a string such as
    `no`, `off` or `'false'`.
    Why: Grav casts these with PHP `(bool)`: every non-empty string except `'0'` is TRUE, so
    `published: no` PUBLISHES the page.
    Example: `published: no`.
    Fix: write `published: false`.
    """
    for key, node in _cast_targets(ctx):
        if not isinstance(node, Scalar):
            continue
        value = node.value
        if isinstance(value, str) and value.strip().lower() in _FALSY_WORDS:
            yield Finding(node.line, node.column, f"{key}: {node.text!r} is a string, which PHP casts to "
                          f"true: Grav treats the page as {key.split('.')[-1]}; write `false`",
                          node.end_line, node.end_column)


_TYPED_KEYS = frozenset(STRING_KEYS + DATE_KEYS + BOOL_KEYS + MAPPING_KEYS)


def _expect(key: str, node: Node) -> str | None:
    """Why a known key's value (a key in _TYPED_KEYS) has the wrong shape, or None when it is fine."""
    if key in STRING_KEYS or key in DATE_KEYS:
        if not isinstance(node, Scalar):
            return f"{key} must be a single value, not a {'list' if isinstance(node, YamlSequence) else 'mapping'}"
        if (key == "title" and node.plain and isinstance(node.value, (bool, int, float))
                and not isinstance(node.value, YamlTimestamp)):
            return f"title {node.text!r} is read as a {type(node.value).__name__}, not text; quote it"
        return None
    if key in BOOL_KEYS and not isinstance(node, Scalar):
        return f"{key} must be true or false"
    if key in MAPPING_KEYS:
        if isinstance(node, Scalar) and node.value is None:
            return None
        if not isinstance(node, Mapping):
            return f"{key} must be a mapping of names to values"
        if key == "taxonomy":
            for name, values in node.pairs:
                if isinstance(values, Mapping):
                    return f"taxonomy '{getattr(name, 'text', name)}' must be a list of names, not a mapping"
                if isinstance(values, YamlSequence) and any(not isinstance(v, Scalar) for v in values.items):
                    return f"taxonomy '{getattr(name, 'text', name)}' must be a flat list of names"
        if key == "metadata":
            for name, value in node.pairs:
                if not isinstance(value, Scalar):
                    return f"metadata '{getattr(name, 'text', name)}' must be a single value"
    return None


@rule("GRV209", "wrong-type", Severity.ERROR)
def wrong_type(ctx: PageContext) -> Iterable[Finding]:
    """A known header with a value of the wrong type.

    What: `title` as a list, `taxonomy` not a mapping of lists, `metadata` with nested values,
    `date` as a list, `published` as a mapping.
    Why: Grav casts or trims these values; a list where text is expected breaks the page (PHP
    TypeError) or drops the value.
    Example: `taxonomy: blog` instead of `taxonomy: {category: [blog]}`.
    Fix: use the shape shown in Grav's page header documentation.
    """
    root = ctx.root
    if root is None:
        return
    for key_node, value in root.pairs:
        if not isinstance(key_node, Scalar):
            continue
        # most keys have no expected type: one lookup, not a call and four tuple scans
        problem = _expect(key_node.text, value) if key_node.text in _TYPED_KEYS else None
        if problem:
            yield Finding(value.line, value.column, problem, value.end_line, value.end_column)


_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_YAML11_BOOLS = frozenset({"yes", "no", "on", "off", "y", "n"})
_OCTAL_TEXT = re.compile(r"^0[0-7]+$")
_LEADING_ZERO_NUMBER = re.compile(r"^0[0-9]+$")


@rule("GRV211", "reader-dependent-value", Severity.WARNING, fixable=True)
def reader_dependent_value(ctx: PageContext) -> Iterable[Finding]:
    """A value that other YAML readers read differently from Grav.

    What: unquoted `yes`/`no`/`on`/`off`, times like `10:00`, numbers with a leading zero
    (`0755`), unquoted ISO dates outside the date keys.
    Why: Grav (Symfony YAML) reads `yes` and `10:00` as text, but YAML 1.1 tools (PyYAML,
    Jekyll, many editors) read true and 600; `0755` is 493 in Grav 1.7 but "0755" in Grav 2.
    Example: `show_sidebar: yes`.
    Fix: quote the value to keep it text, or write `true`/`false` for a switch.
    """
    root = ctx.root
    if root is None:
        return
    cast = {id(node) for _, node in _cast_targets(ctx)}
    stack: list[tuple[str, Node]] = [(str(getattr(k, "text", "")), v) for k, v in root.pairs]
    while stack:
        key, node = stack.pop()
        if isinstance(node, Scalar):  # most nodes: tested first
            text = node.text
            # For speed: only short words, colons and a digit first can read differently (the tests
            # below), so most values, words, stop here (GRV211 0.0092 -> 0.0070 ms a page).
            if node.style or (len(text) > 3 and ":" not in text and not text[:1].isdigit()):
                continue
            if id(node) in cast or key in DATE_KEYS:
                continue
        elif isinstance(node, Mapping):
            stack.extend((str(getattr(k, "text", "")), v) for k, v in node.pairs)
            continue
        elif isinstance(node, YamlSequence):
            stack.extend((key, item) for item in node.items)
            continue
        else:
            continue
        why = None
        # For speed, the regexes and the YAML value are only asked when the first character or a
        # colon allows a match: most values are words, and resolving one costs more than the rest.
        if len(text) <= 3 and text.lower() in _YAML11_BOOLS:
            why = f"{text!r} is text in Grav but a boolean in YAML 1.1 tools"
        elif ":" in text and _SEXAGESIMAL.match(text):
            why = f"{text!r} is text in Grav but a number (base 60) in YAML 1.1 tools"
        elif text.startswith("0") and _OCTAL_TEXT.match(text):  # `0618` is text everywhere: no octal digits
            why = f"{text!r} is the octal number {int(text, 8)} in Grav 1.7 but the text {text!r} in Grav 2"
        elif text[:1].isdigit() and isinstance(node.value, YamlTimestamp):  # dates start with a digit
            why = f"{text!r} is an unquoted date: Grav turns it into a Unix timestamp number"
        if why:
            yield Finding(node.line, node.column, f"{why}; quote it", node.end_line, node.end_column,
                          fixable=not _LEADING_ZERO_NUMBER.match(text))


@rule("GRV210", "unknown-key", Severity.WARNING, scope=SITE)
def unknown_key(pages: Sequence[PageSummary]) -> Iterable[Finding]:
    """A header key that neither Grav, the common themes nor any other post on the site uses.

    What: a top-level key that is not a Grav header, not a known theme header and appears in
    only one post folder of the checked site.
    Why: Grav keeps unknown keys but nothing reads them; a typo (`tittle`, `pubished`) silently
    loses the setting.
    Example: `pubished: false` (the page stays published).
    Fix: correct the spelling; a deliberate custom key can be ignored with `--ignore GRV210`.
    """
    folders_by_key: dict[str, set[str]] = defaultdict(set)
    for page in pages:
        for key, _, _ in page.keys:
            folders_by_key[key].add(page.folder)
    known = set(CORE_KEYS) | {k for k, folders in folders_by_key.items() if len(folders) > 1}
    if pages:
        known |= pages[0].options.known_keys
    known_sorted = sorted(known)
    for page in pages:
        for key, line, column in page.keys:
            if key in known:
                continue
            close = difflib.get_close_matches(key, known_sorted, n=1, cutoff=0.8)
            if not close:
                lowered = [k for k in known_sorted if k.lower() == key.lower()]
                close = lowered[:1]
            if close:
                yield Finding(line, column, f"unknown key '{key}': did you mean '{close[0]}'? Grav "
                              "ignores a misspelt key", line, column + len(key), path=page.display)
            else:
                yield Finding(line, column, f"unknown key '{key}': no other post, Grav or the common "
                              "themes use it", line, column + len(key), path=page.display,
                              severity=Severity.INFO)


def header_keys(root: Any) -> tuple[tuple[str, int, int], ...]:
    """Top-level keys with their positions, for the site-wide unknown-key rule."""
    if not isinstance(root, Mapping):
        return ()
    # key names interned: `title`, `date`... then travel once per batch of pages, not once per page
    return tuple([(sys.intern(k.text), k.line, k.column) for k, _ in root.pairs if isinstance(k, Scalar)])
