"""One page in, its canonical text out, with every change that alters meaning reported.

Pure: no file access, no output. The steps follow how Grav reads a page: fences (the few
broken fences validate calls fixable), the header as Grav parses it, dates as Grav reads them,
then the body. Nothing is returned as changed unless the proofs in safety.py hold and a second
pass over the result changes nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from grav_tools.normalise.carousel import fix_carousels
from grav_tools.normalise.dates import (
    DATE_KEYS,
    AssumedVotes,
    DateContext,
    DatePlan,
    convention_of_format,
    order_votes,
    plan_date,
)
from grav_tools.normalise.fast import body_is_clean, read_canonical_header
from grav_tools.normalise.header import Unsupported, write_header
from grav_tools.normalise.options import NormaliseOptions
from grav_tools.normalise.safety import prove_body, prove_header, prove_split
from grav_tools.normalise.text import BodyNote, clean_body
from grav_tools.normalise.trivia import collect
from grav_tools.page import Split, normalise_newlines, split_frontmatter
from grav_tools.site import SiteConfig
from grav_tools.yamlio import Header, Mapping, Node, Scalar, YamlTimestamp, parse_header, to_python, walk

_PHP_LTRIM = " \t\n\r\0\x0b"


@dataclass(frozen=True, slots=True)
class Note:
    """Something the user should know about a file: a change of meaning, or a problem left alone."""

    line: int  # line in the original file (0 when not tied to a line)
    message: str


@dataclass(slots=True)
class PageResult:
    text: str | None  # the canonical text; None when the file must not be rewritten
    notes: list[Note] = field(default_factory=list)
    error: str | None = None  # why the file was not rewritten
    # the page's day/month votes, counted from its header as written (see header_votes); empty
    # when the text has no header as it stands (a header only a fence fix brings out does not vote)
    votes: Counter[str] = field(default_factory=Counter)


def _fix_fences(text: str) -> tuple[str, list[Note]]:
    """An opening `--- ` with trailing spaces, and `...` as the closing fence, made `---`."""
    if split_frontmatter(text).header is not None:
        return text, []
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip(_PHP_LTRIM)), None)
    if first is None or lines[first].rstrip(" \t") != "---":
        return text, []
    notes: list[Note] = []
    if lines[first] != "---":
        lines[first] = "---"
        notes.append(Note(first + 1, "opening fence '--- ' had trailing spaces, so Grav saw no frontmatter; "
                          "now '---' (the header takes effect)"))
    candidate = "\n".join(lines)
    if split_frontmatter(candidate).header is None:
        rest = lines[first + 1 :]
        end = next((i for i, line in enumerate(rest) if line.strip() == "..."), None)
        if end is not None and not any(line.startswith("---") for line in rest[:end]):
            lines[first + 1 + end] = "---"
            notes.append(Note(first + 2 + end, "frontmatter closed with '...', which Grav does not accept, so "
                              "it saw no frontmatter; now '---' (the header takes effect)"))
            candidate = "\n".join(lines)
    if split_frontmatter(candidate).header is None:
        return text, []
    return candidate, notes


def _own_dateformat(root: Mapping) -> object:
    """to_python(root).get("dateformat") without converting the whole header: the value of the
    first key that converts to the string "dateformat" (to_python keeps the first of equal keys)."""
    for key, value in root.pairs:
        k = key.value if key.__class__ is Scalar else to_python(key)
        if isinstance(k, str) and k == "dateformat":
            return to_python(value)
    return None


def _date_texts(root: Mapping) -> list[str]:
    """The texts of the page's date keys that are scalars, in DATE_KEYS order."""
    return [n.text for k in DATE_KEYS if isinstance(n := root.get(k), Scalar)]


def _date_context(root: Mapping, site: SiteConfig, options: NormaliseOptions, votes: Counter[str]) -> DateContext:
    own = _own_dateformat(root)
    own_format = own if isinstance(own, str) and own.strip() else None
    read_format = own_format or site.dateformat
    target = read_format or options.date_format
    fixed = convention_of_format(read_format) or options.convention
    ballots = () if fixed else (order_votes(_date_texts(root), target), votes)  # majority() only when a date asks
    return DateContext(read_format, target, site.timezone, fixed, options.assume, ballots)


