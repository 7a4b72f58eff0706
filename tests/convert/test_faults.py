"""Faults while convert writes (issue 7): disk full and I/O errors at the write call, read-only
files, folders we may not write, files that change while convert runs, symbolic links in DEST.

Every case proves the same four things: the old files are intact, no temp file is left in DEST,
the migration record does not claim what was not written, and the run goes on and says so (the
post counts as failed, an error-severity note names the file and the reason, exit status 1).
Errors are injected with monkeypatch at the one write call (`apply._write_all`) or temp-file
creation (`apply._make_temp`), so the tests behave the same when run as root.
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from convert_golden import run

from grav_tools.cli import main
from grav_tools.convert import apply as A
from grav_tools.convert import run as R
from grav_tools.convert.apply import CHANGED, CONFLICT, FAILED, NEW, SAME
from grav_tools.problems import Severity

HELLO = "---\ntitle: Hello\ndate: 2020-01-02 10:00\n---\nBody text.\n\n![a](/img/a.png)\n"
OTHER = "---\ntitle: Other\ndate: 2020-02-02 10:00\n---\nOther text.\n"
HELLO_DIR = "01.blog/2020-01-02-hello"
OTHER_DIR = "01.blog/2020-02-02-other"


@pytest.fixture
def site(make_site):  # type: ignore[no-untyped-def]
    return make_site({"src/_posts/2020-01-02-hello.md": HELLO, "src/_posts/2020-02-02-other.md": OTHER,
                      "src/_config.yml": "title: t\n", "src/img/a.png": b"PNG-a" * 1000})


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file below root with its bytes (symlinks listed by their target)."""
    if not root.exists():
        return {}
    found: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[rel] = b"-> " + os.readlink(path).encode()
        elif path.is_file():
            found[rel] = path.read_bytes()
    return found


