"""The benchmark's trees: generated Grav sites and the copies made from them (all untimed).

    benchmarks/out/grav-<N>/               the generated site (../shared/tools/make_grav_corpus.py)
    benchmarks/out/grav-<N>-canonical/     a copy after `grav-tools normalise` (made once)
    benchmarks/out/grav-<N>-rewrite/       a fresh copy of the original before each rewrite run
    benchmarks/out/grav-<N>-frontmatter/   each page's frontmatter as a .yaml file, for yamllint
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
GENERATOR = HERE.parents[1] / "shared" / "tools" / "make_grav_corpus.py"
FRONTMATTER = re.compile(r"^---\n(.+?)\n---\n", re.S)
SUMMARY = re.compile(r"(\d+) files? (?:would be )?reformatted, (\d+) unchanged, (\d+) failed")
CANONICAL_STAMP = ".bench-canonical.json"


@dataclass
class NormaliseSummary:
    """The counts of `grav-tools normalise`'s closing line (None where it could not be read)."""

    changed: int | None
    unchanged: int | None
    failed: int | None

    @classmethod
    def parse(cls, output: str) -> NormaliseSummary:
        found = SUMMARY.findall(output)
        if not found:
            return cls(None, None, None)
        changed, unchanged, failed = (int(n) for n in found[-1])
        return cls(changed, unchanged, failed)


def build_site(posts: int, out: Path) -> Path:
    """The generated site for `posts` posts, generating it (into a temp name, then renamed)."""
    site = out / f"grav-{posts}"
    if (site / "grav-corpus-manifest.json").exists():
        return site
    if not GENERATOR.exists():
        sys.exit(f"generator not found: {GENERATOR} (../shared must sit beside the project)")
    partial = out / f"grav-{posts}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    print(f"generating a {posts}-post site in {site} ...", file=sys.stderr, flush=True)
    subprocess.run([sys.executable, str(GENERATOR), "--posts", str(posts), "--out", str(partial),
                    "--seed", "1"], check=True, stdout=subprocess.DEVNULL)
    partial.rename(site)
    return site


def page_files(root: Path) -> Iterator[Path]:
    """Every .md file under `root` (hidden folders skipped, as the floor does), sorted."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".md"):
                yield Path(folder, name)


def copy_tree(src: Path, dst: Path) -> None:
    """Replace `dst` by a copy of `src` (cp -a where there is one: much faster on many files)."""
    shutil.rmtree(dst, ignore_errors=True)
    if shutil.which("cp"):
        subprocess.run(["cp", "-a", str(src), str(dst)], check=True)
    else:
        shutil.copytree(src, dst)


def changed_files(original: Path, copy: Path) -> int:
    """How many page files of `copy` differ from the same file in `original`."""
    count = 0
    for path in page_files(original):
        twin = copy / path.relative_to(original)
        if not twin.exists() or twin.read_bytes() != path.read_bytes():
            count += 1
    return count


def normalise(grav_tools: Sequence[str], site: Path, *extra: str) -> NormaliseSummary:
    """Run `grav-tools normalise -q [extra] site` and read its summary line."""
    proc = subprocess.run([*grav_tools, "normalise", "-q", *extra, str(site)],
                          capture_output=True, text=True, check=False)
    return NormaliseSummary.parse(proc.stdout + proc.stderr)


@dataclass
class CanonicalSite:
    """The canonical copy and what making it did."""

    path: Path
    pages: int
    changed: int          # files normalise rewrote (compared byte by byte with the original)
    failed: int | None    # files normalise could not rewrite: they stay as generated
    pending: int | None   # files --check still lists just before timing (0 when all is well)


def canonical_site(grav_tools: Sequence[str], site: Path) -> CanonicalSite:
    """`<site>-canonical`: a copy normalised once; made again if --check finds work in it.

    grav_tools may change under the benchmark (its canonical form with it), so an untimed
    `normalise --check` runs first; if it lists files that the last normalise did not fail on,
    the copy is normalised again in place.
    """
    path = site.with_name(site.name + "-canonical")
    stamp = path / CANONICAL_STAMP
    if not stamp.exists():
        print(f"making the canonical copy {path} (untimed) ...", file=sys.stderr, flush=True)
        copy_tree(site, path)
        _normalise_and_stamp(grav_tools, site, path)
    check = normalise(grav_tools, path, "--check")
    recorded = json.loads(stamp.read_text())
    if check.changed and check.changed > (recorded.get("failed") or 0):
        print(f"{check.changed} files in {path} are not canonical for this grav-tools; "
              "normalising again (untimed) ...", file=sys.stderr, flush=True)
        _normalise_and_stamp(grav_tools, site, path)
        check = normalise(grav_tools, path, "--check")
        recorded = json.loads(stamp.read_text())
    return CanonicalSite(path, sum(1 for _ in page_files(path)), recorded["changed"],
                         recorded.get("failed"), check.changed)


def _normalise_and_stamp(grav_tools: Sequence[str], site: Path, path: Path) -> None:
    summary = normalise(grav_tools, path)
    changed = changed_files(site, path)
    stamp = {"changed": changed, "failed": summary.failed, "reported": summary.__dict__}
    (path / CANONICAL_STAMP).write_text(json.dumps(stamp) + "\n")


def frontmatter_tree(site: Path) -> tuple[Path, int]:
    """`<site>-frontmatter`: each page's frontmatter as `<page>.yaml`, with its `---` line.

    Made once (untimed). Returns the tree and how many pages had no frontmatter block (they
    get an empty file, so the file count matches the site's).
    """
    tree = site.with_name(site.name + "-frontmatter")
    stamp = tree / ".bench-frontmatter.json"
    if stamp.exists():
        return tree, int(json.loads(stamp.read_text())["without_frontmatter"])
    partial = tree.with_name(tree.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.rmtree(tree, ignore_errors=True)
    missing = 0
    for page in page_files(site):
        text = page.read_bytes().decode("utf-8", "replace").replace("\r\n", "\n").lstrip("\ufeff")
        match = FRONTMATTER.match(text)
        missing += match is None
        target = partial / page.relative_to(site).with_suffix(".yaml")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"---\n{match.group(1)}\n" if match else "", encoding="utf-8")
    (partial / stamp.name).write_text(json.dumps({"without_frontmatter": missing}) + "\n")
    partial.rename(tree)
    return tree, missing
