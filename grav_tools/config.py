"""The user's grav-tools settings: `[tool.grav-tools]` in pyproject.toml or a `.grav-tools.toml`.

Found by walking up from the first checked path (a `.grav-tools.toml` wins over a
`pyproject.toml` in the same folder). Unknown keys are an error with a suggestion, like ruff.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from grav_tools.problems import Severity

CONFIG_NAMES = (".grav-tools.toml", "pyproject.toml")
TOP_KEYS = ("select", "ignore", "exclude", "strict", "severity", "per-path-ignores", "rules", "normalise")
RULE_OPTION_KEYS = ("date-convention", "known-keys", "owl-options")
LINE_ENDINGS = ("lf", "crlf", "keep")  # [tool.grav-tools.normalise] line-endings; GRV103 follows it too


class ConfigError(Exception):
    """A settings file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class RuleOptions:
    """Options that change what rules accept; they travel with every page to the workers."""

    date_convention: str | None = None  # "dmy" or "mdy": how this site writes day and month
    known_keys: frozenset[str] = frozenset()  # extra header keys that are not typos
    owl_options: frozenset[str] = frozenset()  # extra owl-carousel options a theme supports
    line_endings: str = "lf"  # [tool.grav-tools.normalise] line-endings: what GRV103 accepts


@dataclass(frozen=True, slots=True)
class Config:
    """Everything that decides which rules run, how severe they are and what they accept."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    strict: bool = False
    severity: tuple[tuple[str, Severity], ...] = ()
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    options: RuleOptions = field(default_factory=RuleOptions)
    source: Path | None = None

    def enabled(self, code: str) -> bool:
        """Is the rule on? The longest matching prefix wins, so `ignore GRV3` + `select GRV301` works."""
        selected = max((len(s) for s in self.select if code.startswith(s)), default=None)
        if self.select and selected is None:
            return False
        ignored = max((len(i) for i in self.ignore if code.startswith(i)), default=None)
        return ignored is None or (selected is not None and selected > ignored)

    def severity_of(self, code: str) -> Severity | None:
        """The severity the settings give this rule (the longest matching prefix wins); None:
        the rule's own."""
        for prefix, level in sorted(self.severity, key=lambda item: -len(item[0])):
            if code.startswith(prefix):
                return level
        return None

    def ignored_at(self, code: str, display: str) -> bool:
        return any(
            fnmatch(display, pattern) or fnmatch(display, f"*/{pattern}")
            for pattern, codes in self.per_path_ignores
            if any(code.startswith(c) for c in codes)
        )

    def with_cli(
        self, select: tuple[str, ...], ignore: tuple[str, ...], exclude: tuple[str, ...], strict: bool
    ) -> Config:
        """Command-line options win over the file: --select replaces, --ignore and --exclude add."""
        return Config(
            select=select or self.select,
            ignore=self.ignore + ignore,
            exclude=self.exclude + exclude,
            strict=strict or self.strict,
            severity=self.severity,
            per_path_ignores=self.per_path_ignores,
            options=self.options,
            source=self.source,
        )


def find_config(start: Path) -> Path | None:
    """The nearest settings file at or above `start`."""
    start = start.resolve()
    for folder in [start, *start.parents] if start.is_dir() else list(start.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                if name == "pyproject.toml" and "grav-tools" not in _read_toml(candidate).get("tool", {}):
                    continue
                return candidate
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None


def _unknown(path: Path, where: str, key: str, known: tuple[str, ...]) -> ConfigError:
    close = difflib.get_close_matches(key, known, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(known)})"
    return ConfigError(f"{path}: unknown key '{key}' in {where}{hint}")


def _codes(path: Path, key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: '{key}' must be a list of rule codes such as [\"GRV210\", \"GRV3\"]")
    return tuple(v.strip().upper() for v in value)


def load_config(path: Path) -> Config:
    """Read and check one settings file."""
    data = _read_toml(path)
    section = data.get("tool", {}).get("grav-tools", {}) if path.name == "pyproject.toml" else data
    where = "[tool.grav-tools]" if path.name == "pyproject.toml" else path.name
    for key in section:
        if key not in TOP_KEYS:
            raise _unknown(path, where, key, TOP_KEYS)
    severity: list[tuple[str, Severity]] = []
    for code, level in section.get("severity", {}).items():
        try:
            severity.append((code.upper(), Severity.parse(str(level))))
        except KeyError:
            raise ConfigError(f"{path}: severity of {code} must be error, warning or info, not {level!r}") from None
    per_path = tuple(
        (pattern, _codes(path, f"per-path-ignores.{pattern}", codes))
        for pattern, codes in section.get("per-path-ignores", {}).items()
    )
    rule_options = section.get("rules", {})
    for key in rule_options:
        if key not in RULE_OPTION_KEYS:
            raise _unknown(path, f"{where} rules", key, RULE_OPTION_KEYS)
    convention = rule_options.get("date-convention")
    if convention not in (None, "dmy", "mdy"):
        raise ConfigError(f"{path}: rules.date-convention must be \"dmy\" (day first) or \"mdy\" (month first)")
    # the line endings the site's pages are normalised to are not a problem for validate (GRV103);
    # the normalise table's other keys are checked by normalise itself
    normalise_table = section.get("normalise", {})
    line_endings = normalise_table.get("line-endings", "lf") if isinstance(normalise_table, dict) else "lf"
    if line_endings not in LINE_ENDINGS:  # worded as normalise's own check
        raise ConfigError(f"{path}: normalise.line-endings must be one of {', '.join(map(repr, LINE_ENDINGS))}")
    exclude = section.get("exclude", [])
    if not isinstance(exclude, list):
        raise ConfigError(f"{path}: 'exclude' must be a list of globs")
    return Config(
        select=_codes(path, "select", section.get("select", [])),
        ignore=_codes(path, "ignore", section.get("ignore", [])),
        exclude=tuple(str(e) for e in exclude),
        strict=bool(section.get("strict", False)),
        severity=tuple(severity),
        per_path_ignores=per_path,
        options=RuleOptions(
            date_convention=convention,
            known_keys=frozenset(str(k) for k in rule_options.get("known-keys", [])),
            owl_options=frozenset(str(k) for k in rule_options.get("owl-options", [])),
            line_endings=line_endings,
        ),
        source=path,
    )
