"""Runs the enabled rules: per page (in parallel for big sites), then per site; sorts problems."""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from multiprocessing.context import BaseContext
from operator import attrgetter

from grav_tools.cache import (
    Fingerprint,
    FirstRun,
    ResultCache,
    RunKey,
    bytes_digest,
    first_run,
    listing_digest,
    stat_key_of,
)
from grav_tools.config import Config, RuleOptions
from grav_tools.context import DateFact, PageContext, PageSummary, Shared, summary_row
from grav_tools.dates import read_date, shape_of
from grav_tools.discover import Target
from grav_tools.listing import folder_files, forget, listing_stamp, stamp_listings
from grav_tools.page import build_page
from grav_tools.problems import Finding, Problem, Severity
from grav_tools.rules import COLLECTORS, FAMILIES, PAGE, REGISTRY, SITE, Rule, all_rules
from grav_tools.rules.files import unreadable_file, unused_suppression
from grav_tools.rules.frontmatter import DATE_KEYS, header_keys
from grav_tools.source import PAGE_MAX_BYTES, decode, read_page
from grav_tools.suppress import Suppression, find_suppressions
from grav_tools.workers import die_with_parent, worker_count
from grav_tools.yamlio import Scalar, bounded_repr, parse_header, to_python

_SORT_KEY = attrgetter("path", "line", "column", "code", "end_line", "end_column", "severity", "message")
PARALLEL_THRESHOLD = 2000  # below this a process pool costs more than it saves


def _pool_context() -> BaseContext:
    """How pool workers start: never as forks of this process.

    A forked worker shares the main process's heap (65k targets and their cache keys at 50k
    posts) until either side writes to it, and the main process writes nearly all of it
    (reference counts, new objects), so each worker kept half of a copy: ~60 MB of summed PSS at
    50k posts. Where it exists (Linux, macOS), a fork server does the work: one fresh interpreter
    that imports grav-tools once and forks each worker from its own small heap; a spawned worker
    would import grav-tools itself (~0.2 s of CPU each). `start_workers_early` starts it.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["grav_tools.cli", __name__, *(f"grav_tools.rules.{f}" for f in FAMILIES)])
    return context


_POOL_CONTEXT = _pool_context()


def start_workers_early() -> None:
    """Start what pool workers are made from now, so its start-up (~0.2 s: an interpreter importing
    grav-tools) overlaps the main process's own work (finding the pages) instead of following it.

    For runs that will likely need a pool (discover calls this once it has found
    PARALLEL_THRESHOLD pages); harmless when none is needed after all (every page cached): the
    fork server then only waits, on another core, and ends with this process.
    """
    if _POOL_CONTEXT.get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    try:
        forkserver.ensure_running()
    except OSError:  # only a head start: the pool tries again, and says why, when it is needed
        return


MAX_FILE_BYTES = PAGE_MAX_BYTES
# Findings of one rule in one file: a hostile page (500k `<img>` tags, 100k bad dates) would
# otherwise make a report of gigabytes; the rest is summed up in one last finding.
MAX_FINDINGS_PER_RULE = 500


def _too_many(rule: Rule, finding: Finding) -> Finding:
    """What replaces the first finding of a rule past MAX_FINDINGS_PER_RULE in one file."""
    message = f"more than {MAX_FINDINGS_PER_RULE} {rule.code} problems in this file: from here on they are not listed"
    return replace(finding, message=message, end_line=None, end_column=None)


Selection = Config  # the older name, kept for callers that only select and ignore


@dataclass(slots=True)
class LintResult:
    problems: list[Problem] = field(default_factory=list)
    files_checked: int = 0

    def count(self, severity: Severity) -> int:
        return sum(1 for p in self.problems if p.severity == severity)


def _problem(rule: Rule, finding: Finding, display: str) -> Problem:
    return Problem(
        path=finding.path or display,
        line=finding.line,
        column=finding.column,
        code=rule.code,
        end_line=finding.end_line or finding.line,
        end_column=finding.end_column or finding.column + 1,
        severity=finding.severity or rule.severity,
        message=finding.message,
        fixable=finding.fixable,
    )


def _read(target: Target) -> tuple[bytes | str, os.stat_result | None]:
    """The file's bytes, or why it cannot be read; and its stat, taken before the read."""
    if target.error is not None:
        return target.error, None
    if target.outside:
        return "it is a symlink to a file outside the checked folder; not followed", None
    return read_page(target.file, MAX_FILE_BYTES)  # the str: a Path per read costs 3% of a page