def temps(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*.grav-tools.tmp"))


def record(dest: Path) -> dict[str, Any]:
    return json.loads((dest / ".grav-tools/convert.json").read_text(encoding="utf-8"))["outputs"]


def errors(outcome) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return [(p.code, p.path, p.message) for p in outcome.result.problems if p.severity == Severity.ERROR]


def fail_writes(monkeypatch: pytest.MonkeyPatch, code: int, when: Callable[[bytes], bool]) -> list[int]:
    """Make the write call fail with `code` for the data `when` picks, after writing half of it
    (a real disk fills up in the middle of a file). Returns the list of failures, for counting."""
    real = A._write_all
    failures: list[int] = []

    def write_all(fd: int, data: bytes) -> None:
        if when(bytes(data)):
            os.write(fd, bytes(data)[: len(data) // 2])
            failures.append(code)
            raise OSError(code, os.strerror(code))
        real(fd, data)

    monkeypatch.setattr(A, "_write_all", write_all)
    return failures


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO])
def test_error_writing_a_post_fails_that_post_only(site: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    failures = fail_writes(monkeypatch, code, lambda data: b"title: Hello" in data)
    outcome = run(site / "src", site / "dest")
    assert failures == [code]
    assert outcome.applied.status[f"{HELLO_DIR}/item.md"] == FAILED
    assert outcome.applied.status[f"{HELLO_DIR}/a.png"] == FAILED, "a post is written whole or not at all"
    assert not (site / "dest" / HELLO_DIR).exists() or not any((site / "dest" / HELLO_DIR).iterdir())
    assert temps(site / "dest") == []
    assert (site / "dest" / OTHER_DIR / "item.md").exists(), "the run goes on with the next post"
    assert f"{HELLO_DIR}/item.md" not in record(site / "dest") and f"{OTHER_DIR}/item.md" in record(site / "dest")
    [(rule, path, message)] = errors(outcome)
    assert rule == "GRV920" and path.endswith(f"{HELLO_DIR}/item.md") and os.strerror(code) in message
    # once the disk is fine again, the next run writes exactly the missing post
    monkeypatch.undo()
    again = run(site / "src", site / "dest")
    assert again.applied.status[f"{HELLO_DIR}/item.md"] == NEW and again.applied.status[f"{OTHER_DIR}/item.md"] == SAME
    assert errors(again) == []


def test_error_copying_a_media_file_leaves_no_page_and_no_partial_copy(site: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    fail_writes(monkeypatch, errno.ENOSPC, lambda data: data.startswith(b"PNG-a"))
    outcome = run(site / "src", site / "dest")
    assert outcome.applied.status[f"{HELLO_DIR}/a.png"] == FAILED
    assert outcome.applied.status[f"{HELLO_DIR}/item.md"] == FAILED
    assert not (site / "dest" / HELLO_DIR / "a.png").exists() and not (site / "dest" / HELLO_DIR / "item.md").exists()
    assert temps(site / "dest") == []
    [(rule, path, message)] = errors(outcome)
    assert rule == "GRV920" and path.endswith("a.png") and "No space left on device" in message
    assert not any(rel.startswith(HELLO_DIR) for rel in record(site / "dest"))


def test_error_updating_a_post_keeps_the_old_files_and_their_record(site: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    run(site / "src", site / "dest")
    before = snapshot(site / "dest")
    old_record = record(site / "dest")
    (site / "src/_posts/2020-01-02-hello.md").write_text(HELLO + "\nMore.\n", encoding="utf-8")
    (site / "src/img/a.png").write_bytes(b"PNG-b" * 1000)
    fail_writes(monkeypatch, errno.ENOSPC, lambda data: data.startswith(b"PNG-b"))
    outcome = run(site / "src", site / "dest")
    assert snapshot(site / "dest") == before, "the originals are byte-identical and no temp is left"
    assert record(site / "dest") == old_record, "the record still describes the files on disk"
    assert outcome.applied.count(FAILED) == 2
    monkeypatch.undo()
    fixed = run(site / "src", site / "dest")
    assert fixed.applied.status[f"{HELLO_DIR}/item.md"] == CHANGED, "convert still owns the untouched old file"
    assert (site / "dest" / HELLO_DIR / "a.png").read_bytes() == b"PNG-b" * 1000


def test_read_only_file_is_not_replaced(site: Path) -> None:
    run(site / "src", site / "dest")
    item = site / "dest" / HELLO_DIR / "item.md"
    old = item.read_bytes()
    item.chmod(0o444)
    (site / "src/_posts/2020-01-02-hello.md").write_text(HELLO + "\nMore.\n", encoding="utf-8")
    for force in (False, True):  # --force is about ownership, not about a file the user locked
        outcome = run(site / "src", site / "dest", force=force)
        assert item.read_bytes() == old and (item.stat().st_mode & 0o777) == 0o444
        assert outcome.applied.status[f"{HELLO_DIR}/item.md"] == FAILED
        [(rule, path, message)] = errors(outcome)
        assert rule == "GRV920" and path == str(item) and "read-only" in message
    item.chmod(0o644)
    assert run(site / "src", site / "dest").applied.status[f"{HELLO_DIR}/item.md"] == CHANGED


def test_folder_that_cannot_be_written_fails_that_post(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = A._make_temp

    def make_temp(folder: Path, name: str) -> tuple[int, str]:
        if folder.name == "2020-01-02-hello":
            raise PermissionError(errno.EACCES, "Permission denied", str(folder / f".{name}.x.grav-tools.tmp"))
        return real(folder, name)

    monkeypatch.setattr(A, "_make_temp", make_temp)
    outcome = run(site / "src", site / "dest")
    assert outcome.applied.count(FAILED) == 2 and outcome.applied.count(NEW) == 1
    [(rule, path, message)] = errors(outcome)
    assert rule == "GRV920" and path.endswith(f"{HELLO_DIR}/item.md") and "Permission denied" in message


def test_edited_output_is_not_overwritten_without_force(site: Path) -> None:
    run(site / "src", site / "dest")
    item = site / "dest" / HELLO_DIR / "item.md"
    item.write_bytes(item.read_bytes() + b"\nMy own edit.\n")
    edited = item.read_bytes()
    (site / "src/_posts/2020-01-02-hello.md").write_text(HELLO + "\nNew source text.\n", encoding="utf-8")
    kept = run(site / "src", site / "dest")
    assert item.read_bytes() == edited and kept.applied.status[f"{HELLO_DIR}/item.md"] == CONFLICT
    assert [e[0] for e in errors(kept)] == ["GRV914"] and "changed since convert wrote it" in errors(kept)[0][2]
    assert record(site / "dest")[f"{HELLO_DIR}/item.md"]["sha256"] != A.sha256(item), "still the old hash"
    forced = run(site / "src", site / "dest", force=True)
    assert forced.applied.status[f"{HELLO_DIR}/item.md"] == CHANGED and b"New source text." in item.read_bytes()


def after_plan(monkeypatch: pytest.MonkeyPatch, action: Callable[[], None]) -> None:
    """Run `action` after the plan is made and before anything is written."""
    real = R.plan

    def plan(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        action()
        return result

    monkeypatch.setattr(R, "plan", plan)


def test_source_post_changed_between_plan_and_write_is_skipped(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = site / "src/_posts/2020-01-02-hello.md"
    after_plan(monkeypatch, lambda: source.write_text(HELLO + "\nTyped meanwhile.\n", encoding="utf-8"))
    outcome = run(site / "src", site / "dest")
    assert outcome.applied.status[f"{HELLO_DIR}/item.md"] == FAILED
    assert not (site / "dest" / HELLO_DIR / "item.md").exists() and temps(site / "dest") == []
    assert (site / "dest" / OTHER_DIR / "item.md").exists()
    [(rule, path, message)] = errors(outcome)
    assert rule == "GRV921" and path == str(source) and "changed while convert was running" in message
    monkeypatch.undo()
    again = run(site / "src", site / "dest")
    assert b"Typed meanwhile." in (site / "dest" / HELLO_DIR / "item.md").read_bytes() and errors(again) == []


def test_media_changed_between_check_and_copy_is_skipped(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = A._write

    def write(*args: Any) -> None:  # the media file's hash is taken when DEST is checked, before this
        (site / "src/img/a.png").write_bytes(b"replaced")
        real(*args)

    monkeypatch.setattr(A, "_write", write)
    outcome = run(site / "src", site / "dest")
    assert outcome.applied.status[f"{HELLO_DIR}/a.png"] == FAILED
    assert not (site / "dest" / HELLO_DIR).exists() or not any((site / "dest" / HELLO_DIR).iterdir())
    assert [e[0] for e in errors(outcome)] == ["GRV921"] and temps(site / "dest") == []


def test_dest_file_changed_between_check_and_write_is_kept(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run(site / "src", site / "dest")
    item = site / "dest" / HELLO_DIR / "item.md"
    (site / "src/_posts/2020-01-02-hello.md").write_text(HELLO + "\nMore.\n", encoding="utf-8")
    real = A._write

    def write(*args: Any) -> None:
        item.write_text("edited by hand meanwhile\n", encoding="utf-8")
        real(*args)

    monkeypatch.setattr(A, "_write", write)
    outcome = run(site / "src", site / "dest")
    assert item.read_text(encoding="utf-8") == "edited by hand meanwhile\n" and temps(site / "dest") == []
    assert [e[0] for e in errors(outcome)] == ["GRV921"]


def test_record_that_cannot_be_written_is_reported_and_the_next_run_recovers(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_space(path: Path, data: bytes, sync: bool = True) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(A, "atomic_write", no_space)
    outcome = run(site / "src", site / "dest")
    [(rule, path, message)] = errors(outcome)
    assert rule == "GRV920" and path.endswith(".grav-tools/convert.json") and "No space left" in message
    monkeypatch.undo()
    again = run(site / "src", site / "dest")
    assert again.applied.count(SAME) == len(again.applied.status) and errors(again) == []
    assert f"{HELLO_DIR}/item.md" in record(site / "dest")


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
@pytest.mark.parametrize("link", [f"{HELLO_DIR}/item.md", f"{HELLO_DIR}/a.png", HELLO_DIR, ".grav-tools"])
def test_symlink_in_dest_is_never_written_through(site: Path, tmp_path: Path, link: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "item.md").write_text("not yours\n", encoding="utf-8")
    (outside / "a.png").write_bytes(b"not yours")
    before = snapshot(outside)
    where = site / "dest" / link
    where.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(outside / where.name if where.suffix else outside, where)
    outcome = run(site / "src", site / "dest")
    assert snapshot(outside) == before, "nothing written outside DEST"
    assert temps(outside) == [] and temps(site / "dest") == []
    assert "GRV914" in [e[0] for e in errors(outcome)]
    assert where.is_symlink(), "the link itself is left alone"
    if link != ".grav-tools":
        assert outcome.applied.status[f"{HELLO_DIR}/item.md"] == CONFLICT
        assert (site / "dest" / OTHER_DIR / "item.md").is_file()


def test_cli_reports_failures_in_the_summary_and_exits_1(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fail_writes(monkeypatch, errno.ENOSPC, lambda data: b"title: Hello" in data)
    result = CliRunner().invoke(main, ["convert", "--no-color", str(site / "src"), str(site / "dest")])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    lines = result.output.splitlines()
    assert any(line.split() == ["files", "failed", "2"] for line in lines), result.output
    assert any(line.split() == ["files", "new", "1"] for line in lines), result.output
    assert "GRV920" in result.output and "No space left on device" in result.output
    assert f"{HELLO_DIR}/item.md" in result.output


def test_temps_left_by_an_interrupted_run_are_removed_by_the_next(site: Path) -> None:
    folder = site / "dest" / HELLO_DIR
    folder.mkdir(parents=True)
    (folder / ".item.md.k9x_2abc.grav-tools.tmp").write_bytes(b"half a page")  # what kill -9 leaves
    (folder / ".a.png.zz81qq_w.grav-tools.tmp").write_bytes(b"PNG")
    (folder / ".notes.txt").write_text("the user's own dotfile\n", encoding="utf-8")
    (folder / ".other.md.abcdefgh.grav-tools.tmp").write_bytes(b"not a file convert writes here")
    run(site / "src", site / "dest")
    assert sorted(p.name for p in folder.iterdir()) == [".notes.txt", ".other.md.abcdefgh.grav-tools.tmp",
                                                        "a.png", "item.md"]
