"""Time grav-tools against a plain-Python floor and its peers on generated Grav sites (issue 6).

The floor is the least any checker must do: read every page file, decode it and split the
frontmatter, in one Python process. Ratios are to the floor (or, for start-up, to a bare
`python -c pass`) measured in the same run, because the machines are noisy and shared and
absolute seconds mean little. Every figure is a median over the runs.

    python benchmarks/run.py                            # 1k and 10k posts, 5 runs each
    python benchmarks/run.py --posts 1000 --runs 3
    python benchmarks/run.py --posts 10k --posts 50k --runs 3 --large-runs 1
    python benchmarks/run.py --only validate,peers --json results.json

Rows for each size: the floor; `validate` on all CPUs and with -j 1; `normalise --check` on a
canonical copy of the site; `normalise` rewriting a fresh copy of the generated site (the copy
is untimed); yamllint and markdownlint-cli2 (installed into benchmarks/out/peers/ on first use;
a peer that cannot be installed is skipped with the reason). Each row also gives the peak
memory (PSS) of the command's whole process tree (pool workers included). Then come the start-up
rows, the peer ratios, the 50k/10k linearity and a check of every target of issue 6. Each site
(and canonical copy) is read once, untimed, before its rows: every row then finds the files in
the file cache, as on a machine that works on that site.

Sites are made by ../shared/tools/make_grav_corpus.py (deterministic, seed 1) under
benchmarks/out/ (gitignored); a 50k-post site takes a while and about 1.3 GB, its canonical and
rewrite copies as much again each. Progress goes to stderr, the table to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from measure import Measurement, measure
from peers import Peer, install_markdownlint, install_yamllint, markdownlint_command, yamllint_command
from sites import build_site, canonical_site, changed_files, copy_tree, frontmatter_tree, page_files

HERE = Path(__file__).resolve().parent
GROUPS = ("startup", "validate", "check", "rewrite", "peers")
ALIASES = {"normalise": ("check", "rewrite"), "normalize": ("check", "rewrite"), "all": GROUPS}
LARGE = 50_000
PEERS_MAX_POSTS = 10_000
STARTUP_MIN_RUNS = 10
CACHE_ENV = "GRAV_TOOLS_CACHE_DIR"  # grav-tools' results cache: emptied before every timed run
OK_EXIT = (0, 1)  # 1 = problems found / files would change; 2 = usage error; crashes print a traceback

FLOOR = r"""
import os, re, sys
split = re.compile(r"^---\n(.+?)\n---\n*(.*)$", re.S)
n = 0
for folder, dirs, files in os.walk(sys.argv[1]):
    dirs[:] = [d for d in dirs if not d.startswith(".")]
    for name in files:
        if name.endswith(".md"):
            with open(os.path.join(folder, name), "rb") as handle:
                raw = handle.read()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("latin-1")
            split.match(text.replace("\r\n", "\n").lstrip())
            n += 1
print(n)
"""


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cache_dir() -> Path:
    return Path(os.environ[CACHE_ENV])


def empty_cache() -> None:
    """Cold runs: grav-tools finds no results cache (and writes a new one, as a first run does)."""
    shutil.rmtree(cache_dir(), ignore_errors=True)


def cache_written() -> bool:
    return cache_dir().is_dir() and any(cache_dir().iterdir())


@dataclass
class Row:
    """One line of the table: a command's runs at one site size (posts None: start-up rows)."""

    key: str
    label: str
    posts: int | None
    files: int | None
    result: Measurement
    base: float | None
    base_name: str = "floor"
    notes: list[str] = field(default_factory=list)
    changed: int | None = None  # rewrite rows: how many page files the command changed

    @property
    def median(self) -> float:
        return statistics.median(self.result.times)

    @property
    def files_per_s(self) -> float | None:
        return self.files / self.median if self.files else None

    @property
    def ratio(self) -> float | None:
        return self.median / self.base if self.base else None

    @property
    def failed(self) -> bool:
        crashed = "Traceback (most recent call last)" in self.result.last_stderr
        return crashed or any(code not in OK_EXIT for code in self.result.returncodes)

    def as_json(self) -> dict[str, object]:
        return {"key": self.key, "label": self.label, "posts": self.posts, "files": self.files,
                "times": self.result.times, "median": self.median, "min": min(self.result.times),
                "files_per_s": self.files_per_s, "ratio": self.ratio, "ratio_to": self.base_name,
                "peak_mb": self.result.peak_mb, "returncodes": self.result.returncodes,
                "changed": self.changed, "notes": self.notes}


