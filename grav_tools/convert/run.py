"""One conversion, start to end: detect the source, read it, plan the Grav tree, apply, report.

The core of the `convert` command: no printing, no exit codes. Notes become Problems through the
GRV9xx rules, so every report format of validate works for convert too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from grav_tools.convert import apply as A
from grav_tools.convert.grav import Plan, WriteOptions, date_format_for, plan
from grav_tools.convert.model import Note, ReadOptions, Source
from grav_tools.convert.reading import forget_digests, valid_zone
from grav_tools.lint import LintResult
from grav_tools.problems import Problem, Severity
from grav_tools.rules import REGISTRY, all_rules
from grav_tools.site import SiteConfig, find_site_root, load_site

KINDS = ("jekyll", "hugo", "markdown")


class ConvertError(Exception):
    """A usage problem: bad source, bad option, unreadable migration record."""


@dataclass(frozen=True, slots=True)
class ConvertOptions:
    kind: str | None = None  # None: detect
    write: WriteOptions = WriteOptions()
    timezone: str | None = None
    drafts: bool = False
    dry_run: bool = False
    force: bool = False
    prune: bool = False
    # The moment the source system's "dated in the future, not built yet" is judged against (GRV925):
    # an aware datetime (naive is taken as UTC); None: the real time when the conversion starts.
    now: datetime | None = None


@dataclass(slots=True)
class ConvertResult:
    kind: str
    result: LintResult
    applied: A.Applied
    plan: Plan
    timezone: str | None
    pages_prefix: str
    notes: list[Note] = field(default_factory=list)

    def notes_by_code(self) -> dict[str, int]:
        return dict(sorted(Counter(p.code for p in self.result.problems).items()))


def detect(src: Path) -> str:
    """Which reader fits SRC: Jekyll (`_posts`/`_config.yml`), Hugo (`content/` and a config), else plain."""
    from grav_tools.convert import hugo, jekyll

    if jekyll.detect(src):
        return "jekyll"
    if hugo.detect(src):
        return "hugo"
    return "markdown"


def _reader(kind: str) -> Callable[[Path, ReadOptions], Source]:
    """The reader's `read` function, imported only when that kind of source is converted."""
    if kind == "jekyll":
        from grav_tools.convert.jekyll import read as jekyll_read

        return jekyll_read
    if kind == "hugo":
        from grav_tools.convert.hugo import read as hugo_read

        return hugo_read
    from grav_tools.convert.markdown import read as markdown_read

    return markdown_read


