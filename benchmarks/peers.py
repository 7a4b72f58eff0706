"""The peer linters, installed by the benchmark into benchmarks/out/peers/ (never into the repo).

* yamllint: its own venv (`python -m venv` + `pip install yamllint`), timed on a tree of the
  pages' frontmatter written as .yaml files, since yamllint reads YAML files, not Markdown.
* markdownlint-cli2: `npm install --prefix`, timed on the site's .md files.

Both run with their default configuration. An install that fails (no network, no npm) gives a
`Peer` with `skipped` set to the reason; the benchmark prints it and goes on.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

INSTALL_TIMEOUT = 600


@dataclass
class Peer:
    """An installed peer (`exe`, `version`) or a skipped one (`skipped` is the reason)."""

    name: str
    exe: Path | None = None
    version: str = ""
    skipped: str = ""


def _run(cmd: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False,
                          timeout=INSTALL_TIMEOUT, stdin=subprocess.DEVNULL)


def _failure(what: str, proc: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in (proc.stderr + proc.stdout).splitlines() if line.strip()]
    return f"{what} failed (exit {proc.returncode}): {lines[-1] if lines else 'no output'}"


def _version(exe: Path, *args: str) -> str:
    proc = _run([str(exe), *args])
    lines = (proc.stdout + proc.stderr).strip().splitlines()
    return lines[0] if lines else "?"


def install_yamllint(peers_dir: Path) -> Peer:
    """yamllint in peers_dir/yamllint-venv."""
    peer = Peer("yamllint")
    venv = peers_dir / "yamllint-venv"
    exe = venv / "bin" / "yamllint"
    try:
        if not exe.exists():
            print(f"installing yamllint into {venv} ...", file=sys.stderr, flush=True)
            made = _run([sys.executable, "-m", "venv", "--clear", str(venv)])
            if made.returncode:
                peer.skipped = _failure("python -m venv", made)
                return peer
            pip = _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "yamllint"])
            if pip.returncode or not exe.exists():
                peer.skipped = _failure("pip install yamllint", pip)
                return peer
        peer.exe, peer.version = exe, _version(exe, "--version")
    except (OSError, subprocess.TimeoutExpired) as error:
        peer.skipped = f"installing yamllint failed: {error}"
    return peer


def install_markdownlint(peers_dir: Path) -> Peer:
    """markdownlint-cli2 in peers_dir/npm (node_modules/.bin/markdownlint-cli2)."""
    peer = Peer("markdownlint-cli2")
    prefix = peers_dir / "npm"
    exe = prefix / "node_modules" / ".bin" / "markdownlint-cli2"
    if not exe.exists() and not (shutil.which("npm") and shutil.which("node")):
        peer.skipped = "npm/node not found on PATH (apt-get install npm)"
        return peer
    try:
        if not exe.exists():
            print(f"installing markdownlint-cli2 into {prefix} ...", file=sys.stderr, flush=True)
            prefix.mkdir(parents=True, exist_ok=True)
            npm = _run(["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund",
                        "--loglevel=error", "markdownlint-cli2"])
            if npm.returncode or not exe.exists():
                peer.skipped = _failure("npm install markdownlint-cli2", npm)
                return peer
        peer.exe, peer.version = exe, _version(exe, "--help")
    except (OSError, subprocess.TimeoutExpired) as error:
        peer.skipped = f"installing markdownlint-cli2 failed: {error}"
    return peer


def yamllint_command(peer: Peer, tree: Path) -> list[str]:
    """yamllint's default rules over every .yaml file of `tree`."""
    return [str(peer.exe), "-f", "parsable", "-d", "extends: default", str(tree)]


def markdownlint_command(peer: Peer) -> list[str]:
    """markdownlint-cli2's default rules over every .md file below the working directory."""
    return [str(peer.exe), "**/*.md"]
