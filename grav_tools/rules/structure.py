"""Structure rules (GRV6xx): routes of sibling folders, the summary separator, translation sets.

Sources (Grav 1.7): `Page::slug()` and the `/^[0-9]+\\./` ordering prefix, `Pages::buildRoutes()`
(a second page with the same route overwrites the first, with only a debugger message),
`Page::visible()` (no prefix and no `visible:` header: hidden from menus), `Page::content()` (the
summary ends at the first `<p>{delimiter}</p>` of the HTML; every one is removed) and Parsedown
1.7.4 (a `===` line under a paragraph is a setext `<h1>`).
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from grav_tools.context import PageContext, PageSummary
from grav_tools.listing import natural_key
from grav_tools.page import normalise_newlines
from grav_tools.problems import Finding, Severity
from grav_tools.rules import SITE, collects_facts, rule
from grav_tools.rules.media import masked_body
from grav_tools.source import PAGE_MAX_BYTES, decode, read_page_bytes
from grav_tools.yamlio import Scalar

PREFIX_RE = re.compile(r"^[0-9]+\.")


def folder_slug(name: str) -> str:
    """The route slug Grav derives from a folder name (prefix removed, lower-cased by default)."""
    return PREFIX_RE.sub("", name).lower()


# --------------------------------------------------------------------------------------------
# Facts


def _taxonomy(ctx: PageContext) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The taxonomy as Grav uses it: names to sorted value lists (a scalar is a 1-element list)."""
    value = ctx.data.get("taxonomy")
    if not isinstance(value, dict):
        return ()
    out = []
    for name, values in value.items():
        if values is None:
            continue
        items = values if isinstance(values, list) else [values]
        # interned: the same few names and values on every page then travel (and stay in memory)
        # once per batch of pages instead of once per page
        out.append((sys.intern(str(name)), tuple(sorted(sys.intern(str(v)) for v in items
                                                        if v is not None and not isinstance(v, (list, dict))))))
    return tuple(sorted(out))


@collects_facts
def structure_facts(ctx: PageContext) -> Iterable[tuple[str, Any]]:
    """structure.slug (slug header), structure.taxonomy (normalised)."""
    root = ctx.root
    if root is None:
        return
    slug = root.get("slug")
    if isinstance(slug, Scalar) and isinstance(slug.value, (str, int)) and str(slug.value).strip():
        yield "structure.slug", (str(slug.value).strip(), slug.line, slug.column)
    key = root.key_node("taxonomy")
    if key is not None:
        yield "structure.taxonomy", (_taxonomy(ctx), key.line, key.column)


# --------------------------------------------------------------------------------------------
# GRV601 duplicate routes


def _page_folders(pages: Sequence[PageSummary]) -> dict[str, list[PageSummary]]:
    folders: dict[str, list[PageSummary]] = defaultdict(list)
    for page in pages:
        if page.page_file:
            folders[page.folder].append(page)
    for members in folders.values():
        members.sort(key=lambda p: p.display)
    return folders


def _page_text(page: PageSummary) -> str | None:
    """The page's text as the page rules read it (BOM-free, LF line endings); None when it cannot be
    read now.

    Read again here, for the pages of folders that share a route only: a hash of every page's text,
    made in the workers for this rule, was 8% of a page's CPU (the UTF-8 encoding and blake2b).
    """
    raw = read_page_bytes(os.path.join(page.folder, page.name), PAGE_MAX_BYTES)
    return None if isinstance(raw, str) else normalise_newlines(decode(raw).text)


def _texts(pages: list[PageSummary], known: dict[str, str | None]) -> dict[str, str | None]:
    """The texts of a folder's pages by name, each page read once per run of the rule (`known`):
    the first of three folders with one route is compared with both others."""
    texts = {}
    for page in pages:
        path = os.path.join(page.folder, page.name)
        if path not in known:
            known[path] = _page_text(page)
        texts[page.name] = known[path]
    return texts


def _same_copy(first: list[PageSummary], second: list[PageSummary], known: dict[str, str | None]) -> str:
    """' (an identical copy)' when the page files and the media of two folders are the same."""
    texts_a = _texts(first, known)
    texts_b = _texts(second, known)
    if None in texts_a.values() or None in texts_b.values():
        return ""  # a page went away during the run: nothing to say about the copy
    if texts_a != texts_b:
        return "; the page text differs"
    media_a = sorted(n for n in first[0].media if not n.endswith(".md"))
    media_b = sorted(n for n in second[0].media if not n.endswith(".md"))
    if media_a != media_b:
        return "; same page text, different media files"
    try:
        for name in media_a:
            size = os.stat(os.path.join(first[0].folder, name)).st_size
            if size != os.stat(os.path.join(second[0].folder, name)).st_size:
                return "; same page text, media files of different sizes"
    except OSError:
        return ""
    return "; the two folders are an identical copy: delete one"