def header_votes(root: Node | None, site: SiteConfig, options: NormaliseOptions) -> Counter[str]:
    """The day/month votes a page's header gives its site (dates.order_votes of its date keys)."""
    if not isinstance(root, Mapping):
        return Counter()
    own = root.get("dateformat")
    written = (own.text if isinstance(own, Scalar) and own.text.strip() else None) \
        or site.dateformat or options.date_format
    return order_votes(_date_texts(root), written)


def _plans(root: Mapping, ctx: DateContext, options: NormaliseOptions) -> list[DatePlan]:
    plans: list[DatePlan] = []
    for key in DATE_KEYS:
        node = root.get(key)
        if not isinstance(node, Scalar):
            continue
        plan = plan_date(key, node, ctx)
        if not options.dates and plan.kind != "quoted":
            plan = DatePlan(key, node, None, "left", "", None)
        elif not options.dates and plan.new_text != node.text:  # an unquoted ISO date: quoted, not converted
            plan = DatePlan(key, node, node.text, "quoted", f"{key} {node.text} quoted as written (YAML made it "
                            "a number Grav up to 2.0.7 misreads); dates = false, so not converted", plan.intended)
        plans.append(plan)
    if any(p.doubtful for p in plans):
        # A date whose day and month may be swapped is judged by the page's other dates: rewriting
        # them would destroy that evidence, so every date of the page stays as the author wrote it.
        kept = "kept as written while another date of this page is in doubt"
        plans = [p if p.kind == "left" else
                 DatePlan(p.key, p.node, p.node.text, "quoted", f"{p.key} {p.node.text} quoted (YAML made it a "
                          f"number Grav misreads) but {kept}", p.intended) if p.kind == "quoted" else
                 DatePlan(p.key, p.node, None, "left", f"{p.key} {kept}", None) for p in plans]
    return plans


def _timestamps(root: Node) -> list[Scalar]:
    """Unquoted ISO dates (YAML makes them numbers Grav misreads), in walk order."""
    return [n for n in walk(root) if isinstance(n, Scalar) and isinstance(n.value, YamlTimestamp)]


def _header(header_text: str, site: SiteConfig, options: NormaliseOptions, votes: Counter[str],
            first_line: int, known: tuple[str, Header] | None = None,
            ) -> tuple[str | None, list[DatePlan], Header, list[Note], str | None]:
    """(canonical header or None to keep it, date plans, parsed header, notes, failure).

    `known` is a header text and its parse, when the caller has just parsed that very text.
    """
    parsed = known[1] if known is not None and known[0] == header_text else parse_header(header_text)
    notes: list[Note] = []
    if parsed.root is None:
        if parsed.error is not None:
            notes.append(Note(first_line + parsed.error.line - 1, f"header left as written: Grav cannot parse it "
                              f"({parsed.error.message})"))
        return None, [], parsed, notes, None
    root = parsed.root
    plans: list[DatePlan] = []
    replacements: dict[int, str] = {}
    timestamps = _timestamps(root)
    if isinstance(root, Mapping):
        plans = _plans(root, _date_context(root, site, options, votes), options)
        replacements = {id(p.node): p.new_text for p in plans if p.new_text is not None}
        planned = {id(p.node) for p in plans}
        for node in timestamps:  # outside the date keys: quoted as written
            if id(node) not in planned:
                replacements[id(node)] = node.text
    try:
        trivia = collect(header_text, root)  # node positions are columns of the text as written
        text, dropped, comments = write_header(parsed, trivia, options.indent, options.key_order, replacements,
                                               booleans=options.booleans, quote_style=options.quote_style,
                                               source=header_text)
    except Unsupported as why:
        notes.append(Note(first_line, f"header left as written: {why}"))
        return None, [], parsed, notes, None
    lost = {id(d): [c for top in d.nodes for n in walk(top) for bucket in (trivia.before, trivia.after, trivia.eol)
                    for c in bucket.get(id(n), ()) if c] for d in dropped}
    if comments + sum(map(len, lost.values())) != trivia.count:
        return None, plans, parsed, notes, "a comment in the header could not be placed"
    for plan in plans:
        if plan.message:
            notes.append(Note(first_line + plan.node.line - 1, plan.message))
    for d in dropped:
        also = "; its comments went with it: " + " ".join(lost[id(d)]) if lost[id(d)] else ""
        notes.append(Note(first_line + d.line - 1, f"duplicate key '{d.key}' removed (value {d.value}): Grav "
                          f"uses the first one{also}"))
    planned = {id(p.node) for p in plans}
    for node in timestamps:
        if id(node) not in planned:
            notes.append(Note(first_line + node.line - 1, f"unquoted ISO date {node.text} quoted: YAML made it "
                              f"the number {int(node.value)}, now it stays the text as written"))
    return text, plans, parsed, notes, None


