"""Time `grav-tools convert` on a generated Jekyll-shaped tree against `hugo import jekyll`.

Both tools convert the same tree in the same run; the result is the ratio of their wall times
(machines are noisy, the ratio much less so). `hugo` is the Debian package `hugo`
(`apt-get install hugo`); without it only our own time is reported.

    python benchmarks/convert_bench.py                 # 10,000 posts, 3 runs each
    python benchmarks/convert_bench.py --posts 1000 --runs 1

The tree (benchmarks/out/jekyll-<N>/) is deterministic: posts with dated names, headers with and
without UTC offsets, categories and tags as lists and as strings, `<!--more-->`, images (some
in runs), `{% highlight %}` blocks, `{{ site.baseurl }}` and `{% post_url %}` links.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORDS = ("grav jekyll hugo post folder image date time zone summary carousel header alias route "
         "media page site theme build deploy content markdown shortcode liquid").split()


def sentence(rng: random.Random, n: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def make_tree(root: Path, posts: int) -> None:
    """A Jekyll site with `posts` posts and a pool of 200 images."""
    rng = random.Random(20240301)
    if root.exists():
        shutil.rmtree(root)
    (root / "_posts").mkdir(parents=True)
    (root / "assets" / "img").mkdir(parents=True)
    (root / "_config.yml").write_text("title: Bench\nurl: https://example.org\nbaseurl: ''\n"
                                      "timezone: Europe/Berlin\npermalink: pretty\n", encoding="utf-8")
    for index in range(200):
        (root / "assets" / "img" / f"photo-{index:03d}.jpg").write_bytes(b"\xff\xd8\xff" + bytes([index % 256]) * 64)
    names: list[str] = []
    for index in range(posts):
        year, month, day = 2010 + index % 14, 1 + index % 12, 1 + index % 28
        slug = f"post-{index:05d}-{rng.choice(WORDS)}"
        name = f"{year:04d}-{month:02d}-{day:02d}-{slug}"
        names.append(name)
        offset = rng.choice(["", " +0200", " -0700"])
        cats = rng.choice(["news", "news events", "[release, notes]"])
        header = (f"---\nlayout: post\ntitle: \"Post {index}: {sentence(rng, 4)}\"\n"
                  f"date: {year:04d}-{month:02d}-{day:02d} {index % 24:02d}:{index % 60:02d}:00{offset}\n"
                  f"categories: {cats}\ntags:\n  - {rng.choice(WORDS)}\n  - {rng.choice(WORDS)}\nauthor: bench\n---\n")
        parts = [sentence(rng, 30), "<!--more-->", sentence(rng, 40)]
        if index % 3 == 0:
            parts.append("\n".join(f"![p]({{{{ site.baseurl }}}}/assets/img/photo-{rng.randrange(200):03d}.jpg)"
                                   for _ in range(rng.choice([1, 2, 3]))))
        if index % 5 == 0:
            parts.append("{% highlight python %}\nprint('hello')\n{% endhighlight %}")
        if index and index % 7 == 0:
            parts.append(f"See [an older post]({{% post_url {names[index // 2]} %}}).")
        parts.append(sentence(rng, 50))
        (root / "_posts" / f"{name}.md").write_text(header + "\n\n".join(parts) + "\n", encoding="utf-8")


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    out = HERE / "out"
    tree = out / f"jekyll-{args.posts}"
    make_tree(tree, args.posts)
    hugo = shutil.which("hugo")
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(args.runs):
        dest = out / "grav-dest"
        shutil.rmtree(dest, ignore_errors=True)
        ours.append(timed([sys.executable, "-m", "grav_tools", "convert", "--format", "json", str(tree), str(dest)]))
        if hugo:
            target = out / "hugo-dest"
            shutil.rmtree(target, ignore_errors=True)
            theirs.append(timed([hugo, "import", "jekyll", "--force", str(tree), str(target)]))
    rerun = timed([sys.executable, "-m", "grav_tools", "convert", "--format", "json", str(tree),
                   str(out / "grav-dest")])
    mine = statistics.median(ours)
    print(f"posts: {args.posts}, runs: {args.runs}")
    print(f"grav-tools convert:       {mine:7.2f} s (median)")
    print(f"grav-tools convert again: {rerun:7.2f} s (nothing to write)")
    if theirs:
        other = statistics.median(theirs)
        print(f"hugo import jekyll:       {other:7.2f} s (median)")
        print(f"ratio convert / hugo:     {mine / other:7.2f}x")
    else:
        print("hugo import jekyll:       not run (apt-get install hugo)")


if __name__ == "__main__":
    main()