@rule("GRV601", "duplicate-route", Severity.ERROR, scope=SITE)
def duplicate_route(pages: Sequence[PageSummary]) -> Iterable[Finding]:
    """Two sibling folders that Grav gives the same route.

    What: folder names that are equal once the numeric prefix is removed and they are lower-cased
    (`02.2023-02-02-balkhash` and `03.2023-02-02-balkhash`), or a `slug:` header equal to a
    sibling's slug (a `slug:` header replaces the folder slug).
    Why: Grav keeps only one page per route, chosen by the unsorted directory order (so it can
    change between servers), while blog lists built from `@self.children` show both: the post
    appears twice and one copy cannot be opened.
    Example: hemcenter.kz has 18 such pairs in `02.news`, most of them byte-identical copies.
    Fix: delete the duplicate folder, or give one of them another slug.
    """
    folders = _page_folders(pages)
    texts: dict[str, str | None] = {}  # page path -> its text, read only for folders that share a route
    by_parent: dict[str, list[str]] = defaultdict(list)
    for folder in folders:
        by_parent[os.path.dirname(folder)].append(folder)
    for siblings in by_parent.values():
        if len(siblings) < 2:
            continue
        routes: dict[str, list[tuple[str, int, int, PageSummary | None]]] = defaultdict(list)
        for folder in siblings:  # in any order: the few routes folders share are put in order below
            name = os.path.basename(folder)
            if folder_slug(name).startswith("_"):
                continue  # modular sections are not routable
            members = folders[folder]
            slugs: dict[str, tuple[int, int, PageSummary | None]] = {}
            plain = False
            for member in members:
                fact = member.fact("structure.slug")
                if fact:
                    slugs.setdefault(fact[0], (fact[1], fact[2], member))
                else:
                    plain = True
            if plain:
                slugs.setdefault(folder_slug(name), (1, 1, None))
            for slug, (line, column, owner) in slugs.items():
                routes[slug].append((folder, line, column, owner))
        clashes = [(slug, owners) for slug, owners in routes.items() if len(owners) > 1]
        if not clashes:
            continue
        for slug, owners in clashes:
            # natural folder order decides which one is reported as the first (sorting every
            # folder name of a 10k-post section to find none shared cost more than the rule);
            # owners came in sibling order and the sort is stable, so equal keys keep that order
            owners.sort(key=lambda owner: natural_key(os.path.basename(owner[0])))
            seen: list[str] = []
            for folder, line, column, by_header in owners:
                if folder in seen:
                    continue
                if seen:
                    first = seen[0]
                    copy = _same_copy(folders[first], folders[folder], texts) if by_header is None else ""
                    how = f"its slug header '{slug}'" if by_header else f"slug '{slug}'"
                    for page in folders[folder]:
                        at = (line, column) if by_header is page else (1, 1)
                        yield Finding(at[0], at[1], f"folder '{os.path.basename(folder)}' has the same route as "
                                      f"its sibling '{os.path.basename(first)}' ({how}): Grav serves one of them "
                                      f"at random and lists both{copy}", path=page.display)
                seen.append(folder)


# --------------------------------------------------------------------------------------------
# GRV602 / GRV603 summary separator

_BLOCK_START_RE = re.compile(
    r" {0,3}(?:#|[-*+][ \t]|[0-9]+[.)][ \t]|>|```|~~~|<|\|"
    r"|\[/?[a-zA-Z0-9\-_*]+[^\]]*\][ \t]*$|(?:[-*_][ \t]*){3,}$)"
)
_NOT_PARAGRAPH_RE = re.compile(r" {0,3}(?:#|(?:[-*_][ \t]*){3,}$|\[/?[a-zA-Z0-9\-_*]+[^\]]*\][ \t]*$)")


