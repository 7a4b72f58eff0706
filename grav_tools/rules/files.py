"""File rules (GRV1xx): bytes, encodings, line endings and page file names."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from grav_tools.context import PageContext, PageSummary
from grav_tools.problems import Finding, Severity
from grav_tools.rules import SITE, rule
from grav_tools.source import line_col_of_offset
from grav_tools.suppress import Suppression

ENGINE = "engine"


@rule("GRV100", "unreadable-file", Severity.ERROR, scope=ENGINE)
def unreadable_file(reason: str) -> Iterable[Finding]:
    """The file could not be read at all.

    What: reading the file failed (permissions, a folder or device named like a page, a broken
    symlink, a symlink that points out of the tree being checked).
    Why: Grav cannot read it either, so the page is missing from the site.
    Example: `item.md` with mode 000.
    Fix: check the file's permissions and type; replace a symlink with the real file.
    """
    yield Finding(1, 1, f"cannot read this file: {reason}")


@rule("GRV101", "not-utf8", Severity.ERROR)
def not_utf8(ctx: PageContext) -> Iterable[Finding]:
    """The file is not valid UTF-8.

    What: bytes that are not UTF-8, e.g. a post saved in Windows-1251 or UTF-16.
    Why: Grav's frontmatter regex runs in Unicode mode and fails on invalid UTF-8, so the
    whole file, `---` fences and YAML included, is shown as the page text and the header is empty.
    Example: a Russian post saved from Notepad as "ANSI" (cp1251).
    Fix: convert the file, e.g. `iconv -f cp1251 -t utf-8 item.ru.md > tmp && mv tmp item.ru.md`.
    """
    decoded = ctx.page.decoded
    if decoded.utf8:
        return
    guess = decoded.guessed_encoding or "unknown"
    yield Finding(
        decoded.bad_line,
        decoded.bad_column,
        f"file is not UTF-8 (it looks like {guess}): Grav ignores the frontmatter and shows it "
        f"as page text; convert it with `iconv -f {guess} -t utf-8`",
    )


@rule("GRV102", "utf8-bom", Severity.WARNING, fixable=True)
def utf8_bom(ctx: PageContext) -> Iterable[Finding]:
    """The file starts with a UTF-8 byte order mark.

    What: the invisible bytes EF BB BF before the first `---`.
    Why: Grav strips it, but many other tools (python-frontmatter, Jekyll, some editors and
    diff viewers) then fail to see the frontmatter.
    Example: a file saved by Windows Notepad as "UTF-8 with BOM".
    Fix: `grav-tools normalise` removes it; or save as UTF-8 without BOM.
    """
    if ctx.page.decoded.bom:
        yield Finding(1, 1, "file starts with a UTF-8 byte order mark (BOM)", 1, 2, fixable=True)


@rule("GRV103", "line-endings", Severity.WARNING, fixable=True)
def line_endings(ctx: PageContext) -> Iterable[Finding]:
    """CRLF, CR-only or mixed line endings.

    What: lines ending in `\\r\\n` or a bare `\\r`, or a mix of styles in one file.
    Why: Grav converts them to `\\n` before reading, but diffs, YAML tools and shortcode lines
    compared by other tools break; a mix is usually an accident of copy and paste.
    Example: a post edited on Windows and another part pasted from a Mac.
    Fix: `grav-tools normalise` writes LF endings.

    A site that normalises to CRLF (`[tool.grav-tools.normalise] line-endings = "crlf"`) gets
    LF files reported instead; with `"keep"` only CR-only and mixed files are reported.
    """
    decoded = ctx.page.decoded
    wanted = ctx.options.line_endings
    accepted = {"lf": ("lf", "none"), "crlf": ("crlf", "none"), "keep": ("lf", "crlf", "none")}.get(
        wanted, ("lf", "none"))
    if decoded.newline in accepted:
        return
    if decoded.newline == "lf":  # a CRLF site: the first LF-only line
        yield Finding(1, 1, "LF line endings, but this site's pages use CRLF "
                      "([tool.grav-tools.normalise] line-endings)", fixable=True)
        return
    offset = decoded.text.find("\r")
    prefix = decoded.text[:offset].replace("\r\n", "\n").replace("\r", "\n")
    line = prefix.count("\n") + 1
    column = len(prefix) - (prefix.rfind("\n") + 1) + 1
    names = {"crlf": "CRLF (Windows)", "cr": "CR-only (classic Mac)", "mixed": "mixed"}
    yield Finding(
        line, column, f"{names[decoded.newline]} line endings; Grav reads them but writes LF", fixable=True
    )


@rule("GRV104", "binary-content", Severity.ERROR)
def binary_content(ctx: PageContext) -> Iterable[Finding]:
    """NUL bytes or other binary content in a page file.

    What: the file contains NUL (0x00) bytes.
    Why: it is either not a text file (an image or document saved as `.md`) or it is UTF-16;
    Grav shows garbage or nothing.
    Example: `item.md` that is really a `.docx`.
    Fix: replace the file with the real Markdown text, saved as UTF-8.
    """
    decoded = ctx.page.decoded
    if decoded.nul_offset < 0 or not decoded.utf8:
        return
    text = ctx.page.text  # newlines normalised: a lone CR ends a line here as in the report
    line, column = line_col_of_offset(text, text.find("\x00"))
    yield Finding(line, column, "file contains NUL bytes: it is binary, not a Markdown text file")


@rule("GRV106", "unused-suppression", Severity.INFO, scope=ENGINE, fixable=True)
def unused_suppression(suppression: Suppression) -> Iterable[Finding]:
    """A `grav-tools: ignore` comment that silenced nothing.

    What: an inline suppression whose rules found no problem on the lines it covers.
    Why: the problem it was written for is gone (or the comment is in the wrong place), and a
    stale suppression would hide a new problem later.
    Example: `<!-- grav-tools: ignore GRV408 -->` above a carousel without blank lines.
    Fix: delete the comment.
    """
    codes = ", ".join(suppression.codes)
    yield Finding(suppression.line, suppression.column, f"suppression of {codes} silenced nothing; delete it",
                  fixable=True)


@rule("GRV105", "page-file-name", Severity.WARNING, scope=SITE)
def page_file_name(pages: Sequence[PageSummary]) -> Iterable[Finding]:
    """A page file name that Grav ignores or reads in a surprising way.

    What: a dot in the basename (`item.old.md`), a language suffix the site does not support
    (`item.de.md` when `languages.supported` is `[kk, ru, en]`, or any suffix when languages
    are off), several page files for one language in one folder (`item.md` and `blog.md`), or
    different template names across the languages of one folder (`default.en.md`, `item.ru.md`).
    Why: Grav only reads `<template>.md` / `<template>.<lang>.md`; with two candidates it picks
    one at random; with mixed templates its language switcher calls the others untranslated.
    Example: `02.news/2023-11-23-o-provedenii-programmy` with `default.en.md` and `item.ru.md`.
    Fix: rename the files so each folder has one template name, one file per language.
    """
    folders: dict[str, list[PageSummary]] = defaultdict(list)
    for page in pages:
        folders[page.folder].append(page)
        if not page.page_file:
            yield Finding(
                1, 1, f"Grav never reads '{page.name}': a page file name must have no dot before "
                "the language and `.md` (rename it, or delete it if it is a backup)", path=page.display
            )
            continue
        languages = page.site.languages
        if page.language is not None and page.language not in languages:
            why = (
                f"'{page.language}' is not in languages.supported {list(languages)}"
                if languages
                else "languages are not enabled in system.yaml"
            )
            yield Finding(1, 1, f"Grav ignores '{page.name}': {why}", path=page.display)
    for members in folders.values():
        readable = [p for p in members if p.page_file]
        by_lang: dict[str | None, list[PageSummary]] = defaultdict(list)
        for page in readable:
            by_lang[page.language].append(page)
        for lang, same in by_lang.items():
            if len(same) > 1:
                # a few names, not all: one message per file listing every file would grow with the
                # square of the folder size (20k files made gigabytes of report)
                names = ", ".join(p.name for p in same[:8]) + (f" and {len(same) - 8} more" if len(same) > 8 else "")
                label = f"language '{lang}'" if lang else "the default language"
                for page in same[1:]:
                    yield Finding(
                        1, 1, f"several page files for {label} in one folder ({names}): Grav "
                        "picks one of them at random", path=page.display, severity=Severity.ERROR
                    )
        templates = sorted({p.template for p in readable})
        if len(templates) > 1 and len(by_lang) > 1:
            majority = max(templates, key=lambda t: sum(p.template == t for p in readable))
            for page in readable:
                if page.template != majority:
                    yield Finding(
                        1, 1, f"template '{page.template}' differs from '{majority}' used by the "
                        "other languages of this folder: Grav's language switcher will call them "
                        "untranslated", path=page.display
                    )
