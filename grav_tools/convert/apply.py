"""Write a plan into DEST safely, and keep the migration record that makes re-runs cheap and safe.

Rules: nothing is written outside DEST or through a symbolic link; a file that exists and is not
in the record (or was edited since convert wrote it) is never replaced without `force`; a file
whose bytes are already right is not touched, so a second run changes nothing; `prune` removes
only files the record says convert wrote, and only when they are unchanged since. Every write
is atomic. The record, `DEST/.grav-tools/convert.json`, maps each output to its hash and source.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from grav_tools.convert.grav import OutFile, Plan, route_of
from grav_tools.convert.model import Note
from grav_tools.convert.reading import file_digest, fresh_digest
from grav_tools.source import atomic_write

RECORD = ".grav-tools/convert.json"
NEW, CHANGED, SAME, CONFLICT, FAILED = "new", "changed", "unchanged", "conflict", "failed"


class RecordError(Exception):
    """The migration record exists but cannot be read: refuse to guess what convert wrote."""


@dataclass(slots=True)
class Applied:
    """What happened (or, in a dry run, would happen) to every planned and recorded file."""

    status: dict[str, str] = field(default_factory=dict)  # rel path below DEST -> NEW/CHANGED/SAME/CONFLICT/FAILED
    removed: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for s in self.status.values() if s == status)


def sha256(path: Path) -> str | None:
    try:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None


def load_record(dest: Path) -> dict[str, Any]:
    path = dest / RECORD
    if not path.exists():
        return {"version": 1, "outputs": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RecordError(f"{path}: cannot read the migration record ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("outputs"), dict):
        raise RecordError(f"{path}: not a grav-tools migration record")
    return data


def existing_routes(dest: Path, prefix: str = "") -> dict[str, str]:
    """Route -> folder of every page already in DEST that convert did not write (by the record),
    so old URLs are never made aliases that would shadow them. Links are not followed."""
    pages = dest / prefix if prefix else dest
    if not pages.is_dir():
        return {}
    ours = {str(PurePosixPath(rel).parent) for rel in load_record(dest)["outputs"]}
    found: dict[str, str] = {}
    for folder, dirs, files in os.walk(pages):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        rel = Path(folder).relative_to(pages).as_posix()
        if rel == "." or not any(name.endswith(".md") for name in files):
            continue
        if (f"{prefix}/{rel}" if prefix else rel) not in ours:
            found.setdefault(route_of(rel), rel)
    return found


_safe_dirs: dict[tuple[str, str], bool] = {}


def _safe_dir(dest: str, real_dest: str, rel_dir: str) -> bool:
    """No symbolic link on the way from DEST down to DEST/rel_dir, and it stays inside DEST."""
    key = (dest, rel_dir)
    cached = _safe_dirs.get(key)
    if cached is None:
        if not rel_dir:
            cached = True
        else:
            parent, _, _ = rel_dir.rpartition("/")
            folder = os.path.join(dest, rel_dir)
            cached = _safe_dir(dest, real_dest, parent) and not os.path.islink(folder) and (
                not os.path.exists(folder) or os.path.realpath(folder).startswith(real_dest + os.sep))
        _safe_dirs[key] = cached
    return cached


def safe_target(dest: Path, rel: str) -> Path | None:
    """DEST/rel when it stays inside DEST with no symbolic link on the way; else None."""
    parts = PurePosixPath(rel).parts
    if not parts or PurePosixPath(rel).is_absolute() or any(p in ("..", ".", "") for p in parts):
        return None
    if not _safe_dir(str(dest), os.path.realpath(dest), "/".join(parts[:-1])):
        return None
    target = dest / rel
    return None if os.path.islink(target) else target


def apply(plan: Plan, dest: Path, source_root: Path, kind: str, *, dry_run: bool, force: bool,
          prune: bool, prefix: str = "") -> Applied:
    """Write (or only assess, with dry_run) every file of the plan. `prefix` is the pages folder
    below DEST (`user/pages` for a Grav site root, else empty) the plan's paths are relative to."""
    record = load_record(dest)
    outputs: dict[str, Any] = record["outputs"]
    _safe_dirs.clear()  # the tree may have changed since an earlier call
    result = Applied()
    planned: dict[str, OutFile] = {}
    for file in plan.files:
        planned[f"{prefix}/{file.rel}" if prefix else file.rel] = file
    digests: dict[str, str] = {}
    seen: dict[str, tuple[int, int, int] | None] = {}  # what each target was when assessed
    blocked: set[str] = set()
    for rel, file in planned.items():
        try:
            digests[rel] = file.digest()
        except OSError as exc:
            result.status[rel] = FAILED
            result.notes.append(Note("GRV920", str(file.origin or file.post), 1, f"cannot read this file "
                                     f"({_why(exc)}): the post is not written; fix its permissions and convert again"))
            blocked.add(file.group)
            continue
        target = safe_target(dest, rel)
        if target is None:
            result.status[rel] = CONFLICT
            result.notes.append(Note("GRV914", str(dest / rel), 1, "the path leads outside the destination or "
                                     "through a symbolic link: not written"))
            blocked.add(file.group)
            continue
        seen[rel] = _stamp(target)
        current = sha256(target) if target.exists() else None
        if target.exists() and not target.is_file():
            result.status[rel] = CONFLICT
            result.notes.append(Note("GRV914", str(target), 1, "a folder or special file is in the way: not written"))
            blocked.add(file.group)
        elif current is None and target.exists():
            result.status[rel] = FAILED
            result.notes.append(Note("GRV920", str(target), 1, "this file cannot be read, so convert cannot tell "
                                     "whether it may replace it: the post is not written"))
            blocked.add(file.group)
        elif current is None:
            result.status[rel] = NEW
        elif current == digests[rel]:
            result.status[rel] = SAME
        elif not os.stat(target).st_mode & 0o222:
            result.status[rel] = FAILED
            result.notes.append(Note("GRV920", str(target), 1, "this file is read-only: not replaced, and the rest "
                                     "of this post is not written either (make it writable to update it)"))
            blocked.add(file.group)
        elif force or (rel in outputs and outputs[rel].get("sha256") == current):
            result.status[rel] = CHANGED
        else:
            result.status[rel] = CONFLICT
            why = "was changed since convert wrote it" if rel in outputs else "was not written by convert"
            result.notes.append(Note("GRV914", str(target), 1, f"this file {why}: not overwritten (use --force); "
                                     "the rest of this post is not written either"))
            blocked.add(file.group)
    for rel, file in planned.items():  # a post is written whole or not at all
        if file.group in blocked and result.status[rel] in (NEW, CHANGED):
            result.status[rel] = CONFLICT
    stale = sorted(rel for rel in outputs if rel not in planned)
    for rel in stale:
        target = safe_target(dest, rel)
        if target is None or not target.exists():
            continue
        if not prune:
            result.stale.append(rel)
            continue
        if sha256(target) != outputs[rel].get("sha256"):
            result.stale.append(rel)
            result.notes.append(Note("GRV919", str(target), 1, "no source any more, but edited since convert wrote "
                                     "it: kept", severity=None))
            continue
        result.removed.append(rel)
    if result.stale and not prune:
        folders = sorted({str(PurePosixPath(r).parent) for r in result.stale})
        for folder in folders:
            result.notes.append(Note("GRV919", str(dest / folder), 1, "written by an earlier convert run, but its "
                                     "source is gone or now goes elsewhere: kept (use --prune to remove it)"))
    if dry_run:
        return result
    _remove_leftover_temps(dest, planned)
    _write(result, planned, dest, digests, seen)
    for rel in list(result.removed):
        target = dest / rel
        try:
            target.unlink()
        except OSError as exc:
            result.removed.remove(rel)
            result.stale.append(rel)
            result.notes.append(Note("GRV920", str(target), 1, f"cannot remove this file ({_why(exc)}): kept"))
            continue
        _remove_empty(target.parent, dest)
    new_outputs: dict[str, Any] = {}
    root = os.path.abspath(source_root) + os.sep
    for rel, file in planned.items():
        if result.status[rel] in (NEW, CHANGED, SAME):
            origin = os.path.abspath(file.origin) if file.origin is not None else ""
            shown = origin[len(root):].replace(os.sep, "/") if origin.startswith(root) else file.post
            new_outputs[rel] = {"sha256": digests[rel], "source": shown,
                                "source_sha256": _source_digest(file), "post": file.post}
        elif rel in outputs:  # not written this time: what is on disk is still what the record says
            new_outputs[rel] = outputs[rel]
    for rel in result.stale:
        new_outputs[rel] = outputs[rel]
    new_record = {"version": 1, "tool": "grav-tools convert", "kind": kind,
                  "source": str(source_root.resolve()), "outputs": dict(sorted(new_outputs.items()))}
    _save_record(result, dest, json.dumps(new_record, indent=1, ensure_ascii=False) + "\n")
    return result


