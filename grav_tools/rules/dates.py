"""Date rules (GRV3xx): what Grav really reads from `date`, `publish_date` and `unpublish_date`."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

from grav_tools._phpdate import days_from_civil
from grav_tools.context import DateFact, PageContext, PageSummary, per_listing
from grav_tools.dates import DateReading, describe, read_date, shape_of, swapped_reading
from grav_tools.problems import Finding, Severity
from grav_tools.rules import SITE, rule
from grav_tools.rules.frontmatter import DATE_KEYS
from grav_tools.yamlio import Scalar, YamlTimestamp

_FOLDER_DATE = re.compile(r"^(?:\d+\.)?(\d{4})-(\d{2})-(\d{2})(?:[-_.]|$)")
_MEDIA_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[-_.]")
_DATE_ONLY_FORMAT = re.compile(r"^[^GHghisaAUu]*$")


def _date_nodes(ctx: PageContext) -> tuple[tuple[str, Scalar], ...]:
    """The date headers that are single values, found once per page: six rules ask."""
    found: tuple[tuple[str, Scalar], ...] | None = ctx.cache.get("date_nodes")
    if found is None:
        root = ctx.root
        pairs = [(key, root.get(key)) for key in DATE_KEYS] if root is not None else []
        found = ctx.cache["date_nodes"] = tuple((key, node) for key, node in pairs if isinstance(node, Scalar))
    return found


def _reading(ctx: PageContext, node: Scalar) -> DateReading:
    """What Grav reads (cached per node): an unquoted ISO date reaches PHP as a number string."""
    cache = ctx.cache.get("date_readings")
    if cache is None:
        cache = ctx.cache["date_readings"] = {}
    found: DateReading | None = cache.get(id(node))
    if found is None:
        value = node.value
        text = str(int(value)) if isinstance(value, YamlTimestamp) else node.text
        found = read_date(text, ctx.dateformat)
        cache[id(node)] = found
    return found


def _intended(ctx: PageContext, node: Scalar) -> DateReading:
    """What the author meant: for an unquoted ISO date, the date as written, not Grav's misreading."""
    if isinstance(node.value, YamlTimestamp):
        return read_date(node.text, None)
    return _reading(ctx, node)


Wall = tuple[int, int, int, int, int, int]


def _wall(reading: DateReading | datetime) -> Wall:
    """The wall clock as a tuple: orders like datetimes, also for the years 0 and below or above 9999
    that PHP accepts and Python's datetime does not (`date: '0000-01-01'` must not crash a rule)."""
    return (reading.year, reading.month, reading.day, reading.hour, reading.minute, reading.second)


