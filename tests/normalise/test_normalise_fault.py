"""Fault injection: `kill -9` a normalise run over 1,000 files at several moments; every file
must then be either exactly the old text or exactly the new one, and a rerun finishes the job."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from grav_tools.normalise.core import normalise_text
from grav_tools.normalise.options import NormaliseOptions
from grav_tools.site import SiteConfig

COUNT = 1000


def _messy(index: int) -> str:
    return (f"---\ntitle: Post number {index}\ndate: 14:15 05/{index % 28 + 1:02d}/2018\npublished: True\n"
            f"taxonomy:\n  tag: [a, b]\n---\nBody of post {index}   \n" + "Some more text.  \nline\n" * 40)


def _site(root: Path) -> dict[Path, tuple[bytes, bytes]]:
    pages: dict[Path, tuple[bytes, bytes]] = {}
    for index in range(COUNT):
        path = root / "user" / "pages" / "01.blog" / f"{index:04d}.post" / "item.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        old = _messy(index)
        path.write_text(old, encoding="utf-8")
        new = normalise_text(old, SiteConfig(root=root), NormaliseOptions()).text
        assert new is not None and new != old
        pages[path] = (old.encode(), new.encode())
    return pages


def _states(pages: dict[Path, tuple[bytes, bytes]]) -> tuple[int, int, list[Path]]:
    old = new = 0
    broken = []
    for path, (before, after) in pages.items():
        data = path.read_bytes()
        if data == before:
            old += 1
        elif data == after:
            new += 1
        else:
            broken.append(path)
    return old, new, broken


def test_kill_9_at_any_moment_leaves_every_file_old_or_new(tmp_path: Path) -> None:
    pages = _site(tmp_path)
    command = [sys.executable, "-m", "grav_tools", "normalise", "-j", "1", "-q", str(tmp_path)]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    for wanted in (1, 150, 600):  # kill once this many files have been rewritten
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            if _states(pages)[1] >= wanted:
                break
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        old, new, broken = _states(pages)
        assert broken == [], broken[:3]
        assert old + new == COUNT
    finished = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert _states(pages) == (0, COUNT, [])
    leftovers = [p for p in tmp_path.rglob(".*") if p.is_file()]
    assert all(p.name.endswith(".grav-tools.tmp") for p in leftovers)  # only our own temp files, never a page