def _remove_leftover_temps(dest: Path, planned: dict[str, OutFile]) -> None:
    """Temp files an interrupted run (kill -9, power cut) left beside the files it was writing:
    only names `.<planned file>.<random>.grav-tools.tmp` in planned folders inside DEST."""
    names: dict[str, set[str]] = {}
    for rel in planned:
        folder, _, name = rel.rpartition("/")
        names.setdefault(folder, set()).add(name)
    for folder, wanted in names.items():
        path = safe_target(dest, f"{folder}/x") if folder else dest / "x"
        if path is None:
            continue
        try:
            entries = list(os.scandir(path.parent))
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith(".grav-tools.tmp") and entry.name.startswith(".") \
                    and entry.name[1:].rsplit(".", 3)[0] in wanted and entry.is_file(follow_symlinks=False):
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass


def _why(exc: OSError) -> str:
    """An OSError as a reader wants it: 'No space left on device', not a repr."""
    return exc.strerror or str(exc)


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """Identity of what is at `path` now (None: nothing), to notice a change before replacing it."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def _source_digest(file: OutFile) -> str | None:
    if file.origin is None:
        return None
    try:
        return file_digest(file.origin)
    except OSError:
        return None


def _save_record(result: Applied, dest: Path, text: str) -> None:
    """Write the record unless it already says this; never through a link, never with a traceback."""
    record_path = safe_target(dest, RECORD)
    if record_path is None:
        result.notes.append(Note("GRV914", str(dest / RECORD), 1, "the migration record's path leads through a "
                                 "symbolic link: not written; remove the link and convert again"))
        return
    try:
        if record_path.exists() and record_path.read_text(encoding="utf-8") == text:
            return
        record_path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(record_path, text.encode("utf-8"))
    except OSError as exc:
        result.notes.append(Note("GRV920", str(record_path), 1, f"cannot write the migration record ({_why(exc)}); "
                                 "run convert again when that is fixed: files it wrote are recognised by their "
                                 "content"))


class _Skip(Exception):
    """One post cannot be written: `reason` says why (shown with `path`), `code` which note."""

    def __init__(self, path: Path, reason: str, code: str = "GRV920") -> None:
        super().__init__(reason)
        self.path, self.reason, self.code = path, reason, code


def _write(result: Applied, planned: dict[str, OutFile], dest: Path, digests: dict[str, str],
           seen: dict[str, tuple[int, int, int] | None]) -> None:
    """Write every post folder whole or not at all: all its files go to temp files first, and only
    when every one is complete are they renamed into place. A failure (disk full, permission,
    a source or target that changed while we worked) leaves the old files and no temp behind,
    marks the post failed with the reason, and the run goes on with the next post."""
    groups: dict[str, list[str]] = {}
    for rel, file in planned.items():
        if result.status[rel] in (NEW, CHANGED):
            groups.setdefault(file.group, []).append(rel)
    real_dest = os.path.realpath(dest)
    written = False
    for rels in groups.values():
        staged: list[tuple[str, str, Path]] = []  # (rel, temp path, target)
        done: set[str] = set()
        current = rels[0]  # the file being worked on, named when it fails
        try:
            for current in rels:
                staged.append((current, *_stage(dest, real_dest, current, planned[current], digests[current])))
            for current, _tmp, target in staged:
                if _stamp(target) != seen.get(current):
                    raise _Skip(target, "this file changed while convert was running: not replaced; convert "
                                "again to see it", "GRV921")
            for current, tmp, target in staged:
                os.replace(tmp, target)
                done.add(current)
                written = True
        except (_Skip, OSError) as exc:
            if isinstance(exc, _Skip):
                path, reason, code = exc.path, exc.reason, exc.code
            else:
                path = dest / current
                what = "only part of this post was written" if done else "nothing of this post was written"
                reason, code = f"cannot write ({_why(exc)}): {what}; fix that and convert again", "GRV920"
            for rel in rels:
                if rel not in done:
                    result.status[rel] = FAILED
            result.notes.append(Note(code, str(path), 1, reason))
        finally:
            for _rel, tmp, _target in staged:
                if os.path.lexists(tmp):
                    try:
                        os.unlink(tmp)
                    except OSError:
                        pass
    if written and hasattr(os, "sync"):
        os.sync()  # one flush for the whole run instead of two fsyncs per file


def _stage(dest: Path, real_dest: str, rel: str, file: OutFile, digest: str) -> tuple[str, Path]:
    """The new content of DEST/rel in a temp file beside it (same folder, so the rename is atomic).

    A media file is copied in chunks and hashed on the way: if it is not the file that was
    planned (it changed since), the copy is refused. Raises _Skip or OSError; never leaves a temp.
    """
    target = dest / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    parent = target.parent
    if os.path.islink(parent) or not os.path.realpath(parent).startswith(real_dest + os.sep) \
            or os.path.islink(target):
        raise _Skip(target, "a symbolic link appeared on the way to this file while convert was running: "
                    "not written", "GRV914")
    mode = os.stat(target).st_mode & 0o7777 if os.path.lexists(target) else 0o644
    fd, tmp = _make_temp(parent, target.name)
    try:
        try:
            if file.data is not None:
                if file.origin is not None and _changed_source(file.origin):
                    raise _Skip(file.origin, "the source file changed while convert was running: this post is "
                                "skipped; convert again to pick up the change", "GRV921")
                _write_all(fd, file.data)
            else:
                assert file.source is not None
                hasher = hashlib.sha256()
                with file.source.open("rb") as handle:
                    for chunk in iter(lambda: handle.read(1 << 20), b""):
                        hasher.update(chunk)
                        _write_all(fd, chunk)
                if hasher.hexdigest() != digest:
                    raise _Skip(file.source, "this media file changed while convert was running: the post is "
                                "skipped; convert again to pick up the change", "GRV921")
            os.fchmod(fd, mode)
        finally:
            os.close(fd)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return tmp, target


def _changed_source(origin: Path) -> bool:
    """Is the source post different now from what was read and converted?"""
    try:
        return fresh_digest(origin) != file_digest(origin)
    except OSError:
        return True


def _make_temp(folder: Path, name: str) -> tuple[int, str]:
    """A new temp file in `folder` named like source.atomic_write's (so leftovers look alike)."""
    return tempfile.mkstemp(prefix=f".{name}.", suffix=".grav-tools.tmp", dir=folder)