def check_target(
    target: Target, rules: tuple[Rule, ...], options: RuleOptions = RuleOptions(),
    fingerprint: list[Fingerprint] | None = None, stamps: bool = False,
) -> tuple[list[Problem], PageSummary | None]:
    """Read one file and run the page rules on it; a bug in a rule never stops the run.

    With `fingerprint` (for the results cache), what the rules looked at is appended to it, with
    the page's stamp when `stamps` (and listing.stamp_listings is on).
    """
    try:
        return _check_target(target, rules, options, fingerprint, stamps)
    except Exception as exc:  # noqa: BLE001 - reported as a problem, the run goes on
        rule = REGISTRY["GRV100"]
        reason = f"internal error in grav-tools ({type(exc).__name__}: {exc}); please report it"
        return [_problem(rule, f, target.display) for f in unreadable_file(reason)], None


def _check_target(
    target: Target, rules: tuple[Rule, ...], options: RuleOptions, fingerprint: list[Fingerprint] | None,
    stamps: bool = False,
) -> tuple[list[Problem], PageSummary | None]:
    raw, info = _read(target)
    if isinstance(raw, str):
        rule = REGISTRY["GRV100"]
        return [_problem(rule, f, target.display) for f in unreadable_file(raw)], None
    page = build_page(target.path, target.display, decode(raw))
    split = page.split
    header = parse_header(split.header, split.header_line, split.tab_lines) if split.header is not None else None
    data = to_python(header.root) if header is not None and header.root is not None else None
    listing = folder_files(page.folder)
    if fingerprint is not None:
        # both stats were taken before the read and the listing: never newer than what was checked
        stamp = (stat_key_of(info) if info is not None else None, listing_stamp(page.folder)) if stamps else None
        fingerprint.append((bytes_digest(raw), listing_digest(listing), stamp))
    ctx = PageContext(page, target.site, header, data if isinstance(data, dict) else {}, listing, options,
                      tree=target.tree)
    problems: list[Problem] = []
    if target.page_file:
        display = target.display
        for rule in rules:
            # a plain loop (no wrapping generator, no enumerate): every rule x every page adds up, and
            # most rules find nothing
            count = 0
            for finding in rule.check(ctx):
                if count == MAX_FINDINGS_PER_RULE:
                    problems.append(_problem(rule, _too_many(rule, finding), display))
                    break  # the rule's generator is not run any further
                problems.append(_problem(rule, finding, display))
                count += 1
    return problems, summarise(ctx, target)


def summarise(ctx: PageContext, target: Target) -> PageSummary:
    """The small facts about a page that the site rules compare across files."""
    root = ctx.root
    dates: list[DateFact] = []
    published = "<missing>"
    published_line = 0
    if root is not None:
        for key in DATE_KEYS:
            node = root.get(key)
            if isinstance(node, Scalar):
                reading = read_date(node.text, ctx.dateformat)
                wall = (reading.year, reading.month, reading.day, reading.hour, reading.minute,
                        reading.second) if reading.ok else None
                dates.append(DateFact(key, node.text, node.line, node.column, node.end_line,
                                      node.end_column, not node.plain, wall, shape_of(node.text)))
        node = root.get("published")
        if node is not None:
            published = bounded_repr(ctx.data.get("published"))  # never repr() an alias bomb
            published_line = node.line
    own_format = ctx.data.get("dateformat")
    return PageSummary(
        display=target.display,
        folder=str(ctx.page.folder),
        name=ctx.page.path.name,
        template=ctx.page.template,
        language=ctx.page.language,
        page_file=target.page_file,
        site=target.site,
        has_header=root is not None,
        dateformat=own_format if isinstance(own_format, str) else None,
        dates=tuple(dates),
        published=published,
        published_line=published_line,
        keys=header_keys(root),
        media=ctx.folder_files,
        extra=tuple(part for collect in COLLECTORS for fact in collect(ctx) for part in fact),
        options=ctx.options,
        suppressions=find_suppressions(ctx.page),
        local=not ctx.cache.get("looked_outside", False),
    )