def _separators(ctx: PageContext) -> list[tuple[int, int, str, str, str]]:
    """Lines that are the delimiter: (file line, column, trailing text, previous line, next line)."""
    cached: list[tuple[int, int, str, str, str]] | None = ctx.cache.get("structure.separators")
    if cached is not None:
        return cached
    found: list[tuple[int, int, str, str, str]] = []
    split = ctx.page.split
    delimiter = ctx.site.summary_delimiter
    body = split.body
    if ctx.page.decoded.utf8 and delimiter and delimiter in body:
        for index, line, previous, following in _lines_with(masked_body(ctx), delimiter):
            text = line.lstrip(" ")
            lead = len(line) - len(text)
            if lead > 3 or not text.startswith(delimiter):
                continue
            rest = text[len(delimiter) :]
            if rest.strip(" \t"):
                continue  # `====` or `=== text` is just text
            first_col = 1 if index else max(1, len(ctx.page.line_text(split.body_line)) - len(line) + 1)
            found.append((split.body_line + index, first_col + lead, rest, previous, following))
    ctx.cache["structure.separators"] = found
    return found


def _lines_with(text: str, needle: str) -> Iterator[tuple[int, str, str, str]]:
    """(0-based index, line, previous line, next line) of each line of `text` that holds `needle`;
    "" for a previous or next line that does not exist.

    For speed: the lines are found from the needle's occurrences, without splitting the whole
    text and testing every line. Each line is visited a bounded number of times: linear.
    """
    size = len(text)
    index = 0
    counted = 0  # newlines before this offset are counted in `index`
    at = text.find(needle)
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = size if end < 0 else end
        index += text.count("\n", counted, start)
        counted = start
        previous = text[text.rfind("\n", 0, start - 1) + 1 : start - 1] if start else ""
        if end < size:
            after = text.find("\n", end + 1)
            following = text[end + 1 : size if after < 0 else after]
        else:
            following = ""
        yield index, text[start:end], previous, following
        at = text.find(needle, end + 1) if end < size else -1


def _verdicts(ctx: PageContext) -> list[tuple[int, int, str, Severity | None, str]]:
    """For each delimiter line: (line, column, problem kind, severity, message); kind "" = honoured."""
    delimiter = ctx.site.summary_delimiter
    setext = set(delimiter) == {"="}
    out: list[tuple[int, int, str, Severity | None, str]] = []
    for line, column, rest, previous, following in _separators(ctx):
        end = column + len(delimiter)
        if previous.strip() and not _NOT_PARAGRAPH_RE.match(previous):
            if setext:
                message = (f"'{delimiter}' directly under a line of text: Parsedown turns that line into a "
                           "<h1> heading, so the summary separator is lost and a heading appears; put a blank "
                           "line before it")
            else:
                message = (f"'{delimiter}' directly under a line of text joins that paragraph: Grav finds no "
                           "separator and shows it as text; put a blank line before it")
            out.append((line, column, "before", Severity.ERROR, message))
            continue
        honoured = True
        if rest:
            out.append((line, end, "trailing", Severity.WARNING,
                        f"'{delimiter}' has trailing spaces: Grav only recognises the exact line, so the summary "
                        f"is not cut and '{delimiter}' is shown in the page; delete the spaces"))
            honoured = False
        if following.strip() and not _BLOCK_START_RE.match(following):
            out.append((line, column, "after", Severity.WARNING,
                        f"'{delimiter}' is directly followed by text: Markdown joins them into one paragraph, "
                        f"so the summary is not cut and '{delimiter}' is shown in the page; put a blank line "
                        "after it"))
            honoured = False
        if honoured:
            out.append((line, column, "", None, ""))
    return out


@rule("GRV602", "summary-separator", Severity.WARNING, fixable=True)
def summary_separator(ctx: PageContext) -> Iterable[Finding]:
    """A summary separator line that Grav does not honour.

    What: the separator (`site.yaml` `summary.delimiter`, `===` by default) right under a line of
    text, with trailing spaces, or directly followed by text. Up to 3 leading spaces are fine;
    `====` is ordinary text and code blocks are ignored.
    Why: Grav looks for the exact HTML `<p>===</p>` after Markdown. Under a paragraph, Markdown
    makes `===` a setext underline: the paragraph becomes an `<h1>` and the summary is lost
    (error). With trailing spaces or a following line the `===` stays visible as text and the
    summary falls back to the first 300 characters (warning).
    Example: `First paragraph.` / `===` (no blank line between).
    Fix: keep a blank line before and after `===` and nothing else on its line.
    """
    for line, column, kind, severity, message in _verdicts(ctx):
        if kind:
            delimiter = ctx.site.summary_delimiter
            end = column + len(delimiter) if kind != "trailing" else len(ctx.page.line_text(line)) + 1
            yield Finding(line, column, message, line, end, fixable=True, severity=severity)


