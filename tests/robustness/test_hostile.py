"""Hostile input: every case gets a problem naming the file, the rest of the site is still checked,
and the run ends in bounded time (SIGALRM in-process, `timeout=` for the command line).

Alias bombs, 10k-deep nesting, a 200 MB page, 20k files in one folder, symlink loops, a FIFO, a
socket and a device named like a page, YAML `!!python` tags, `../` links and symlinks out of the
tree, files we may not read.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import stat
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from grav_tools.config import Config
from grav_tools.discover import discover
from grav_tools.lint import lint
from grav_tools.source import read_lines
from grav_tools.yamlio import MAX_DEPTH, parse_header, to_python, walk

ROOT = Path(__file__).resolve().parents[2]
GOOD = "---\ntitle: Fine\npublished: no\n---\nText.\n"  # GRV208: proves the rest of the site was checked
MANY_FILES = int(os.environ.get("GRAV_HOSTILE_FILES", "20000"))


class Hung(Exception):
    pass


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail instead of hanging: SIGALRM interrupts even a blocking open() of a FIFO."""

    def fire(signum: int, frame: object) -> None:
        raise Hung(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, fire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def site_with(tmp_path: Path, hostile: dict[str, str | bytes] | None = None) -> Path:
    """A Grav site with one good page (01.good) and the given files under user/pages/02.bad/."""
    pages = tmp_path / "site" / "user" / "pages"
    (pages / "01.good").mkdir(parents=True)
    (pages / "01.good" / "item.md").write_text(GOOD, encoding="utf-8")
    (pages / "02.bad").mkdir()
    for name, content in (hostile or {}).items():
        path = pages / "02.bad" / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return tmp_path / "site"


def check(root: Path, seconds: int = 20, jobs: int = 1) -> dict[str, list[tuple[str, int, str]]]:
    """problems by display path: [(code, line, message)]"""
    with time_limit(seconds):
        result = lint(discover([str(root)]), Config(), jobs=jobs)
    found: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
    for p in result.problems:
        found[p.path.split("/user/pages/", 1)[-1]].append((p.code, p.line, p.message))
    assert ("GRV208", 3) in {(c, line) for c, line, _ in found["01.good/item.md"]}, "the good page was not checked"
    assert not any("internal error" in m for problems in found.values() for _, _, m in problems), found
    return found


def cli(*args: str, timeout: int = 60, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "grav_tools", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd or ROOT, env={**os.environ, "NO_COLOR": "1"})


def laughs(levels: int) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines)


# --- YAML bombs and depth ---------------------------------------------------------------------------


def test_billion_laughs_is_reported_not_expanded(tmp_path: Path) -> None:
    root = site_with(tmp_path, {"item.md": f"---\ntitle: Bomb\n{laughs(12)}\npublished: *a11\n---\nBody\n"})
    found = check(root, seconds=10)
    assert [(c, line) for c, line, m in found["02.bad/item.md"] if "billion laughs" in m] == [("GRV202", 8)]


def test_a_smaller_alias_bomb_used_as_key_and_value_stays_cheap(tmp_path: Path) -> None:
    # under the expansion limit, so it is read: complex keys and `published:` are repr()'d bounded
    header = f"---\ntitle: Bomb\n{laughs(5)}\n? [*a4, *a4]\n: complex key\npublished: *a4\n---\nBody\n"
    root = site_with(tmp_path, {"item.md": header})
    found = check(root, seconds=10)
    assert "02.bad/item.md" in found


def test_alias_bomb_in_the_site_config_does_not_stop_the_run(tmp_path: Path) -> None:
    root = site_with(tmp_path)
    (root / "user" / "config").mkdir()
    (root / "user" / "config" / "system.yaml").write_text(laughs(30) + "\n", encoding="utf-8")
    check(root, seconds=10)


