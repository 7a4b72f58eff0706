"""source.atomic_write under faults: the old file or the new one, never a temp file left behind."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import grav_tools.source as source
from grav_tools.source import WriteFailed, atomic_write, newline_style, remove_stale_temps


def _temps(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".grav-tools.tmp")]


@pytest.mark.parametrize(("call", "error", "stage"), [
    ("write", errno.ENOSPC, "write"),
    ("fsync", errno.EIO, "sync"),
    ("close", errno.EDQUOT, "close"),
    ("replace", errno.ENOSPC, "rename"),
])
def test_a_fault_before_the_rename_leaves_the_old_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  call: str, error: int, stage: str) -> None:
    target = tmp_path / "item.md"
    target.write_bytes(b"old")
    real = getattr(os, call)

    def faulty(*args, **kwargs):
        if call == "close":
            real(*args, **kwargs)
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(os, call, faulty)
    with pytest.raises(WriteFailed) as caught:
        atomic_write(target, b"new" * 1000)
    monkeypatch.undo()
    assert (caught.value.errno, caught.value.stage, caught.value.replaced) == (error, stage, False)
    assert isinstance(caught.value, OSError) and caught.value.strerror == os.strerror(error)
    assert target.read_bytes() == b"old"
    assert _temps(tmp_path) == []


def test_short_writes_are_completed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real(fd, bytes(data[:7])))
    atomic_write(tmp_path / "item.md", b"0123456789" * 100)
    monkeypatch.undo()
    assert (tmp_path / "item.md").read_bytes() == b"0123456789" * 100


def test_a_folder_sync_failure_says_the_file_was_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "item.md"
    target.write_bytes(b"old")
    real = os.fsync

    def fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(errno.EIO, "Input/output error")
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(WriteFailed) as caught:
        atomic_write(target, b"new")
    monkeypatch.undo()
    assert caught.value.replaced and caught.value.stage == "sync-folder"
    assert target.read_bytes() == b"new"


def test_before_replace_can_refuse(tmp_path: Path) -> None:
    target = tmp_path / "item.md"
    target.write_bytes(b"old")

    def refuse() -> None:
        raise LookupError("changed meanwhile")

    with pytest.raises(LookupError):
        atomic_write(target, b"new", before_replace=refuse)
    assert target.read_bytes() == b"old" and _temps(tmp_path) == []


def test_mode_is_kept_and_the_old_signature_works(tmp_path: Path) -> None:
    target = tmp_path / "item.md"
    target.write_bytes(b"old")
    target.chmod(0o604)
    atomic_write(target, b"new", sync=False)  # how convert calls it
    assert target.read_bytes() == b"new" and stat.S_IMODE(target.stat().st_mode) == 0o604
    fresh = tmp_path / "fresh.md"
    atomic_write(fresh, b"x")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644


def test_the_temp_name_carries_the_pid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    names: list[str] = []
    real = os.replace
    monkeypatch.setattr(os, "replace", lambda src, dst: (names.append(os.path.basename(src)), real(src, dst)))
    atomic_write(tmp_path / "item.md", b"x")
    monkeypatch.undo()
    assert names[0].startswith(f".item.md.{os.getpid()}.") and source._TEMP_NAME.match(names[0])


def test_permission_denied_creating_the_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(source.tempfile, "mkstemp", denied)
    with pytest.raises(WriteFailed) as caught:
        atomic_write(tmp_path / "item.md", b"x")
    assert caught.value.stage == "create" and caught.value.errno == errno.EACCES


def test_remove_stale_temps_removes_only_ours_old_and_orphaned(tmp_path: Path) -> None:
    names = {
        ".item.md.999999999.abcd_123.grav-tools.tmp": True,  # its process is gone
        ".item.md.k2j4h5g6.grav-tools.tmp": True,  # older name without a pid
        f".item.md.{os.getpid()}.abcdefgh.grav-tools.tmp": False,  # this very process
        f".item.md.{os.getppid()}.abcdefgh.grav-tools.tmp": False,  # a live process
        "item.md.grav-tools.tmp": False,  # not our pattern
        ".item.md.grav-tools.tmp": False,
    }
    for name in names:
        (tmp_path / name).write_bytes(b"x")
        os.utime(tmp_path / name, (1, 1))
    new = tmp_path / ".item.md.999999998.abcd_124.grav-tools.tmp"  # written after the run began
    new.write_bytes(b"x")
    link = tmp_path / ".item.md.999999997.abcd_125.grav-tools.tmp"
    link.symlink_to(tmp_path / "elsewhere")
    assert remove_stale_temps({str(tmp_path), str(tmp_path / "missing")}, started=1000.0) == 2
    for name, removed in names.items():
        assert (tmp_path / name).exists() != removed, name
    assert new.exists() and link.is_symlink()


@given(st.binary(max_size=40).map(lambda b: b.replace(b"\x00", b"\r")) | st.text(alphabet="a\r\n", max_size=20).map(str.encode))
def test_newline_style_counts_every_kind(raw: bytes) -> None:
    crlf = raw.count(b"\r\n")
    kinds = [name for name, n in (("crlf", crlf), ("cr", raw.count(b"\r") - crlf), ("lf", raw.count(b"\n") - crlf)) if n]
    assert newline_style(raw) == ("none" if not kinds else "mixed" if len(kinds) > 1 else kinds[0])