@per_listing  # once per folder, not once per page: a folder may hold 100k files
def _media_dates(files: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    return frozenset(m.groups() for m in map(_MEDIA_DATE.match, files) if m)


def _misread_iso(node: Scalar) -> bool:
    return isinstance(node.value, YamlTimestamp)  # GRV302 explains these; other rules stay quiet


def _finding(node: Scalar, message: str, **extra: object) -> Finding:
    return Finding(node.line, node.column, message, node.end_line, node.end_column, **extra)  # type: ignore[arg-type]


def _fallback(key: str) -> str:
    if key == "date":
        return "the file's modification time (reset by every git clone or deploy)"
    return "nothing: Grav ignores it"


@rule("GRV301", "unparsable-date", Severity.ERROR)
def unparsable_date(ctx: PageContext) -> Iterable[Finding]:
    """A date Grav cannot read at all.

    What: a `date`, `publish_date` or `unpublish_date` that PHP's date parser rejects.
    Why: Grav does not complain: it silently uses the file's modification time for `date`
    (which every git clone or deploy resets, so posts reorder) and ignores the publish dates.
    Example: `date: '09-13-2023 10:00'` (month-day with dashes: PHP reads day-month, month 13).
    Fix: write the date as `'dd-mm-yyyy HH:MM'`, e.g. `date: '13-09-2023 10:00'`.
    """
    for key, node in _date_nodes(ctx):
        if isinstance(node.value, YamlTimestamp) or node.value is None or node.text.strip() == "":
            continue  # GRV302 and GRV307 explain these
        reading = _reading(ctx, node)
        if reading.ok:
            continue
        hint = ""
        shape = shape_of(node.text)
        if shape is not None and shape.separator in "-." and shape.order == "dmy" and shape.second > 12 >= shape.first:
            hint = " (it looks like month-day-year, but PHP reads dashes and dots as day-month-year)"
        yield _finding(node, f"Grav cannot read {key} {node.text!r} as a date{hint}; it uses {_fallback(key)}")


@rule("GRV302", "unquoted-iso-date", Severity.ERROR, fixable=True)
def unquoted_iso_date(ctx: PageContext) -> Iterable[Finding]:
    """An unquoted ISO date or timestamp.

    What: `date: 2023-01-09` or `date: 2023-01-09 10:00:00` without quotes.
    Why: YAML turns it into a Unix timestamp number; Grav up to 2.0.7 then cannot read that
    number as a date and falls back to the file's modification time, or reads nonsense such as
    the year 6000.
    Example: `date: 2015-01-05` becomes a date in the year 6000.
    Fix: quote it: `date: '2023-01-09 10:00'` (`grav-tools normalise` does).
    """
    for key, node in _date_nodes(ctx):
        if not isinstance(node.value, YamlTimestamp):
            continue
        reading = _reading(ctx, node)
        what = describe(reading) if reading.ok and not reading.now_dependent else _fallback(key)
        yield _finding(node, f"unquoted {key} {node.text!r} becomes the number {int(node.value)} in YAML; "
                       f"Grav up to 2.0.7 then reads {what}; quote it", fixable=True)


@rule("GRV303", "impossible-date", Severity.ERROR)
def impossible_date(ctx: PageContext) -> Iterable[Finding]:
    """A date that does not exist, which PHP silently rolls over.

    What: a day or month out of range (`31-02-2023`, `31-04-2023`, `01-13-2023` with a
    `d-m-Y` format).
    Why: PHP does not reject it; it moves on to a real date (31 February becomes 3 March), so
    the post shows a date nobody wrote.
    Example: `date: '31-02-2023 10:00'` is shown as 3 March 2023.
    Fix: correct the day or month.
    """
    for key, node in _date_nodes(ctx):
        if _misread_iso(node):
            continue
        reading = _reading(ctx, node)
        if reading.ok and reading.overflowed:
            yield _finding(node, f"{key} {node.text!r} does not exist; Grav reads it as {describe(reading)}")


@rule("GRV304", "two-digit-year", Severity.ERROR)
def two_digit_year(ctx: PageContext) -> Iterable[Finding]:
    """A date with a two-digit year.

    What: `09-01-23` or `1/9/23`.
    Why: PHP reads a dash date with a two-digit year as year-month-day (`09-01-23` is 23 January
    2009); with a `d-m-Y` format the year becomes 0023.
    Example: `date: '09-01-23 10:00'` is shown as 23 January 2009.
    Fix: write the year with four digits.
    """
    for key, node in _date_nodes(ctx):
        shape = shape_of(node.text)
        if shape is None or shape.year_digits != 2:
            continue
        reading = _reading(ctx, node)
        what = describe(reading) if reading.ok else _fallback(key)
        yield _finding(node, f"{key} {node.text!r} has a two-digit year; Grav reads {what}")


@rule("GRV306", "date-disagrees-with-names", Severity.WARNING)
def date_disagrees_with_names(ctx: PageContext) -> Iterable[Finding]:
    """The date disagrees with the folder name, the media file names or publish_date.

    What: the folder is `03.2023-01-09-slug` (or the images are `2023-01-09-1.jpg`) but the
    header date is another day; or `publish_date` is another day than `date`.
    Why: one of them is wrong; often a post copied from another folder kept the old date, or
    the day and month were swapped. Admin writes the same value into both dates.
    Example: folder `2023-01-09-...`, `date: '01-09-2023 10:00'` (1 September).
    Fix: correct whichever is wrong.
    """
    node = ctx.value_node("date")
    if not isinstance(node, Scalar):
        return
    reading = _intended(ctx, node)
    if not reading.ok or reading.now_dependent:
        return
    publish = ctx.value_node("publish_date")
    if isinstance(publish, Scalar):
        published_at = _intended(ctx, publish)
        if published_at.ok and not published_at.now_dependent:
            apart = abs(days_from_civil(published_at.year, published_at.month, published_at.day)
                        - days_from_civil(reading.year, reading.month, reading.day))
            if apart >= 1:
                days = "day" if apart == 1 else "days"
                yield _finding(publish, f"publish_date ({describe(published_at)}) is {apart} {days} "
                               f"away from date ({describe(reading)}): Grav lists the post under its date but "
                               "only shows it from the publish date")
    named: tuple[int, int, int] | None = None
    source = ""
    folder = ctx.page.folder.name
    match = _FOLDER_DATE.match(folder)
    if match:
        named, source = (int(match[1]), int(match[2]), int(match[3])), f"folder name '{folder}'"
    else:
        dated = _media_dates(ctx.folder_files)
        if len(dated) == 1:
            y, m, d = next(iter(dated))
            named, source = (int(y), int(m), int(d)), "media file names"
    if named is None:
        return
    header = (reading.year, reading.month, reading.day)
    if header == named:
        return
    try:
        named_text = datetime(*named).strftime("%-d %B %Y")
    except ValueError:
        return
    swapped = (" (the same date with day and month swapped)"
               if (reading.year, reading.day, reading.month) == named else "")
    yield _finding(node, f"date is {describe(reading)} but the {source} says {named_text}{swapped}")


@rule("GRV307", "now-dependent-date", Severity.WARNING)
def now_dependent_date(ctx: PageContext) -> Iterable[Finding]:
    """An empty date, or a date format without a time.

    What: `date: ''`, `date:` with no value, a relative date (`tomorrow`), or a `dateformat`
    without hours and minutes (`d-m-Y`).
    Why: an empty string means "now" on every request; no value means the file's modification
    time; a date-only format makes PHP fill in the current time of day, so same-day posts
    reorder on every request.
    Example: `dateformat: 'd-m-Y'`.
    Fix: write a full date and time, and a format with `H:i`.
    """
    fmt = ctx.dateformat
    date_only = bool(fmt and _DATE_ONLY_FORMAT.match(fmt))
    for key, node in _date_nodes(ctx):
        if node.value is None:
            yield _finding(node, f"{key} has no value: Grav uses {_fallback(key)}")
        elif node.text.strip() == "":
            what = "the current time on every request" if not ctx.dateformat else _fallback(key)
            yield _finding(node, f"{key} is empty: Grav uses {what}", severity=Severity.ERROR)
        elif not _misread_iso(node):
            reading = _reading(ctx, node)
            if reading.ok and reading.now_dependent and not (date_only and reading.via == "createFromFormat"):
                yield _finding(node, f"{key} {node.text!r} depends on when the page is viewed: Grav reads "
                               "it relative to the current time")
    if date_only:
        own = ctx.key_node("dateformat")
        where = (own.line, own.column) if own is not None else (ctx.page.split.header_line or 1, 1)
        origin = "this page's" if own is not None else "the site's"
        yield Finding(*where, f"{origin} dateformat {fmt!r} has no time: PHP fills in the current time "
                      "of day, so the date changes on every request")


@rule("GRV308", "publish-window", Severity.ERROR)
def publish_window(ctx: PageContext) -> Iterable[Finding]:
    """Publish dates that cannot work as written.

    What: an `unpublish_date` that is not after `publish_date`, or a `publish_date` in the
    future on a page that also says `published: true` (or `published: false` with any
    publish dates).
    Why: Grav only honours the publish dates when the header has no `published:` key; with it,
    the page is shown (or hidden) regardless, so scheduled publishing silently does nothing.
    Example: `published: true` + `publish_date: '01-01-2030 10:00'` is visible today.
    Fix: remove `published:` to schedule, or remove the publish dates.
    """
    readings = {key: (node, _intended(ctx, node)) for key, node in _date_nodes(ctx)}
    start = readings.get("publish_date")
    end = readings.get("unpublish_date")
    if start and end and start[1].ok and end[1].ok and not (start[1].now_dependent or end[1].now_dependent):
        if _wall(end[1]) <= _wall(start[1]):
            yield _finding(end[0], f"unpublish_date ({describe(end[1])}) is not after publish_date "
                           f"({describe(start[1])}): the page is never shown")
    published = ctx.value_node("published")
    if not isinstance(published, Scalar) or published.value is None:
        return
    now = _wall(datetime.now())
    if published.value is True or published.value not in (False, 0, "0", ""):
        if start and start[1].ok and not start[1].now_dependent and _wall(start[1]) > now:
            yield _finding(start[0], f"publish_date is in the future ({describe(start[1])}) but "
                           f"`published: {published.text}` makes Grav show the page now", severity=Severity.WARNING)
    elif start or end:
        node = (start or end)[0]  # type: ignore[index]
        yield _finding(node, f"`published: {published.text}` hides the page whatever the publish dates say",
                       severity=Severity.WARNING)


# --- site rules -----------------------------------------------------------------------------


def _order_evidence(facts: Iterable[DateFact], folder: str = "") -> Counter[str]:
    """Votes for how a page writes day and month, from dates whose order is certain.

    A date votes when Grav reads it fine and one field is above 12 (`13-01-2024` is day
    first, `01/13/2024` month first); a date Grav cannot read does not vote (GRV301 reports
    it). An ambiguous date votes when it matches the date in its folder name one way only.
    """
    votes: Counter[str] = Counter()
    match = _FOLDER_DATE.match(folder.rsplit("/", 1)[-1]) if folder else None
    named = (int(match[1]), int(match[2]), int(match[3])) if match else None
    for fact in facts:
        shape = fact.shape  # shape_of(fact.text), from the worker
        if shape is None or shape.order not in ("dmy", "mdy"):
            continue
        if shape.ambiguous:
            if named is not None:
                reading = read_date(fact.text)
                other = swapped_reading(fact.text)
                if reading.ok and (reading.year, reading.month, reading.day) == named:
                    votes[shape.order] += 1
                elif other is not None and other.ok and (other.year, other.month, other.day) == named:
                    votes["mdy" if shape.order == "dmy" else "dmy"] += 1
            continue
        day_first_ok = shape.order == "dmy" and shape.first > 12 >= shape.second
        month_first_ok = shape.order == "mdy" and shape.second > 12 >= shape.first
        if day_first_ok or month_first_ok:
            votes[shape.order] += 1
    return votes


def _convention(fmt: str | None) -> str | None:
    if not fmt:
        return None
    d, m = fmt.find("d") if "d" in fmt else fmt.find("j"), fmt.find("m") if "m" in fmt else fmt.find("n")
    if d < 0 or m < 0 or "Y" in fmt[: min(d, m)] or "y" in fmt[: min(d, m)]:
        return None
    return "dmy" if d < m else "mdy"


@rule("GRV305", "ambiguous-day-month", Severity.ERROR, scope=SITE)
def ambiguous_day_month(pages: Sequence[PageSummary]) -> Iterable[Finding]:
    """A date whose day and month Grav reads the other way round from the rest of the site.

    What: a date such as `05/03/2024` or `05-03-2024` where both numbers could be the month,
    in a page or site whose other dates put the day first (or the month first).
    Why: PHP decides by the separator alone: slashes are month/day, dashes and dots are
    day-month. An editor used to the site's convention writes the other separator and Grav
    shows a date weeks or months away.
    Example: on a day-first site, `date: '05/03/2024 10:00'` is shown as 3 May 2024.
    Fix: write it with the site's separator: `'05-03-2024 10:00'`.
    """
    site_votes: Counter[str] = Counter()
    own_votes = {page.display: _order_evidence(page.dates, page.folder) for page in pages}
    for votes in own_votes.values():
        site_votes.update(votes)
    for page in pages:
        convention = _convention(page.dateformat) or _convention(page.site.dateformat)
        source = "its dateformat"
        if convention is None:
            own = own_votes[page.display]
            votes = own if own else site_votes
            source = "its other dates" if own else "the other dates on this site"
            if not votes or (len(votes) == 2 and votes["dmy"] == votes["mdy"]):
                continue
            convention = votes.most_common(1)[0][0]
        for fact in page.dates:
            shape = fact.shape  # shape_of(fact.text), from the worker
            if shape is None or not shape.ambiguous or shape.order == convention or shape.order not in ("dmy", "mdy"):
                continue
            reading = read_date(fact.text, page.dateformat or page.site.dateformat)
            other = swapped_reading(fact.text)
            if not reading.ok or other is None or not other.ok:
                continue
            rule_text = "slashes mean month/day" if shape.separator == "/" else "dashes and dots mean day-month"
            order = "day first" if convention == "dmy" else "month first"
            yield Finding(fact.line, fact.column, f"Grav reads {fact.key} {fact.text!r} as {describe(reading)} "
                          f"({rule_text}), but {source} put the {order}: did you mean {describe(other)}?",
                          fact.end_line, fact.end_column, path=page.display)


@rule("GRV309", "uncommon-date-format", Severity.INFO, scope=SITE)
def uncommon_date_format(pages: Sequence[PageSummary]) -> Iterable[Finding]:
    """A date written in another format than most dates on the site.

    What: the site mostly writes `'dd-mm-yyyy HH:MM'` and this page writes `HH:MM mm/dd/yyyy`.
    Why: mixed formats are how day/month mix-ups start, and a later `dateformat` setting would
    misread the odd ones out.
    Example: `date: 2023/01/09 10:00` on a site of `'09-01-2023 10:00'` dates.
    Fix: write it like the others (`grav-tools normalise` will convert it).
    """
    formats: Counter[str] = Counter()
    shaped: list[tuple[PageSummary, DateFact, str]] = []
    for page in pages:
        for fact in page.dates:
            shape = fact.shape  # shape_of(fact.text), from the worker
            if shape is not None and shape.php_format:
                formats[shape.php_format] += 1
                shaped.append((page, fact, shape.php_format))
    if len(formats) < 2:
        return
    dominant, count = formats.most_common(1)[0]
    if count * 2 <= sum(formats.values()):
        return  # no format is the clear majority
    for page, fact, fmt in shaped:
        if fmt != dominant:
            yield Finding(fact.line, fact.column, f"{fact.key} is written as {fmt!r}; {count} of "
                          f"{sum(formats.values())} dates on this site use {dominant!r}", fact.end_line,
                          fact.end_column, path=page.display)


@rule("GRV310", "translation-dates-differ", Severity.WARNING, scope=SITE)
def translation_dates_differ(pages: Sequence[PageSummary]) -> Iterable[Finding]:
    """The language versions of one post disagree on its dates or on `published`.

    What: `item.kk.md` says `date: '09-01-2023 10:00'` and `item.ru.md` `'10-01-2023 10:00'`,
    or one language is `published: false`.
    Why: each language is a separate page to Grav: the post moves in the list, or appears in
    one language only, when the site is switched.
    Example: a translation copied from another post that kept the other post's date.
    Fix: make the dates and `published` the same in every language file of the folder.
    """
    folders: dict[str, list[PageSummary]] = defaultdict(list)
    for page in pages:
        if page.page_file and page.language is not None:
            folders[page.folder].append(page)
    for members in folders.values():
        if len(members) < 2:
            continue
        for key in DATE_KEYS:
            values: dict[str, tuple[PageSummary, DateFact, Wall | None]] = {}
            for page in members:
                fact = next((f for f in page.dates if f.key == key), None)
                if fact is None:
                    continue
                values[page.display] = (page, fact, fact.wall)  # read in the worker
            distinct = Counter(v[2] for v in values.values())
            if len(distinct) < 2:
                continue
            majority, count = distinct.most_common(1)[0]
            clear = count * 2 > len(values)  # with no clear majority, every version is suspect
            for page, fact, when in values.values():
                if clear and when == majority:
                    continue
                listed = sorted(f"{p.name} ({f.text!r})" for p, f, w in values.values() if w != when)
                others = ", ".join(listed[:8]) + (f" and {len(listed) - 8} more" if len(listed) > 8 else "")
                yield Finding(fact.line, fact.column, f"{key} {fact.text!r} differs from {others} in the "
                              "same folder", fact.end_line, fact.end_column, path=page.display)
        published = {p.display: p for p in members if p.published != "<missing>"}
        truthy = {d: p.published not in ("False", "0", "''", "'0'") for d, p in published.items()}
        if len(set(truthy.values())) > 1:
            for display, page in published.items():
                if not truthy[display]:
                    yield Finding(page.published_line, 1, "published is false here but true in other "
                                  "languages of this post", path=display)