@pytest.mark.parametrize("shape", ["brackets", "braces", "indented-mapping", "indented-list", "mixed"])
def test_ten_thousand_levels_of_nesting_are_a_clear_problem(tmp_path: Path, shape: str) -> None:
    n = 10_000
    header = {
        "brackets": "a: " + "[" * n + "]" * n,
        "braces": "a: " + "{b: " * n + "}" * n,
        "indented-mapping": "".join(" " * i + f"k{i}:\n" for i in range(n)).rstrip("\n"),
        "indented-list": "a:\n" + "".join(" " * i + "-\n" for i in range(1, n)).rstrip("\n"),
        "mixed": "a: " + "[{b: " * (n // 2),
    }[shape]
    root = site_with(tmp_path, {"item.md": f"---\ntitle: Deep\n{header}\n---\nBody\n"})
    found = check(root, seconds=15)
    problems = found["02.bad/item.md"]
    assert [c for c, _, m in problems if f"nested more than {MAX_DEPTH} levels" in m] == ["GRV202"], problems


def test_the_deepest_allowed_nesting_is_read_without_recursion_error() -> None:
    depth = MAX_DEPTH - 1  # the root mapping is one level
    header = parse_header("a: " + "[" * depth + "]" * depth)
    assert header.error is None
    data = to_python(header.root)
    for _ in range(depth):
        data = data["a"] if isinstance(data, dict) else data[0] if data else data
    assert sum(1 for _ in walk(header.root)) == depth + 2
    assert parse_header("a: " + "[" * (depth + 1) + "]" * (depth + 1)).error.limit  # type: ignore[union-attr]


def test_deep_nesting_through_the_whole_pipeline(tmp_path: Path) -> None:
    # the deepest header we read goes through every rule: no rule may recurse without a bound
    depth = MAX_DEPTH - 2
    nested = "{a: " * depth + "[x]" + "}" * depth
    root = site_with(tmp_path, {"item.md": f"---\ntitle: Deep\ntaxonomy: {nested}\nmetadata: {nested}\n---\n"})
    check(root, seconds=15)


# --- files that are not pages -------------------------------------------------------------------------


def test_a_200_mb_page_is_reported_without_being_read(tmp_path: Path) -> None:
    root = site_with(tmp_path)
    big = root / "user" / "pages" / "02.bad" / "item.md"
    with big.open("wb") as handle:  # sparse: instant, and takes no disk space
        handle.write(b"---\ntitle: Huge\n---\n")
        handle.truncate(200 * 1024 * 1024)
    found = check(root, seconds=10)
    assert [(c, "200 MB" in m) for c, _, m in found["02.bad/item.md"]] == [("GRV100", True)]
    # the command line (text report included, which shows source lines) stays small: a wrapper
    # process measures the peak memory of its only child
    probe = ("import resource, subprocess, sys\n"
             "done = subprocess.run([sys.executable, '-m', 'grav_tools', 'validate', sys.argv[1]], capture_output=True)\n"
             "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, '200 MB' in done.stdout.decode())")
    out = subprocess.run([sys.executable, "-c", probe, str(root)], capture_output=True, text=True, timeout=60,
                         cwd=ROOT, env={**os.environ, "NO_COLOR": "1"})
    code, peak_kb, named = out.stdout.split()
    assert (code, named) == ("1", "True"), out.stderr
    assert int(peak_kb) < 150 * 1024, f"peak RSS {int(peak_kb) // 1024} MB: the 200 MB file was read"


HOSTILE_BODIES = {  # each repeated to 1 MB: every one was quadratic in time or memory once
    "unclosed-carousels": "[owl-carousel items=1]",  # pairing kept a copy of the open stack per tag
    "nested-carousels": "[owl-carousel]\n",
    "stray-closers": "[/owl-carousel]",
    "images-on-one-line": "![](a.jpg)",  # each position counted the newlines from the start
    "suppression-comments": "<!-- grav-tools: ignore -->\n",  # each comment scanned to its block's end
    "img-tags": '<img src="a.jpg">',  # 60k missing-media errors
    "reference-images": "![x][y]\n[y]: z.jpg\n",
}


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1024 * 1024 * 1024, 1024 * 1024 * 1024))