@dataclass
class Report:
    """Rows as they are measured, printed at once; notes and peers for after the table."""

    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    peers: dict[str, Peer] = field(default_factory=dict)

    def add(self, row: Row) -> Row:
        if row.failed:
            last = [line for line in row.result.last_stderr.splitlines() if line.strip()][-1:]
            row.notes.append(f"exit codes {row.result.returncodes}; stderr: {' '.join(last)}")
        self.rows.append(row)
        print(format_row(row), flush=True)
        for note in row.notes:
            self.notes.append(f"{row.posts or 'start-up'} {row.label.strip()}: {note}")
        return row

    def find(self, key: str, posts: int | None) -> Row | None:
        return next((r for r in self.rows if r.key == key and r.posts == posts), None)


HEADER = f"{'command':<48} {'median s':>9} {'min s':>8} {'files/s':>9} {'ratio':>8} {'peak MB':>8}"


def format_row(row: Row) -> str:
    rate = f"{row.files_per_s:>9,.0f}" if row.files_per_s else f"{'':>9}"
    ratio = f"{row.ratio:>7.2f}x" if row.ratio else f"{'':>8}"
    peak = f"{row.result.peak_mb:>8.0f}" if row.result.peak_mb else f"{'':>8}"
    flag = "  (FAILED, see notes)" if row.failed else ""
    fastest = min(row.result.times)
    return f"{row.label:<48} {row.median:>9.3f} {fastest:>8.3f} {rate} {ratio} {peak}{flag}"


def median_of(row: Row | None) -> float | None:
    return row.median if row else None


# --- the rows ------------------------------------------------------------------------------


def startup_rows(report: Report, exe: Sequence[str], page: Path, runs: int) -> None:
    """Bare python, `grav-tools --help` and `grav-tools validate one-page.md`, vs bare python."""
    bare = report.add(Row("python", "bare python -c pass", None, None,
                          measure([sys.executable, "-c", "pass"], runs), None, "python"))
    report.add(Row("help", "grav-tools --help", None, None,
                   measure([*exe, "--help"], runs, setup=empty_cache), bare.median, "python"))
    one_page = measure([*exe, "validate", str(page)], runs, setup=empty_cache)
    report.add(Row("one-page", "grav-tools validate one-page.md", None, None, one_page, bare.median,
                   "python", [f"one page: {page.relative_to(HERE)}"]))


def warm_up(tree: Path) -> None:
    """Read every page file of `tree` once, untimed, so that every row finds it in the file cache
    as the first run had to read it from disk: a 50k site read cold here took the floor 74 s
    instead of 7 s, and a ratio to that says nothing about grav-tools."""
    progress(f"reading {tree.name} once, untimed, to warm the file cache ...")
    measure([sys.executable, "-c", FLOOR, str(tree)], 1)


def floor_row(report: Report, site: Path, posts: int, files: int, runs: int) -> Row:
    return report.add(Row("floor", "  floor: read+decode+split, 1 process", posts, files,
                          measure([sys.executable, "-c", FLOOR, str(site)], runs), None))


def validate_rows(report: Report, exe: Sequence[str], site: Path, posts: int, files: int,
                  runs: int, base: float) -> None:
    """Cold runs on all CPUs and with -j 1; warm runs too when grav-tools keeps a results cache."""
    cmd = [*exe, "validate", "--format", "json", str(site)]
    report.add(Row("validate", "  validate (all CPUs)", posts, files,
                   measure(cmd, runs, setup=empty_cache), base))
    if cache_written():
        report.add(Row("validate-warm", "  validate (all CPUs), warm results cache", posts, files,
                       measure(cmd, runs), base, notes=["the cache of the cold run before it; "
                                                        "cold rows start with an empty cache"]))
    report.add(Row("validate-j1", "  validate (-j 1)", posts, files,
                   measure([*cmd[:-1], "-j", "1", str(site)], runs, setup=empty_cache), base))
    checkout_row(report, exe, site, posts, files, runs, base)


