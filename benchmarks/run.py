"""Time `grav-tools validate` against a plain-Python floor, on generated Grav sites.

The floor is the least any checker must do: read every page file, decode it and split the
frontmatter, in one Python process. Everything is reported as a ratio to the floor measured in
the same run, because machines are noisy and absolute seconds mean little.

    python benchmarks/run.py                     # 1k and 10k posts, 5 runs each
    python benchmarks/run.py --posts 1000 --runs 3

Sites are made by ../shared/tools/make_grav_corpus.py (deterministic) under benchmarks/out/.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
GENERATOR = HERE.parents[1] / "shared" / "tools" / "make_grav_corpus.py"

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


def build_site(posts: int, out: Path) -> Path:
    site = out / f"grav-{posts}"
    if not (site / "grav-corpus-manifest.json").exists():
        if not GENERATOR.exists():
            sys.exit(f"generator not found: {GENERATOR} (../shared must sit beside the project)")
        shutil.rmtree(site, ignore_errors=True)
        subprocess.run([sys.executable, str(GENERATOR), "--posts", str(posts), "--out", str(site), "--seed", "1"],
                       check=True, stdout=subprocess.DEVNULL)
    return site


def timed(cmd: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, action="append", help="site sizes (default 1000 and 10000)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    sizes = args.posts or [1000, 10000]
    args.out.mkdir(parents=True, exist_ok=True)
    exe = [sys.executable, "-m", "grav_tools"]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {args.runs} runs, medians in seconds")
    print(f"{'command':<44} {'median':>8} {'min':>8} {'files/s':>9} {'ratio':>7}")
    help_times = timed([*exe, "--help"], args.runs)
    bare = timed([sys.executable, "-c", "pass"], args.runs)
    print(f"{'grav-tools --help':<44} {statistics.median(help_times):>8.3f} {min(help_times):>8.3f}"
          f" {'':>9} {statistics.median(help_times) / statistics.median(bare):>6.1f}x (vs bare python)")
    for posts in sizes:
        site = build_site(posts, args.out)
        files = sum(1 for _ in site.rglob("*.md"))
        floor = timed([sys.executable, "-c", FLOOR, str(site)], args.runs)
        base = statistics.median(floor)
        rows = [
            (f"floor: read+decode+split ({posts} posts)", floor),
            (f"validate ({posts} posts, all CPUs)", timed([*exe, "validate", "--format", "json", str(site)], args.runs)),
            (f"validate ({posts} posts, -j 1)", timed([*exe, "validate", "--format", "json", "-j", "1", str(site)], args.runs)),
            (f"normalise --check ({posts} posts, all CPUs)", timed([*exe, "normalise", "--check", "-q", str(site)], args.runs)),
            (f"normalise --check ({posts} posts, -j 1)", timed([*exe, "normalise", "--check", "-q", "-j", "1", str(site)], args.runs)),
        ]
        for label, times in rows:
            median = statistics.median(times)
            print(f"{label:<44} {median:>8.3f} {min(times):>8.3f} {files / median:>9.0f} {median / base:>6.2f}x")


if __name__ == "__main__":
    main()