def _write_all(fd: int, data: bytes) -> None:
    """The one place convert's bytes hit the disk: os.write until all is written (short writes
    are retried; an error such as ENOSPC propagates)."""
    view = memoryview(data)
    while view:
        count = os.write(fd, view)
        view = view[count:]


def _remove_empty(folder: Path, dest: Path) -> None:
    """Remove folders left empty by pruning, up to (not including) DEST."""
    real_dest = os.path.realpath(dest)
    while os.path.realpath(folder).startswith(real_dest + os.sep):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def tree(result: Applied, dest: str) -> list[str]:
    """The plan as an indented tree with a status mark per file: + new, ~ changed, = unchanged,
    ! conflict, x failed, - removed."""
    marks = {NEW: "+", CHANGED: "~", SAME: "=", CONFLICT: "!", FAILED: "x"}
    entries = [(rel, marks[status]) for rel, status in result.status.items()]
    entries += [(rel, "-") for rel in result.removed]
    lines = [dest.rstrip("/") + "/"]
    shown: set[str] = set()
    for rel, mark in sorted(entries):
        parts = PurePosixPath(rel).parts
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder not in shown:
                shown.add(folder)
                lines.append("  " * depth + parts[depth - 1] + "/")
        lines.append("  " * len(parts) + f"{mark} {parts[-1]}")
    return lines