def checkout_row(report: Report, exe: Sequence[str], site: Path, posts: int, files: int,
                 runs: int, base: float) -> None:
    """A CI job that restores its results cache: every run gets a fresh copy of the site at the
    same path (new inodes and change times, as `git clone` gives), and the cache a run on an
    earlier copy left. The copies are not timed."""
    work = site.with_name(site.name + "-checkout")
    cmd = [*exe, "validate", "--format", "json", str(work)]

    def fresh_checkout() -> None:
        copy_tree(site, work)

    try:
        fresh_checkout()
        empty_cache()
        measure(cmd, 1)  # the earlier job, which left the cache
        if not cache_written():
            return
        result = measure(cmd, runs, setup=fresh_checkout)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report.add(Row("validate-checkout", "  validate, fresh checkout, cache restored", posts, files, result, base,
                   notes=["each run on a new copy of the site (new inodes and times) with the cache an earlier "
                          "copy left: pages are found by content"]))


def check_rows(report: Report, exe: Sequence[str], site: Path, posts: int, files: int,
               runs: int, base: float) -> None:
    canonical = canonical_site(exe, site)
    notes = [f"canonical copy {canonical.path.name}: {canonical.changed} of {canonical.pages} "
             f"files rewritten once; {canonical.failed if canonical.failed is not None else '?'} "
             "could not be normalised and stay as generated"]
    if canonical.pending:
        notes.append(f"--check still lists {canonical.pending} files in the canonical copy")
    warm_up(canonical.path)
    for key, label, jobs in (("check", "all CPUs", []), ("check-j1", "-j 1", ["-j", "1"])):
        cmd = [*exe, "normalise", "--check", "-q", *jobs, str(canonical.path)]
        report.add(Row(key, f"  normalise --check, canonical copy ({label})", posts, files,
                       measure(cmd, runs, setup=empty_cache), base, notes=notes if not jobs else []))