def convert(src: Path, dest: Path, options: ConvertOptions, src_display: str | None = None) -> ConvertResult:
    """Convert every post under SRC into Grav folders under DEST (or only plan it: dry_run)."""
    if not src.is_dir():
        raise ConvertError(f"source folder does not exist: {src}")
    if dest.exists() and not dest.is_dir():
        raise ConvertError(f"destination is not a folder: {dest}")
    forget_digests()  # a file may have changed since an earlier run in this process
    if options.timezone and not valid_zone(options.timezone):
        raise ConvertError(f"unknown timezone {options.timezone!r} (use an IANA name such as Europe/Berlin)")
    write = options.write
    section_parts = write.section.strip("/").split("/")
    if write.section.startswith("/") or any(part in ("", ".", "..") for part in section_parts):
        raise ConvertError(f"--section {write.section!r}: a folder path below DEST, such as 01.blog")
    if not write.template or "." in write.template or "/" in write.template:
        raise ConvertError(f"--template {write.template!r}: a Grav page file name has no dot or slash")
    site_root = find_site_root(dest) if dest.exists() else None
    site = load_site(site_root) if site_root else None
    prefix = ""
    if site_root is not None and dest.resolve() == site_root.resolve():
        prefix = "user/pages"
    grav_zone = site.timezone if site and valid_zone(site.timezone) else None
    target = options.timezone or grav_zone
    kind = options.kind or detect(src)
    if kind not in KINDS:
        raise ConvertError(f"unknown source kind {kind!r}; expected one of {', '.join(KINDS)}")
    try:
        now = options.now or datetime.now(UTC)
        source = _reader(kind)(src, ReadOptions(options.drafts, target, date_format_for(site or SiteConfig()), now))
    except OSError as exc:  # a config file or folder of SRC that cannot be read at all
        where = exc.filename or src
        raise ConvertError(f"{where}: cannot read it ({exc.strerror or exc}); fix its permissions and "
                           "convert again") from exc
    notes = list(source.notes)
    if options.timezone and grav_zone and options.timezone != grav_zone:
        notes.append(Note("GRV903", "", 1, f"--timezone {options.timezone} is not the timezone of the Grav site at "
                          f"DEST ({grav_zone}): dates are written as wall clocks in {options.timezone}, but Grav "
                          f"reads them in {grav_zone}", severity=Severity.WARNING))
    effective_zone = target or source.source_timezone
    if target is None and source.source_timezone:
        notes.append(Note("GRV903", "", 1, f"dates are written as wall-clock times in the source's timezone "
                          f"{source.source_timezone}; set `timezone: {source.source_timezone}` in the Grav site's "
                          "system.yaml so Grav reads them the same way"))
    if source.custom_taxonomies:
        names = ", ".join(["category", "tag", *source.custom_taxonomies])
        notes.append(Note("GRV916", "", 1, f"custom taxonomies {', '.join(source.custom_taxonomies)}: add "
                          f"`taxonomies: [{names}]` to user/config/site.yaml"))
    try:
        existing = A.existing_routes(dest, prefix) if dest.is_dir() else {}
        the_plan = plan(source.posts, write, write.section.strip("/"), site, existing)
    except A.RecordError as exc:
        raise ConvertError(str(exc)) from exc
    except ValueError as exc:
        raise ConvertError(str(exc)) from exc
    try:
        applied = A.apply(the_plan, dest, src, kind, dry_run=options.dry_run, force=options.force,
                          prune=options.prune, prefix=prefix)
    except A.RecordError as exc:
        raise ConvertError(str(exc)) from exc
    for post in source.posts:
        notes.extend(post.notes)
    notes.extend(the_plan.notes)
    shown = src_display.rstrip("/") if src_display else str(src)
    problems = [_problem(note, f"{shown}/") for note in notes]
    problems += [_problem(note, "") for note in applied.notes]
    notes.extend(applied.notes)
    result = LintResult(sorted(set(problems)), files_checked=len(source.posts))
    return ConvertResult(kind, result, applied, the_plan, effective_zone, prefix, notes)


def _problem(note: Note, prefix: str) -> Problem:
    """A note as a reported problem; source notes get the SRC argument in front of their path."""
    all_rules()
    rule = REGISTRY[note.code]
    finding = next(iter(rule.check(note)))
    if not note.path:
        path = prefix.rstrip("/") or "."
    else:
        path = note.path if not prefix or note.path.startswith("/") else prefix + note.path
    return Problem(path, finding.line, finding.column, rule.code, finding.end_line or finding.line,
                   finding.end_column or finding.column + 1, finding.severity or rule.severity,
                   finding.message, False)


def summary_table(outcome: ConvertResult) -> list[str]:
    """The run in numbers: posts, assets, carousels, what was written, notes by code."""
    applied = outcome.applied
    rows = [
        ("posts converted", outcome.plan.posts),
        ("assets copied", outcome.plan.assets),
        ("carousels made", outcome.plan.carousels),
        ("files new", applied.count(A.NEW)),
        ("files changed", applied.count(A.CHANGED)),
        ("files unchanged", applied.count(A.SAME)),
        ("files in conflict", applied.count(A.CONFLICT)),
        ("files failed", applied.count(A.FAILED)),
        ("files removed", len(applied.removed)),
    ]
    lines = [f"{label:<18} {value:>6}" for label, value in rows]
    by_code = outcome.notes_by_code()
    if by_code:
        lines.append("notes by code:")
        for code, count in by_code.items():
            lines.append(f"  {code} {REGISTRY[code].name:<22} {count:>6}")
    return lines