_worker_rules: tuple[Rule, ...] = ()
_worker_options = RuleOptions()
_worker_caches = False
_worker_stamps = False


def _init_worker(codes: tuple[str, ...], options: RuleOptions, parent: int, caches: bool, stamps: bool) -> None:
    global _worker_rules, _worker_options, _worker_caches, _worker_stamps
    die_with_parent(parent)
    all_rules()
    _worker_rules = tuple(REGISTRY[c] for c in codes)
    _worker_options = options
    _worker_caches = caches
    _worker_stamps = stamps
    stamp_listings(stamps)


def _check_in_worker(target: Target) -> tuple[bytes, Fingerprint | None, FirstRun | None]:
    result, blob, fingerprint, first = _check_here(target, _worker_rules, _worker_options, _worker_caches,
                                                   _worker_stamps)
    return pack(result, target.display) if blob is None else blob, fingerprint, first


BIG_LISTING = 64  # folder listings longer than this do not travel with each page
_SEVERITIES = {int(severity): severity for severity in Severity}


def pack(result: PageResult, display: str) -> bytes:
    """One page's results as bytes: plain tuples, without what the main process knows already.

    Results travel from the workers and into the results cache in this form: the main process
    unpickles each page once and stores the very same bytes in the cache, instead of pickling
    13k summaries again at the end of the run. Problems on `display` (nearly all) carry no path,
    the summary no display, site, rule options or big folder listing (a 20k-file folder's listing
    would travel, and be cached, 20k times; the main process lists such a folder itself, once).
    """
    problems, summary = result
    rows = tuple((None if p.path == display else p.path, p.line, p.column, p.code, p.end_line, p.end_column,
                  int(p.severity), p.message, p.fixable) for p in problems)
    row = None if summary is None else summary_row(summary, with_media=len(summary.media) <= BIG_LISTING)
    return pickle.dumps((rows, row), pickle.HIGHEST_PROTOCOL)


def unpack(blob: bytes, target: Target, options: RuleOptions, shared: Shared) -> PageResult:
    """The results `pack` made, with the path, site settings, run options and folder listing (listed
    again here, once per folder, when it stayed behind) back in. Equal values of
    different pages become one object through `shared`."""
    rows, row = pickle.loads(blob)
    display, one = target.display, shared.one
    problems = [Problem(display if path is None else path, line, column, one(code), end_line, end_column,
                        _SEVERITIES[severity], one(message), fixable)
                for path, line, column, code, end_line, end_column, severity, message, fixable in rows]
    return problems, None if row is None else shared.summary(row, target, options, folder_files)


@contextmanager
def _collector(enabled: bool) -> Iterator[None]:
    """Turn Python's cyclic garbage collector on or off for a block, then back as it was.

    The main process keeps every page's summary and problems to the end (~100 objects a page),
    and each full collection walks all of them, while its own work (unpickling results, site
    rules, sorting) makes almost no cyclic garbage: 34 objects on a 10k-post site. Off there, its
    CPU time went from 2.07 to 1.38 s at 10k. Page rules do make cycles (~20 objects a page), so
    the collector is on wherever they run: on the serial path, and in pool workers (forks of a
    fresh fork server, or spawned: on from the start).
    """
    was = gc.isenabled()
    if enabled:
        gc.enable()
    else:
        gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
        else:
            gc.disable()


