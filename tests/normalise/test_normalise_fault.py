"""Fault injection: `kill -9` a normalise run over 1,000 files at 24 seeded pseudo-random moments
(from interpreter start to the last writes); every file must then be either exactly the old text
or exactly the new one, and the next run finishes the job and leaves no temp file behind."""

from __future__ import annotations

import os
import random
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


KILLS = 24  # the issue asks for at least 20
SEED = 20240607  # fixed under CI=true; GRAV_TOOLS_KILL_SEED picks another one locally


def _temps(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".grav-tools.tmp")]


def _schedule(rng: random.Random) -> list[tuple[str, float]]:
    """When to kill: very early (interpreter start, discovery, day/month votes), at a random time,
    or once a random number of further files has been rewritten."""
    plan = [("early", rng.uniform(0.0, 0.25)) for _ in range(6)]
    plan += [("time", rng.uniform(0.25, 1.6)) for _ in range(10)]
    plan += [("count", float(rng.randint(1, 250))) for _ in range(KILLS - len(plan))]
    rng.shuffle(plan)
    return plan


def test_kill_9_at_any_moment_leaves_every_file_old_or_new(tmp_path: Path) -> None:
    seed = SEED if os.environ.get("CI", "").lower() == "true" else int(os.environ.get("GRAV_TOOLS_KILL_SEED", SEED))
    rng = random.Random(seed)
    pages = _site(tmp_path)  # expectations computed once; the one site is reused for every kill
    command = [sys.executable, "-m", "grav_tools", "normalise", "-j", "1", "-q", str(tmp_path)]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    started = time.monotonic()
    log = []
    for kill, (mode, amount) in enumerate(_schedule(rng)):
        old_before, new_before, _ = _states(pages)
        if old_before < 250:  # little left to write: back to the old texts, so kills land mid-write
            for path, (before, _after) in pages.items():
                path.write_bytes(before)
            new_before = 0
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        t0 = time.monotonic()
        if mode == "count":
            while proc.poll() is None and time.monotonic() - t0 < 60:
                if _states(pages)[1] >= new_before + amount:
                    break
                time.sleep(0.005)
        else:
            time.sleep(amount)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        old, new, broken = _states(pages)
        log.append(f"{kill}:{mode}:{amount:.2f}->{new - new_before}+{len(_temps(tmp_path))}t"
                   f"{'(finished)' if proc.returncode == 0 else ''}")
        assert broken == [], f"seed {seed}, kill {kill} ({mode} {amount}): {broken[:3]}"
        assert old + new == COUNT
    finished = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert _states(pages) == (0, COUNT, [])
    assert _temps(tmp_path) == [], f"seed {seed}: temp files left after the next run"
    elapsed = time.monotonic() - started
    print(f"seed {seed}: {KILLS} kills in {elapsed:.1f}s; kill:mode:when->files rewritten+temps left: "
          + " ".join(log))
    killed_mid_write = sum(1 for entry in log if "->0+" not in entry and "finished" not in entry)
    assert killed_mid_write >= 5, log  # the kills did land while files were being written