def _body_notes(notes: list[BodyNote], body_line: int) -> list[Note]:
    return [Note(body_line + n.line - 1, n.message) for n in notes]


def normalise_text(text: str, site: SiteConfig, options: NormaliseOptions,
                   votes: Counter[str] | None = None, _verify: bool = True,
                   _known: tuple[str, Header] | None = None) -> PageResult:
    """The canonical form of a page's text (BOM already removed), or why it cannot be made."""
    if votes is None:  # not `votes or`: an empty AssumedVotes must stay itself
        votes = Counter()
    if _verify and (known := already_canonical(text, site, options, votes)) is not None:
        return known
    text = original = normalise_newlines(text)
    text, notes = _fix_fences(text)
    split = split_frontmatter(text)
    if split.header is None:
        body, carousel = _carousels(text, options)
        out, body_notes = _clean(body, site, options)
        if (failure := prove_body(body, out)) is not None:
            return PageResult(None, notes, failure)
        notes += _body_notes(carousel + body_notes, 1)
        return _finish(out, site, options, votes, notes, _verify and out != original)
    header_text, plans, parsed, header_notes, failure = _header(split.header, site, options, votes,
                                                                split.header_line, _known)
    own_votes = header_votes(parsed.root, site, options) if _verify and text == original else Counter()
    result = _with_header(text, original, split, header_text, plans, parsed, notes + header_notes, failure,
                          site, options, votes, _verify)
    result.votes = own_votes
    return result


def _unchanged_strict(parsed: Header, old_header: str, new_header: str) -> bool:
    """The canonical header is the very text it was made from, and that text is strict YAML.

    Then prove_header has nothing to prove: it would parse the same bytes into the same nodes
    (so the same data, the same date texts read by the same format, hence the same instants),
    and it would find exactly the strictness, repairs and duplicates this parse found. That
    makes the proof of an already canonical header (every header of a second run, and the
    header of the result when it is normalised again) free; any other header is proved.
    """
    return (new_header == old_header and parsed.error is None and parsed.strict and not parsed.repairs
            and not parsed.duplicates)


def _with_header(text: str, original: str, split: Split, header_text: str | None, plans: list[DatePlan],
                 parsed: Header, notes: list[Note], failure: str | None, site: SiteConfig,
                 options: NormaliseOptions, votes: Counter[str], _verify: bool) -> PageResult:
    if failure:
        return PageResult(None, notes, failure)
    known: tuple[str, Header] | None = None
    if header_text is None:
        header_text = "\n".join(text.split("\n")[split.header_line - 1 : split.close_line - 1])
    elif parsed.root is not None and not _unchanged_strict(parsed, split.header or "", header_text):
        new_parsed = parse_header(header_text)
        if failure := _prove_header(parsed, header_text, plans, site, new_parsed):
            return PageResult(None, notes, failure)
        known = (header_text, new_parsed)  # normalising the result again parses this very text
    body = split.body
    extra = split.close_text[3:]
    if extra:
        first, _, rest = body.partition("\n")
        if not extra.strip(" \t"):
            body = rest
            notes.append(Note(split.close_line, "closing fence '--- ' had trailing spaces; now '---'"))
        elif not extra.strip(" \t-"):
            body = rest
            notes.append(Note(split.close_line, f"closing fence '---{extra}': Grav closed the header at '---' and "
                              f"showed '{extra.strip()}' in the page; now '---'"))
        else:
            if len(first) - len(first.lstrip(" ")) < 4:  # up to 3 spaces mean nothing to Markdown
                body = first.lstrip(" ") + ("\n" + rest if rest or body.endswith("\n") else "")
            notes.append(Note(split.close_line, f"closing fence '---{extra}': Grav shows '{extra.strip()}' at the top "
                              "of the page; it now stands on its own line under a plain '---'"))
    body, carousel = _carousels(body, options)
    cleaned, body_notes = _clean(body, site, options)
    if (failure := prove_body(body, cleaned)) is not None:
        return PageResult(None, notes, failure)
    notes += _body_notes(carousel + body_notes, split.body_line)
    out = f"---\n{header_text}\n---\n\n{cleaned}"  # as Admin writes it, also when the body is empty
    if (failure := prove_split(out, header_text, cleaned)) is not None:
        return PageResult(None, notes, failure)
    return _finish(out, site, options, votes, notes, _verify and out != original, known)