@pytest.mark.parametrize("kind", sorted(HOSTILE_BODIES))
def test_a_hostile_megabyte_body_stays_bounded(tmp_path: Path, kind: str) -> None:
    pattern = HOSTILE_BODIES[kind]
    root = site_with(tmp_path, {"item.md": "---\ntitle: Hostile\n---\n" + pattern * (1_000_000 // len(pattern))})
    done = subprocess.run([sys.executable, "-m", "grav_tools", "validate", "--format", "json", str(root)],
                          capture_output=True, text=True, timeout=45, cwd=ROOT, preexec_fn=_limit_memory)
    report = json.loads(done.stdout)  # 1 GB of address space is plenty; a quadratic copy is not
    assert report["files_checked"] == 2, done.stderr[-2000:]
    mine = [p for p in report["problems"] if p["path"].endswith("02.bad/item.md")]
    assert not [p for p in mine if "internal error" in p["message"]]
    per_rule: dict[str, int] = defaultdict(int)
    for p in mine:
        per_rule[p["rule"]] += 1
    assert max(per_rule.values(), default=0) <= 501  # 500 listed, then "from here on they are not listed"
    assert any(p["rule"] == "GRV208" for p in report["problems"])


def test_twenty_thousand_files_in_one_folder(tmp_path: Path) -> None:
    root = site_with(tmp_path)
    folder = root / "user" / "pages" / "02.bad"
    body = b"---\ntitle: T\ndate: '09-01-2023 10:00'\n---\nA photo: ![](a.jpg)\n"
    for i in range(MANY_FILES):
        fd = os.open(folder / f"p{i:05d}.md", os.O_WRONLY | os.O_CREAT, 0o644)
        os.write(fd, body)
        os.close(fd)
    done = cli("validate", "--format", "json", str(root), timeout=120)  # no timing assertion: a bound
    report = json.loads(done.stdout)
    assert report["files_checked"] == MANY_FILES + 1
    several = [p for p in report["problems"] if p["rule"] == "GRV105"]
    assert len(several) == MANY_FILES - 1  # one per extra page file: Grav picks one at random
    assert max(len(p["message"]) for p in several) < 400  # never a message listing all 20k names
    assert any(p["rule"] == "GRV208" for p in report["problems"])


def test_symlink_loops_are_not_followed(tmp_path: Path) -> None:
    root = site_with(tmp_path, {"item.md": "---\ntitle: B\n---\n"})
    bad = root / "user" / "pages" / "02.bad"
    (bad / "parent").symlink_to("..")  # a folder symlink to the parent: a walk that followed it would loop
    (bad / "self").symlink_to(".")
    (bad / "03.loop").mkdir()
    (bad / "03.loop" / "item.md").symlink_to("item.md")  # a symlink to itself
    (bad / "04.pair").mkdir()
    (bad / "04.pair" / "a.md").symlink_to("b.md")
    (bad / "04.pair" / "b.md").symlink_to("a.md")
    targets = discover([str(root)])
    shown = sorted(t.display.split("/user/pages/", 1)[-1] for t in targets)
    assert shown == ["01.good/item.md", "02.bad/03.loop/item.md", "02.bad/04.pair/a.md", "02.bad/04.pair/b.md",
                     "02.bad/item.md"]  # nothing through parent/ or self/
    found = check(root)
    for name in ("02.bad/03.loop/item.md", "02.bad/04.pair/a.md", "02.bad/04.pair/b.md"):
        assert [c for c, _, m in found[name] if c == "GRV100" and "symbolic links" in m], found[name]


def test_a_fifo_named_item_md_never_blocks(tmp_path: Path) -> None:
    root = site_with(tmp_path)
    fifo = root / "user" / "pages" / "02.bad" / "item.md"
    os.mkfifo(fifo)
    found = check(root, seconds=10)
    assert [(c, m) for c, _, m in found["02.bad/item.md"]] == [("GRV100", "cannot read this file: not a regular file")]
    with time_limit(5):
        assert read_lines(fifo) == []  # the text report reads source lines: it must not block either
    done = cli("validate", str(root), timeout=60)  # the text report, with source lines
    assert "02.bad/item.md" in done.stdout and "not a regular file" in done.stdout


def test_a_socket_named_item_md(tmp_path: Path) -> None:
    root = site_with(tmp_path)
    path = root / "user" / "pages" / "02.bad" / "item.md"
    if len(str(path)) > 100:
        pytest.skip("the temporary path is too long for an AF_UNIX socket")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        found = check(root, seconds=10)
    finally:
        server.close()
    assert [c for c, _, m in found["02.bad/item.md"] if "not a regular file" in m] == ["GRV100"]


def test_a_device_named_item_md(tmp_path: Path) -> None:
    root = site_with(tmp_path)
    path = root / "user" / "pages" / "02.bad" / "item.md"
    try:
        os.mknod(path, stat.S_IFCHR | 0o644, os.makedev(1, 5))  # what /dev/zero is: endless bytes
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot create a device node here ({exc}); it needs CAP_MKNOD")
    found = check(root, seconds=10)
    assert [c for c, _, m in found["02.bad/item.md"] if "not a regular file" in m] == ["GRV100"]


def test_unreadable_files_are_reported(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root: root reads mode-000 files, so 'permission denied' cannot be provoked")
    root = site_with(tmp_path, {"item.md": "---\ntitle: Secret\n---\n"})
    (root / "user" / "pages" / "02.bad" / "item.md").chmod(0)
    try:
        found = check(root)
    finally:
        (root / "user" / "pages" / "02.bad" / "item.md").chmod(0o644)
    assert [(c, "Permission denied" in m) for c, _, m in found["02.bad/item.md"]] == [("GRV100", True)]


def test_a_folder_that_cannot_be_listed_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = site_with(tmp_path)
    locked = root / "user" / "pages" / "02.bad" / "03.locked"
    locked.mkdir()
    (locked / "item.md").write_text("---\ntitle: Hidden\n---\n", encoding="utf-8")
    if os.geteuid() == 0:  # root lists mode-000 folders: make the listing fail the way it fails for others
        import grav_tools.discover as discover_module

        real_scandir = os.scandir

        def refusing(path):
            if os.fspath(path) == str(locked):
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)

        monkeypatch.setattr(discover_module.os, "scandir", refusing)
        found = check(root)
    else:
        locked.chmod(0)
        try:
            found = check(root)
        finally:
            locked.chmod(0o755)
    assert [(c, "folder that cannot be listed (Permission denied)" in m) for c, _, m in found["02.bad/03.locked"]] \
        == [("GRV100", True)]


# --- never execute, never read outside ---------------------------------------------------------------


def test_python_tags_are_never_executed(tmp_path: Path) -> None:
    canary = tmp_path / "canary"
    touch = f"[touch, {canary}]"
    header = (f"---\ntitle: Tags\n"
              f"a: !!python/object/apply:os.system ['touch {canary}']\n"
              f"b: !!python/object/apply:subprocess.check_call [{touch}]\n"
              f"c: !!python/object/new:subprocess.Popen [{touch}]\n"
              f"d: !!python/name:os.system\n"
              f"e: !!python/object:__main__.X {{x: 1}}\n"
              f"---\nBody\n")
    root = site_with(tmp_path, {"item.md": header})
    (root / "user" / "config").mkdir()
    (root / "user" / "config" / "system.yaml").write_text(f"x: !!python/object/apply:os.system ['touch {canary}']\n",
                                                          encoding="utf-8")
    found = check(root)
    assert [line for c, line, m in found["02.bad/item.md"] if c == "GRV203" and "python" in m] == [3, 4, 5, 6, 7]
    done = cli("validate", "--format", "json", str(root), timeout=60)
    assert json.loads(done.stdout)["files_checked"] == 2
    assert not canary.exists(), "a YAML tag was executed"


_OPENED: list[tuple[str, str]] | None = None


def _audit(event: str, args: tuple[object, ...]) -> None:
    if _OPENED is not None and event in ("open", "os.listdir", "os.scandir") and args:
        path = args[0]
        if isinstance(path, (str, bytes, os.PathLike)):
            _OPENED.append((event, os.path.realpath(os.fsdecode(path))))  # through symlinks too


sys.addaudithook(_audit)  # permanent, but it records nothing unless a test switches it on


@pytest.mark.parametrize("in_site", [True, False])
def test_nothing_outside_the_tree_is_read(tmp_path: Path, in_site: bool) -> None:
    global _OPENED
    secret = tmp_path / "secret"
    (secret / "photos").mkdir(parents=True)
    (secret / "page.md").write_text("TOP-SECRET-LINE\n", encoding="utf-8")
    (secret / "photos" / "a.jpg").write_bytes(b"TOP-SECRET")
    root = site_with(tmp_path, {"item.md": (
        "---\ntitle: Links\n---\n"
        "![](../../../../secret/photos/a.jpg)\n"
        "![](../../../../secret/photos/b.jpg)\n"
        '<img src="../../../../secret/photos/a.jpg">\n'
        "[pdf](../../../../secret/doc.pdf)\n"
        "![](linked/a.jpg) ![](linked/c.jpg)\n"
        "![](../../../../../../../../../../etc/passwd.jpg)\n")})
    bad = root / "user" / "pages" / "02.bad"
    (bad / "linked").symlink_to(secret / "photos")
    (bad / "item.ru.md").symlink_to(secret / "page.md")
    given = root if in_site else root / "user" / "pages"
    if not in_site:  # a plain folder of posts, no Grav site around it: the tree is the folder given
        (root / "user" / "pages").rename(tmp_path / "posts")
        given = tmp_path / "posts"
        bad = given / "02.bad"
    _OPENED = []
    try:
        with time_limit(20):
            result = lint(discover([str(given)]), Config(), jobs=1)
    finally:
        seen, _OPENED = _OPENED, None
    outside = [(event, path) for event, path in seen if path.startswith(os.path.realpath(secret))]
    assert outside == [], "read outside the checked tree"
    by_file = defaultdict(set)
    for problem in result.problems:
        by_file[problem.path.rsplit("/", 1)[-1]].add((problem.code, problem.line))
    assert ("GRV100", 1) in by_file["item.ru.md"]  # the symlinked page: named, not followed
    assert ("GRV501", 5) not in by_file["item.md"] and ("GRV501", 8) not in by_file["item.md"]  # not looked up
    # nor does the command line, whose text report prints source lines and whose baseline stores them
    done = cli("validate", str(given), "--write-baseline", str(tmp_path / "baseline.json"))
    text = cli("validate", str(given))
    assert "item.ru.md" in text.stdout
    assert "TOP-SECRET" not in text.stdout + (tmp_path / "baseline.json").read_text(encoding="utf-8"), done.stdout