@rule("GRV603", "summary-count", Severity.INFO)
def summary_count(ctx: PageContext) -> Iterable[Finding]:
    """Several summary separators, or none in a blog post.

    What: more than one honoured separator line in a page, or an `item` page (a blog post)
    with no separator at all and more than a summary's worth of text.
    Why: Grav cuts the summary at the FIRST separator and removes every one of them, so later
    ones do nothing; without one, the blog list shows the first `summary.size` characters
    (300 by default), often cut mid-sentence.
    Example: `===` after the first paragraph and again before the gallery.
    Fix: keep one `===` where the summary should end.
    """
    verdicts = _verdicts(ctx)
    honoured = [(line, column) for line, column, kind, _, _ in verdicts if not kind]
    if len(honoured) > 1:
        first = honoured[0][0]
        for line, column in honoured[1:]:
            yield Finding(line, column, f"another summary separator: Grav cuts the summary at the first one "
                          f"(line {first}) and removes this one too", line, column + len(ctx.site.summary_delimiter))
        return
    if verdicts or ctx.page.template != "item" or not ctx.page.decoded.utf8:
        return
    summary = ctx.data.get("summary")
    size = 300
    if isinstance(summary, dict):
        if summary.get("enabled") in (False, 0, "0", "") or summary.get("format") == "long":
            return
        if isinstance(summary.get("size"), int):
            size = summary["size"]
    body = ctx.page.split.body.strip()
    if len(body) <= size:
        return
    yield Finding(ctx.page.split.body_line, 1, f"no summary separator in this post: Grav's blog list shows its "
                  f"first {size} characters (summary.size), cut wherever they end; put '{ctx.site.summary_delimiter}' "
                  "on its own line after the opening paragraph")


# --------------------------------------------------------------------------------------------
# GRV604 translation sets


def _languages_of(members: list[PageSummary]) -> set[str] | None:
    """The languages a folder has files for; None when a plain `.md` serves every language."""
    langs = set()
    for page in members:
        if page.language is None:
            return None
        langs.add(page.language)
    return langs


Taxonomy = tuple[tuple[str, tuple[str, ...]], ...]


def _describe_taxonomy(mine: Taxonomy, theirs: Taxonomy) -> str:
    a, b = dict(mine), dict(theirs)
    parts = []
    for name in sorted(set(a) | set(b)):
        if name not in a:
            parts.append(f"no '{name}' here (there: {', '.join(b[name]) or 'empty'})")
        elif name not in b:
            parts.append(f"'{name}' only here ({', '.join(a[name]) or 'empty'})")
        elif a[name] != b[name]:
            parts.append(f"'{name}' is {', '.join(a[name]) or 'empty'} here but {', '.join(b[name]) or 'empty'} there")
    return "; ".join(parts)