def rewrite_row(report: Report, exe: Sequence[str], site: Path, posts: int, files: int,
                runs: int, base: float) -> None:
    """`normalise` on a fresh copy of the generated site each run; the copy is not timed."""
    work = site.with_name(site.name + "-rewrite")

    def fresh_copy() -> None:
        copy_tree(site, work)
        empty_cache()

    try:
        result = measure([*exe, "normalise", "-q", str(work)], runs, setup=fresh_copy)
        changed = changed_files(site, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    row = Row("rewrite", "  normalise rewrite, fresh copy (all CPUs)", posts, files, result, base,
              changed=changed)
    row.notes.append(f"{changed} of {files} files change ({changed / row.median:,.0f} changed files/s)"
                     if changed != files else "every file changes")
    report.add(row)


def peer_rows(report: Report, site: Path, posts: int, files: int, runs: int, base: float,
              peers_dir: Path) -> None:
    yamllint = report.peers.setdefault("yamllint", install_yamllint(peers_dir))
    markdownlint = report.peers.setdefault("markdownlint-cli2", install_markdownlint(peers_dir))
    if yamllint.exe:
        tree, missing = frontmatter_tree(site)
        notes = [f"{yamllint.version}, default rules, on {tree.name}/ (each page's frontmatter "
                 "written once, untimed, as a .yaml file)"]
        if missing:
            notes.append(f"{missing} pages have no frontmatter (empty .yaml files)")
        report.add(Row("yamllint", "  yamllint, frontmatter as .yaml tree", posts, files,
                       measure(yamllint_command(yamllint, tree), runs), base, notes=notes))
    if markdownlint.exe:
        report.add(Row("markdownlint", "  markdownlint-cli2, the .md files", posts, files,
                       measure(markdownlint_command(markdownlint), runs, cwd=site), base,
                       notes=[f"{markdownlint.version}, default rules"]))


def size_rows(report: Report, args: argparse.Namespace, exe: Sequence[str], posts: int,
              site: Path) -> None:
    files = sum(1 for _ in page_files(site))
    runs = runs_for(args, posts)
    progress(f"{posts} posts, {files} page files, {runs} runs")
    print(f"-- {posts} posts, {files} page files, {runs} run{'s' if runs > 1 else ''}", flush=True)
    warm_up(site)
    base = floor_row(report, site, posts, files, runs).median
    if "validate" in args.only:
        validate_rows(report, exe, site, posts, files, runs, base)
    if "check" in args.only:
        check_rows(report, exe, site, posts, files, runs, base)
    if "rewrite" in args.only:
        rewrite_row(report, exe, site, posts, files, runs, base)
    if "peers" in args.only:
        if posts <= args.peers_max_posts:
            peer_rows(report, site, posts, files, runs, base, args.out / "peers")
        else:
            report.notes.append(f"{posts} peers not run above {args.peers_max_posts} posts "
                                "(issue 6 compares on 10k; --peers-max-posts to change)")


# --- after the table -----------------------------------------------------------------------


def peer_ratio_lines(report: Report, sizes: Iterable[int]) -> list[str]:
    lines = []
    for posts in sizes:
        validate = median_of(report.find("validate", posts))
        for key, name, target in (("markdownlint", "markdownlint-cli2", 15),
                                  ("yamllint", "yamllint", 10)):
            peer = median_of(report.find(key, posts))
            if validate and peer:
                lines.append(f"{posts} posts: validate (all CPUs) runs at {peer / validate:.1f}x "
                             f"{name}'s speed (target >= {target}x)")
    return lines


@dataclass
class Target:
    """One target of issue 6: `value op limit`, or not measured (value None, with a reason)."""

    name: str
    value: float | None
    op: str
    limit: float
    unit: str
    reason: str = ""

    @property
    def status(self) -> str:
        if self.value is None:
            return "not measured"
        met = self.value <= self.limit if self.op == "<=" else self.value >= self.limit
        return "met" if met else "NOT MET"

    def text(self) -> str:
        if self.value is None:
            return f"{self.name}: not measured ({self.reason})"
        target = f"target {self.op} {self.limit:g}{self.unit}"
        value = f"{self.value:,.3f}" if self.value < 10 else f"{self.value:,.1f}"
        return f"{self.name}: {value}{self.unit} ({target}): {self.status}"


def ratio(top: float | None, bottom: float | None) -> float | None:
    return top / bottom if top and bottom else None


def short(posts: int) -> str:
    return f"{posts // 1000}k" if posts % 1000 == 0 else str(posts)


def targets(report: Report, sizes: list[int]) -> list[Target]:
    """Issue 6's targets; per-size ones at 10k (or the largest size run below 50k)."""
    small = [s for s in sizes if s < LARGE] or sizes
    ref = 10_000 if 10_000 in sizes else max(small)
    at = short(ref)
    need = "needs --posts 10k and the right --only"
    floor = median_of(report.find("floor", ref))
    validate = median_of(report.find("validate", ref))
    large_validate = report.find("validate", LARGE)
    startup = "needs the startup group in --only"
    return [
        Target("grav-tools --help", median_of(report.find("help", None)), "<=", 0.2, " s", startup),
        Target("grav-tools validate one-page.md", median_of(report.find("one-page", None)), "<=",
               0.35, " s", startup),
        Target(f"validate {at} (all CPUs)", ratio(validate, floor), "<=", 2.5, "x floor", need),
        Target(f"normalise --check canonical {at}", ratio(median_of(report.find("check", ref)), floor),
               "<=", 3, "x floor", need),
        Target(f"normalise rewrite {at}, changed files/s", rewrite_rate(report.find("rewrite", ref)),
               ">=", 1000, " files/s", need),
        Target(f"validate {at} speed / markdownlint-cli2's",
               ratio(median_of(report.find("markdownlint", ref)), validate), ">=", 15, "x",
               peer_reason(report, "markdownlint-cli2")),
        Target(f"validate {at} speed / yamllint's", ratio(median_of(report.find("yamllint", ref)),
               validate), ">=", 10, "x", peer_reason(report, "yamllint")),
        Target(f"validate {short(LARGE)} time / 10k time", ratio(median_of(large_validate),
               median_of(report.find("validate", 10_000))), "<=", 5.5, "x",
               f"needs --posts {short(LARGE)} and --posts 10k in one run"),
        Target(f"validate {short(LARGE)} peak memory, all processes",
               large_validate.result.peak_mb if large_validate else None, "<=", 300, " MB",
               f"needs --posts {short(LARGE)}"),
    ]


def rewrite_rate(row: Row | None) -> float | None:
    """Changed page files per second of a rewrite row."""
    return row.changed / row.median if row and row.changed else None


def peer_reason(report: Report, name: str) -> str:
    peer = report.peers.get(name)
    return f"skipped: {peer.skipped}" if peer and peer.skipped else "needs --posts 10k and peers"


def print_after_table(report: Report, sizes: list[int], found: list[Target]) -> None:
    if report.notes:
        print("\nnotes:")
        for note in report.notes:
            print(f"  {note}")
    for peer in report.peers.values():
        if peer.skipped:
            print(f"  peer skipped: {peer.name}: {peer.skipped}")
    lines = peer_ratio_lines(report, sizes)
    if lines:
        print("\npeer ratios:")
        for line in lines:
            print(f"  {line}")
    small, large = report.find("validate", 10_000), report.find("validate", LARGE)
    if small and large and small.files and large.files:
        print(f"\nlinearity: validate {short(LARGE)}/10k = {large.median / small.median:.2f}x the time "
              f"for {large.files / small.files:.2f}x the page files")
    print("\ntargets (issue 6):")
    for target in found:
        print(f"  {target.text()}")


def write_json(path: Path, report: Report, args: argparse.Namespace, found: list[Target]) -> None:
    data = {
        "python": sys.version.split()[0], "cpus": os.cpu_count(), "sizes": args.posts,
        "runs": args.runs, "large_runs": args.large_runs, "only": sorted(args.only),
        "rows": [row.as_json() for row in report.rows], "notes": report.notes,
        "peers": {p.name: {"version": p.version, "skipped": p.skipped} for p in report.peers.values()},
        "targets": [{"name": t.name, "value": t.value, "op": t.op, "limit": t.limit,
                     "unit": t.unit.strip(), "status": t.status, "text": t.text()} for t in found],
    }
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


# --- command line --------------------------------------------------------------------------


def posts_arg(text: str) -> int:
    """`10000`, `10k` or `10_000`."""
    text = text.lower().replace("_", "")
    return int(text[:-1]) * 1000 if text.endswith("k") else int(text)


def groups_arg(text: str) -> set[str]:
    chosen: set[str] = set()
    for name in filter(None, (part.strip() for part in text.split(","))):
        if name not in GROUPS and name not in ALIASES:
            raise argparse.ArgumentTypeError(f"unknown group {name!r}; choose from "
                                             f"{', '.join((*GROUPS, *ALIASES))}")
        chosen.update(ALIASES.get(name, (name,)))
    return chosen


def runs_for(args: argparse.Namespace, posts: int) -> int:
    return int(args.large_runs if posts >= LARGE else args.runs)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join((__doc__ or "").splitlines()[2:9]))
    parser.add_argument("--posts", type=posts_arg, action="append",
                        help="site size in posts, repeatable: 1000, 10k, 50k (default 1k and 10k)")
    parser.add_argument("--runs", type=int, default=5, help="runs per row (default 5)")
    parser.add_argument("--large-runs", type=int, help=f"runs per row at {short(LARGE)} posts "
                        "and above (default: the smaller of --runs and 3)")
    parser.add_argument("--only", type=groups_arg, default=set(GROUPS),
                        help=f"comma-separated groups: {', '.join(GROUPS)}; normalise = check,rewrite "
                        "(default all; the floor always runs)")
    parser.add_argument("--peers-max-posts", type=posts_arg, default=PEERS_MAX_POSTS,
                        help="run the peers only on sites up to this size (default 10k)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="where sites and peers go")
    args = parser.parse_args(argv)
    args.posts = sorted(set(args.posts or [1000, 10_000]))
    if args.large_runs is None:
        args.large_runs = min(args.runs, 3)
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ[CACHE_ENV] = str(args.out / "grav-tools-cache")  # never the user's own cache
    exe = [sys.executable, "-m", "grav_tools"]
    sites = {posts: build_site(posts, args.out) for posts in args.posts}
    report = Report()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; medians of the runs; ratio = "
          "median / the floor's median at the same size (start-up: / bare python's)")
    print(HEADER)
    if "startup" in args.only:
        runs = max(STARTUP_MIN_RUNS, args.runs)
        print(f"-- start-up, {runs} runs", flush=True)
        page = next(p for p in page_files(sites[args.posts[0]]) if p.name == "item.md")
        startup_rows(report, exe, page, runs)
    for posts, site in sites.items():
        size_rows(report, args, exe, posts, site)
    found = targets(report, args.posts)
    print_after_table(report, args.posts, found)
    if args.json:
        write_json(args.json, report, args, found)
        progress(f"results written to {args.json}")


if __name__ == "__main__":
    main()