def lint(
    targets: list[Target],
    config: Config = Config(),
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    cache: ResultCache | None = None,
) -> LintResult:
    """Check every target; site rules run once over the per-page summaries.

    `progress` (if given) is called with the number of files just finished; the core never prints.
    With a `cache`, pages whose key did not change reuse their stored results (see cache.py).
    From PARALLEL_THRESHOLD pages on (and more than one job) the page rules run in fresh worker
    processes (never forks of this one, see _pool_context): a script that calls this needs the usual
    `if __name__ == "__main__":` guard, as on macOS and Windows.
    """
    with _collector(False):
        return _lint(targets, config, jobs, progress, cache)


def _lint(targets: list[Target], config: Config, jobs: int | None, progress: Callable[[int], None] | None,
          cache: ResultCache | None) -> LintResult:
    forget()  # listings are remembered for one run only
    rules = [r for r in all_rules() if config.enabled(r.code)]
    page_rules = tuple(r for r in rules if r.scope == PAGE)
    site_rules = [r for r in rules if r.scope == SITE]
    outcome = LintResult(files_checked=len(targets))
    keys: list[object] = []
    run_key = ""
    stamped: RunKey | None = None  # a first run: the pages' quick keys come from the workers
    if cache is not None and cache.is_cold():
        stamped = RunKey()
    elif cache is not None:
        keys = [cache.page_key(t.file, t.display, _flags(t)) for t in targets]
        run_key = cache.run_key(keys)
        stored = cache.load_run(run_key)
        if stored is not None:
            outcome.problems = stored
            if progress is not None:
                progress(len(targets))
            return outcome
    hits, todo = _cached(targets, keys, cache)
    if cache is not None and not todo and stamped is None:
        # every page came from the cache, some by content (a fresh checkout): the report may too
        content_key = cache.content_run_key(len(targets))
        stored = cache.load_run(run_key, content_key) if content_key is not None else None
        if stored is not None:
            outcome.problems = stored
            cache.save_pages()
            cache.save_run(run_key, content_key, stored)  # the quick run key of this checkout
            if progress is not None:
                progress(len(targets))
            return outcome
    try:
        summaries = _page_results(targets, keys, hits, todo, page_rules, config.options, jobs, progress, cache,
                                  outcome.problems, stamped)
    except BaseException:
        if cache is not None:
            cache.discard()  # no half-written pages file left behind
        raise
    del keys, hits  # the cache has what it needs: memory for the site rules
    if stamped is not None:
        run_key = stamped.hexdigest()
    content_key = cache.content_run_key(len(targets)) if cache is not None else None
    _run_site_rules(site_rules, summaries, outcome)
    suppressions = {s.display: s.suppressions for s in summaries if s.suppressions}
    del summaries  # a big site's summaries need not sit in memory while its problems are sorted
    # duplicates dropped in the order the problems came (page by page, in path order), not a set's:
    # sorting the 33.5k problems of the 10k-post site took 10 ms instead of 26
    problems = _apply_suppressions(_apply_config(dict.fromkeys(outcome.problems), config), suppressions, config)
    outcome.problems = sorted(problems, key=_SORT_KEY)  # same order as Problem's, much faster
    if cache is not None:
        cache.save_pages()
        cache.save_run(run_key, content_key, outcome.problems)
    return outcome


PageResult = tuple[list[Problem], PageSummary | None]


def _flags(target: Target) -> tuple[object, ...]:
    """How a page was found: part of its cache keys."""
    return (target.page_file, target.outside, target.tree, target.error)


def _cached(targets: list[Target], keys: list[object], cache: ResultCache | None
            ) -> tuple[list[tuple[int, bytes]], list[int]]:
    """The pages found in the cache, as (index, packed results), and the indexes of the others."""
    hits: list[tuple[int, bytes]] = []
    todo: list[int] = []
    for index, target in enumerate(targets):
        key = keys[index] if keys else None
        hit = cache.get(target.file, key) if cache is not None and key is not None else None
        if isinstance(hit, bytes):
            hits.append((index, hit))
        else:
            todo.append(index)
    return hits, todo


