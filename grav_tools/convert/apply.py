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
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from grav_tools.convert.grav import OutFile, Plan, file_digest
from grav_tools.convert.model import Note
from grav_tools.source import atomic_write

RECORD = ".grav-tools/convert.json"
NEW, CHANGED, SAME, CONFLICT = "new", "changed", "unchanged", "conflict"


class RecordError(Exception):
    """The migration record exists but cannot be read: refuse to guess what convert wrote."""


@dataclass(slots=True)
class Applied:
    """What happened (or, in a dry run, would happen) to every planned and recorded file."""

    status: dict[str, str] = field(default_factory=dict)  # rel path below DEST -> NEW/CHANGED/SAME/CONFLICT
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
    digests = {rel: file.digest() for rel, file in planned.items()}
    blocked: set[str] = set()
    for rel, file in planned.items():
        target = safe_target(dest, rel)
        if target is None:
            result.status[rel] = CONFLICT
            result.notes.append(Note("GRV914", str(dest / rel), 1, "the path leads outside the destination or "
                                     "through a symbolic link: not written"))
            blocked.add(file.group)
            continue
        current = sha256(target) if target.exists() else None
        if target.exists() and not target.is_file():
            result.status[rel] = CONFLICT
            result.notes.append(Note("GRV914", str(target), 1, "a folder or special file is in the way: not written"))
            blocked.add(file.group)
        elif current is None:
            result.status[rel] = NEW
        elif current == digests[rel]:
            result.status[rel] = SAME
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
    _write(result, planned, dest)
    for rel in result.removed:
        target = dest / rel
        target.unlink()
        _remove_empty(target.parent, dest)
    new_outputs: dict[str, Any] = {}
    root = os.path.abspath(source_root) + os.sep
    for rel, file in planned.items():
        if result.status[rel] in (NEW, CHANGED, SAME):
            origin = os.path.abspath(file.origin) if file.origin is not None else ""
            shown = origin[len(root):].replace(os.sep, "/") if origin.startswith(root) else file.post
            new_outputs[rel] = {"sha256": digests[rel], "source": shown,
                                "source_sha256": file_digest(file.origin) if file.origin else None,
                                "post": file.post}
        elif rel in outputs:
            new_outputs[rel] = outputs[rel]
    for rel in result.stale:
        new_outputs[rel] = outputs[rel]
    new_record = {"version": 1, "tool": "grav-tools convert", "kind": kind,
                  "source": str(source_root.resolve()), "outputs": dict(sorted(new_outputs.items()))}
    text = json.dumps(new_record, indent=1, ensure_ascii=False) + "\n"
    record_path = dest / RECORD
    if not record_path.exists() or record_path.read_text(encoding="utf-8") != text:
        record_path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(record_path, text.encode("utf-8"))
    return result


def _write(result: Applied, planned: dict[str, OutFile], dest: Path) -> None:
    written = False
    made: dict[Path, bool] = {}
    real_dest = os.path.realpath(dest)
    for rel, file in planned.items():
        if result.status[rel] not in (NEW, CHANGED):
            continue
        target = dest / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made[target.parent] = not os.path.islink(target.parent) and \
                os.path.realpath(target.parent).startswith(real_dest + os.sep)
        if not made[target.parent] or os.path.islink(target):  # a link appeared while we were working
            result.status[rel] = CONFLICT
            continue
        data = file.data if file.data is not None else file.source.read_bytes()  # type: ignore[union-attr]
        atomic_write(target, data, sync=False)  # `_write` syncs once at the end
        written = True
    if written and hasattr(os, "sync"):
        os.sync()  # one flush for the whole run instead of two fsyncs per file


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
    ! conflict, - removed."""
    marks = {NEW: "+", CHANGED: "~", SAME: "=", CONFLICT: "!"}
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