@rule("GRV604", "translation-set", Severity.WARNING, scope=SITE)
def translation_set(pages: Sequence[PageSummary]) -> Iterable[Finding]:
    """The language versions of a post that do not match each other or their siblings.

    What: a folder that lacks a language that at least two thirds of its (four or more) sibling
    folders have (every post in kk, ru and en but this one only in kk and ru); `published:` set
    in some language files of a folder and missing (or different) in others; a taxonomy that
    differs between the languages of one folder (only informational when just the values differ:
    they may be translated on purpose).
    Why: Grav shows a missing language through its fallback (another language's text) or not at
    all; a header `published:` switches `publish_date` off, so a language without it can go live
    at another time; taxonomy filters and lists (`@taxonomy.category: news`) show the post in
    some languages only.
    Example: hemcenter.kz `02.news/2024-05-25-education-exchange-program`: `published: true` and
    `category: news` only in `item.ru.md`.
    Fix: add the missing translation, and copy `published:` and `taxonomy:` to every language file.
    """
    folders = _page_folders(pages)
    languages_enabled = any(p.site.languages for p in pages)
    # a language missing from a folder while most of its sibling folders have it
    if languages_enabled:
        by_parent: dict[str, list[str]] = defaultdict(list)
        for folder in folders:
            by_parent[os.path.dirname(folder)].append(folder)
        for siblings in by_parent.values():
            sets = {f: _languages_of(folders[f]) for f in siblings}
            known = {f: s for f, s in sets.items() if s is not None}
            if len(known) < 4:
                continue
            counts = Counter(lang for langs in known.values() for lang in langs)
            expected = {lang for lang, n in counts.items() if n * 3 >= len(known) * 2}
            for folder, langs in sorted(known.items()):
                lacking = sorted(expected - langs)
                if not lacking:
                    continue
                first = folders[folder][0]
                names = ", ".join(f"'{lang}'" for lang in lacking)
                most = min(counts[lang] for lang in lacking)
                yield Finding(1, 1, f"this post has no {names} version, though {most} of its {len(known)} sibling "
                              f"folders have one: Grav shows it there in a fallback language or not at all",
                              path=first.display)
    for members in folders.values():
        if len(members) < 2:
            continue
        with_key = [p for p in members if p.published != "<missing>"]
        if with_key and len(with_key) < len(members):
            source = with_key[0]
            for page in members:
                if page.published == "<missing>":
                    yield Finding(1, 1, f"no `published:` here, but {source.name} sets `published: "
                                  f"{source.published.lower()}` (line {source.published_line}): Grav then applies "
                                  "publish_date/unpublish_date to this language only, so the languages can go live "
                                  "at different times", path=page.display)
        values = Counter(p.published for p in with_key)
        if len(values) > 1:
            majority = values.most_common(1)[0][0]
            other = next(p for p in with_key if p.published == majority)
            for page in with_key:
                if page.published != majority:
                    yield Finding(page.published_line, 1, f"`published: {page.published.lower()}` here but "
                                  f"`{majority.lower()}` in {other.name}: this language is "
                                  f"{'hidden' if page.published in ('False', '0') else 'shown'} while the others "
                                  "are not", path=page.display)
        taxonomies = {p.display: (p.fact("structure.taxonomy") or ((), 1, 1)) for p in members}
        distinct = Counter(t[0] for t in taxonomies.values())
        if len(distinct) > 1:
            majority_tax = max(distinct, key=lambda t: (distinct[t], len(t)))
            reference = next(p for p in members if taxonomies[p.display][0] == majority_tax)
            for page in members:
                tax, line, column = taxonomies[page.display]
                if tax == majority_tax:
                    continue
                diff = _describe_taxonomy(tax, majority_tax)
                if {name for name, _ in tax} == {name for name, _ in majority_tax}:
                    yield Finding(line, column, f"taxonomy values differ from {reference.name}: {diff}; Grav's "
                                  "taxonomy lists and filters match exact values, so they find this post in some "
                                  "languages only (fine if the values are translated on purpose)",
                                  path=page.display, severity=Severity.INFO)
                else:
                    yield Finding(line, column, f"taxonomy differs from {reference.name}: {diff}; Grav's taxonomy "
                                  "lists and filtered collections show this post in some languages only",
                                  path=page.display)


# --------------------------------------------------------------------------------------------
# GRV605 unnumbered folder among numbered siblings


@rule("GRV605", "unnumbered-folder", Severity.INFO, scope=SITE)
def unnumbered_folder(pages: Sequence[PageSummary]) -> Iterable[Finding]:
    """A page folder without a numeric prefix among mostly numbered siblings.

    What: `2024-04-05-program` next to `01.2023-...`, `02.2023-...`: at least three quarters of
    its sibling page folders have an ordering prefix (`NN.`), one of them uses the same template,
    and a file of the folder does not set `visible:`. Modular folders (`_name`), pages of another
    kind (a `search` page among `docs`) and sites that rarely number are not reported.
    Why: without a prefix and without a `visible:` header Grav hides a page from menus and
    `visible` collections, and it sorts apart from its numbered siblings: usually a post that
    was added by hand or copied without the prefix.
    Example: hemcenter.kz `02.news/2023-11-23-o-provedenii-programmy`.
    Fix: rename the folder with the next number (`54.2023-11-23-...`) or set `visible:` on purpose.
    """
    folders = _page_folders(pages)
    by_parent: dict[str, list[str]] = defaultdict(list)
    for folder in folders:
        name = os.path.basename(folder)
        if not folder_slug(name).startswith("_"):
            by_parent[os.path.dirname(folder)].append(folder)
    for siblings in by_parent.values():
        numbered = [f for f in siblings if PREFIX_RE.match(os.path.basename(f))]
        plain = [f for f in siblings if not PREFIX_RE.match(os.path.basename(f))]
        if not plain or len(numbered) < 3 * len(plain):
            continue
        series = {page.template for f in numbered for page in folders[f]}
        for folder in sorted(plain):
            members = folders[folder]
            if not series & {page.template for page in members}:
                continue  # a different kind of page (search, sitemap): hidden on purpose
            hidden = [page for page in members if not any(key == "visible" for key, _, _ in page.keys)]
            if not hidden:
                continue
            some = "" if len(hidden) == len(members) else f" in {', '.join(p.name for p in hidden)}"
            yield Finding(1, 1, f"folder '{os.path.basename(folder)}' has no numeric prefix, unlike {len(numbered)} "
                          f"of its {len(siblings)} sibling folders, and no `visible:` header{some}: Grav hides it "
                          "from menus and sorts it apart from them", path=hidden[0].display)
