"""Shared test fixtures: the ../shared corpus (skipped with a reason outside CI) and a site builder."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs must be reproducible: the same examples every time (local runs stay random and keep
# finding new cases; add each one found as a plain regression test).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI", "").lower() == "true":
    settings.load_profile("ci")

# validate caches results in the user's cache folder; tests never touch the real one (child
# processes inherit this). Tests of the cache itself pass their own --cache-dir.
_CACHE_DIR = tempfile.mkdtemp(prefix="grav-tools-test-cache-")
os.environ["GRAV_TOOLS_CACHE_DIR"] = _CACHE_DIR
atexit.register(shutil.rmtree, _CACHE_DIR, True)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def need_shared(path: Path = CORPUS) -> Path:
    """Skip (never under CI=true) when the ../shared material is not beside the project."""
    if not path.exists():
        if in_ci():
            pytest.fail(f"{path} is missing but CI=true: the shared corpus must be beside the project")
        pytest.skip(f"{path} not found: the shared corpus lives beside the project in CI, not in a clone")
    return path


@pytest.fixture
def corpus() -> Path:
    return need_shared(CORPUS)


@pytest.fixture
def make_site(tmp_path: Path):
    """Write `{relative path: text or bytes}` under tmp_path and return tmp_path."""

    def build(files: dict[str, str | bytes]) -> Path:
        for rel, content in files.items():
            target = tmp_path / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_bytes(content.encode("utf-8"))
        return tmp_path

    return build