def _page_results(targets: list[Target], keys: list[object], hits: list[tuple[int, bytes]], todo: list[int],
                  page_rules: tuple[Rule, ...], options: RuleOptions, jobs: int | None,
                  progress: Callable[[int], None] | None, cache: ResultCache | None,
                  problems: list[Problem], stamped: RunKey | None = None) -> list[PageSummary]:
    """The page rules' results for every target, from the cache (`hits`: the packed results of
    the pages found there) or checked (`todo`: the indexes of the others) in a process pool or
    here: the problems added to `problems` (in no particular order), the summaries returned in
    target order. With `stamped` (a first run: `todo` is every target, `keys` empty), the pages
    are stamped as they are read and their quick keys added to it in target order."""
    summaries: list[PageSummary | None] = [None] * len(targets)
    shared = Shared()
    for index, blob in hits:
        found, summaries[index] = unpack(blob, targets[index], options, shared)
        problems.extend(found)
    if progress is not None and hits:
        progress(len(hits))
    work = [targets[i] for i in todo]
    workers = worker_count(jobs)
    if workers > 1 and len(work) >= PARALLEL_THRESHOLD:
        chunk = max(16, len(work) // (workers * 24))  # small last chunks: no worker idles long at the end
        initargs = (tuple(r.code for r in page_rules), options, os.getpid(), cache is not None, stamped is not None)
        with ProcessPoolExecutor(workers, mp_context=_POOL_CONTEXT, initializer=_init_worker,
                                 initargs=initargs) as pool:
            packed: Iterable[tuple[bytes, Fingerprint | None, FirstRun | None]] = pool.map(
                _check_in_worker, work, chunksize=chunk)
            fresh: Iterable[Checked] = ((unpack(blob, targets[i], options, shared), blob, fingerprint, first)
                                        for i, (blob, fingerprint, first) in zip(todo, packed))
            _place(summaries, problems, todo, fresh, keys, targets, progress, cache, stamped)
    else:
        stamp_listings(stamped is not None)
        try:
            with _collector(True):
                here = (_check_here(t, page_rules, options, cache is not None, stamped is not None) for t in work)
                _place(summaries, problems, todo, here, keys, targets, progress, cache, stamped)
        finally:
            stamp_listings(False)
    return [summary for summary in summaries if summary is not None]


# one page checked: its results, the packed form when one was made, its fingerprint (for the results
# cache), and on a first run, its part of the cache (then the fingerprint is in there)
Checked = tuple[PageResult, bytes | None, Fingerprint | None, FirstRun | None]


def _check_here(target: Target, rules: tuple[Rule, ...], options: RuleOptions, caches: bool,
                stamps: bool = False) -> Checked:
    """check_target, with what the results cache needs when `caches`: the fingerprint, or on a first
    run (`stamps`) the page's part of the cache, made here (in the worker) from its packed results."""
    fingerprint: list[Fingerprint] | None = [] if caches else None
    result = check_target(target, rules, options, fingerprint, stamps)
    seen = fingerprint[0] if fingerprint else None
    if not stamps:
        return result, None, seen, None
    blob = pack(result, target.display)
    summary = result[1]
    cacheable = summary is not None and summary.local
    return result, blob, None, first_run(target.file, target.display, _flags(target), blob, seen, cacheable)


def _place(summaries: list[PageSummary | None], problems: list[Problem], todo: list[int],
           fresh: Iterable[Checked], keys: list[object], targets: list[Target],
           progress: Callable[[int], None] | None, cache: ResultCache | None, stamped: RunKey | None) -> None:
    for index, ((found, summary), blob, fingerprint, first) in zip(todo, fresh):
        summaries[index] = summary
        problems.extend(found)
        if first is not None:
            _keep_first_run(first, cache, stamped)
        elif keys and keys[index] is not None:
            key = keys[index]
            keys[index] = None  # used: a big site's keys are gone by the end of the page rules (the peak)
            if cache is not None and fingerprint is not None and summary is not None and summary.local:
                target = targets[index]
                cache.put(target.file, key, blob if blob is not None else pack((found, summary), target.display),
                          fingerprint)
        if progress is not None:
            progress(1)


def _keep_first_run(first: FirstRun, cache: ResultCache | None, stamped: RunKey | None) -> None:
    """A first run's page, as its checker made it ready: its piece of the run key, its record.

    An unreadable page has no stamp (nor a record): its None makes the next run's run key differ
    once, which only costs that run the whole-report shortcut.
    """
    piece, page, content = first
    if stamped is not None:
        stamped.add_piece(piece)
    if cache is not None and page is not None:
        cache.put_record(page, content)


def _run_site_rules(site_rules: list[Rule], summaries: list[PageSummary], outcome: LintResult) -> None:
    """Cross-file rules compare pages of one Grav site, never across sites; a crash is a GRV100."""
    sites: dict[object, list[PageSummary]] = {}
    for summary in summaries:
        sites.setdefault(summary.site.root, []).append(summary)
    for rule in site_rules:
        for members in sites.values():
            per_file: dict[str, int] = {}
            try:
                for finding in rule.check(members):
                    path = finding.path or ""
                    seen = per_file[path] = per_file.get(path, 0) + 1
                    if seen <= MAX_FINDINGS_PER_RULE:
                        outcome.problems.append(_problem(rule, finding, path))
                    elif seen == MAX_FINDINGS_PER_RULE + 1:
                        outcome.problems.append(_problem(rule, _too_many(rule, finding), path))
            except Exception as exc:  # noqa: BLE001 - like a page rule's crash: reported, the run goes on
                root = members[0].site.root
                message = (f"internal error in grav-tools in the site rule {rule.code} "
                           f"({type(exc).__name__}: {exc}); please report it")
                outcome.problems.append(_problem(REGISTRY["GRV100"], Finding(1, 1, message), str(root or "")))


def _apply_suppressions(problems: Iterable[Problem], by_path: dict[str, tuple[Suppression, ...]],
                        config: Config) -> list[Problem]:
    """Drop suppressed problems; report suppressions (by displayed path) that silenced nothing (GRV106)."""
    if not by_path:
        return list(problems)
    used: set[tuple[str, Suppression]] = set()
    kept = []
    for problem in problems:
        hits = [s for s in by_path.get(problem.path, ()) if s.covers(problem.code, problem.line)]
        if hits and problem.code != "GRV106":
            used.update((problem.path, s) for s in hits)
            continue
        kept.append(problem)
    if config.enabled("GRV106"):
        rule = REGISTRY["GRV106"]
        for path, suppressions in by_path.items():
            for suppression in suppressions:
                if (path, suppression) in used:
                    continue
                live = [c for c in suppression.codes if any(config.enabled(r) for r in REGISTRY if r.startswith(c))]
                if live:
                    for finding in unused_suppression(suppression):
                        kept.append(_problem(rule, finding, path))
    return kept


def _apply_config(problems: Iterable[Problem], config: Config) -> Iterator[Problem]:
    """Drop disabled and per-path-ignored problems; apply per-rule severities.

    What the settings say of a rule is worked out once per rule, not once per problem: for the
    33k problems of the 10k-post site that took 70 ms of the main process, after the workers were done.
    """
    rulings: dict[str, tuple[bool, Severity | None]] = {}
    by_path = bool(config.per_path_ignores)
    for problem in problems:
        code = problem.code
        ruling = rulings.get(code)
        if ruling is None:
            ruling = rulings[code] = (config.enabled(code), config.severity_of(code))
        enabled, severity = ruling
        if not enabled or (by_path and config.ignored_at(code, problem.path)):
            continue
        yield problem if severity is None or severity == problem.severity else replace(problem, severity=severity)
