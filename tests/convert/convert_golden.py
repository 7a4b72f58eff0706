"""Helpers for the convert tests: run a conversion, read a tree, compare with a golden tree."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from grav_tools.convert.run import ConvertOptions, ConvertResult, convert

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
EXPECTED = HERE / "expected"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def run(src: Path, dest: Path, **options: object) -> ConvertResult:
    return convert(src, dest, ConvertOptions(**options), "SRC")  # type: ignore[arg-type]


def tree(root: Path) -> dict[str, bytes]:
    """Every file below root (the migration record left out: it names the absolute source path)."""
    found: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not rel.startswith(".grav-tools/"):
            found[rel] = path.read_bytes()
    return found


def notes_text(outcome: ConvertResult) -> str:
    """The notes, one per line: code severity path:line message."""
    return "".join(f"{p.code} {p.severity.label} {p.path}:{p.line} {p.message}\n" for p in outcome.result.problems)


def check_golden_tree(kind: str, actual: Path, notes: str) -> None:
    """Compare with tests/convert/expected/KIND/ and KIND.notes.txt; UPDATE_GOLDEN=1 rewrites them."""
    expected_dir = EXPECTED / kind
    notes_file = EXPECTED / f"{kind}.notes.txt"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        if in_ci():
            pytest.fail("UPDATE_GOLDEN=1 under CI=true: goldens are only rewritten by hand")
        if expected_dir.exists():
            shutil.rmtree(expected_dir)
        expected_dir.mkdir(parents=True)
        for rel, data in tree(actual).items():
            target = expected_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        notes_file.write_text(notes, encoding="utf-8")
        return
    if not expected_dir.exists():
        pytest.fail(f"{expected_dir} is missing: run `UPDATE_GOLDEN=1 pytest tests/convert` and review it")
    got, want = tree(actual), tree(expected_dir)
    assert sorted(got) == sorted(want), "the converted tree has other files than the golden tree"
    for rel in want:
        if rel.endswith(".md"):
            assert got[rel].decode("utf-8") == want[rel].decode("utf-8"), f"{rel} differs from the golden file"
        else:
            assert got[rel] == want[rel], f"{rel} differs from the golden file"
    assert notes == notes_file.read_text(encoding="utf-8"), f"notes differ from {notes_file.name}"