def _carousels(body: str, options: NormaliseOptions) -> tuple[str, list[BodyNote]]:
    return fix_carousels(body) if options.carousel else (body, [])


def _clean(body: str, site: SiteConfig, options: NormaliseOptions) -> tuple[str, list[BodyNote]]:
    delimiter = site.summary_delimiter if options.summary_separator else ""
    if options.trim_trailing_whitespace and options.final_newline and body_is_clean(body, delimiter):
        return body, []  # what clean_body returns for it, seen without splitting it into lines
    return clean_body(body, delimiter, options.trim_trailing_whitespace, options.final_newline)


def _prove_header(parsed: Header, header_text: str, plans: list[DatePlan], site: SiteConfig,
                  new_parsed: Header) -> str | None:
    data = to_python(parsed.root)
    own = data.get("dateformat") if isinstance(data, dict) else None
    read_format = own if isinstance(own, str) and own.strip() else site.dateformat
    return prove_header(data, header_text, plans, read_format, site.timezone, new_parsed)


def _finish(out: str, site: SiteConfig, options: NormaliseOptions, votes: Counter[str], notes: list[Note],
            verify: bool, known: tuple[str, Header] | None = None) -> PageResult:
    """Normalising the result again must change nothing."""
    if verify and already_canonical(out, site, options, votes) is None:
        again = normalise_text(out, site, options, votes, _verify=False, _known=known)
        if again.text != out:
            return PageResult(None, notes, "normalising the result again would change it (not stable)")
    return PageResult(out, notes)



def already_canonical(text: str, site: SiteConfig, options: NormaliseOptions,
                      votes: Counter[str]) -> PageResult | None:
    """What normalise_text returns for a page that is already canonical (its own text, the date
    notes, its votes); None when that is not proven cheaply (then the full normaliser decides).

    Holds for the layout fast.py reads: the header the writer would write again line for line,
    dates it would write as they stand, a clean body, carousels needing nothing. Then every step
    of normalise_text is the identity and its proofs have nothing to prove (see _unchanged_strict).
    """
    if options.quote_style != "symfony" or "\r" in text or not text.startswith("---\n"):
        return None
    # Grav's split (page.split_frontmatter) of a text in Admin's layout: the header ends at the
    # first "\n---" after at least one character, one blank line follows the closing fence
    close = text.find("\n---", 5)
    if close < 0 or not text.startswith("\n\n", close + 4) or text.startswith("\n", close + 6):
        return None
    header, body = text[4:close], text[close + 6 :]
    root = read_canonical_header(header, options.indent, options.key_order, options.booleans)
    if root is None or not _body_unchanged(body, site, options):
        return None  # the header first: most pages that are not canonical show it in its first lines
    notes = _unchanged_date_notes(root, 2, site, options, votes)  # the header starts on line 2
    if notes is None:
        return None
    return PageResult(text, notes, votes=header_votes(root, site, options))


def _body_unchanged(body: str, site: SiteConfig, options: NormaliseOptions) -> bool:
    """The body steps of normalise_text (_carousels, then _clean) leave it as it is, without a note."""
    return _carousels(body, options) == (body, []) and _clean(body, site, options) == (body, [])


def _unchanged_date_notes(root: Mapping, first_line: int, site: SiteConfig, options: NormaliseOptions,
                          votes: Counter[str]) -> list[Note] | None:
    """The notes of the date plans (as _header words them) when every plan writes its date as
    it stands, else None. A page that consulted the site's votes on the way is recorded as
    normalise_text records it, and only then."""
    asked = len(votes.asked) if isinstance(votes, AssumedVotes) else 0
    plans = _plans(root, _date_context(root, site, options, votes), options)
    if any(p.new_text is not None and p.new_text != p.node.value for p in plans):
        if isinstance(votes, AssumedVotes):
            del votes.asked[asked:]  # the full normaliser asks again
        return None
    return [Note(first_line + p.node.line - 1, p.message) for p in plans if p.message]
