"""Golden cases: tests/normalise/cases/<name>/{input.md,expected.md}, one canonical rule each.

A case may add `options.toml` (the `[tool.grav-tools.normalise]` table, read by the same code
as a settings file, plus `assume`, `site-dateformat`, `site-timezone`, `summary-delimiter`) and `notes.txt` (one substring per line that some
reported note must contain). Every expected.md must itself be canonical (normalising it again
changes nothing).
"""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest
from normalise_php import GRAV_PHP, run_php

from grav_tools.normalise.core import normalise_text
from grav_tools.normalise.options import NormaliseOptions, options_from_table
from grav_tools.site import SiteConfig
from grav_tools.source import decode

CASES = Path(__file__).parent / "cases"
NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())


def _setup(case: Path) -> tuple[SiteConfig, NormaliseOptions]:
    extra = tomllib.loads((case / "options.toml").read_text("utf-8")) if (case / "options.toml").exists() else {}
    site = SiteConfig(dateformat=extra.pop("site-dateformat", None), timezone=extra.pop("site-timezone", None),
                      summary_delimiter=extra.pop("summary-delimiter", "==="))
    assume = extra.pop("assume", None)
    options = dataclasses.replace(options_from_table(extra, str(case / "options.toml")), assume=assume)
    return site, options


@pytest.mark.parametrize("name", NAMES)
def test_golden(name: str) -> None:
    case = CASES / name
    site, options = _setup(case)
    decoded = decode((case / "input.md").read_bytes())
    result = normalise_text(decoded.text, site, options)
    assert result.error is None, result.error
    expected = (case / "expected.md").read_bytes().decode("utf-8")
    assert result.text == expected
    notes = "\n".join(n.message for n in result.notes)
    if (case / "notes.txt").exists():
        for wanted in (case / "notes.txt").read_text("utf-8").splitlines():
            if wanted.strip():
                assert wanted.strip() in notes, notes
    again = normalise_text(expected, site, options)
    assert again.text == expected


def test_there_are_cases_for_every_rule() -> None:
    assert len(NAMES) >= 25


# What PHP must see differently after normalising, because the case fixes it on purpose:
# "header"/"strict" = no header, or strict YAML failed, before; else (same data, same dates, same body).
DECLARED: dict[str, object] = {
    "fence-opening-trailing-space": "header", "fence-dots-terminator": "header",
    "header-duplicate-keys": "strict", "header-lenient-fallback": "strict", "header-yaml-error-left": "strict",
    "dates-unquoted-iso": (False, False, True),  # Grav misread them; `event` becomes the text written
    "dates-unquoted-iso-with-zone": (True, False, True), "options-everything-off": (True, False, True),
    "dates-assume-day-first": (True, False, True), "dates-assume-month-first": (True, False, True),
    "carousel-attribute-quotes": (True, True, False), "fence-closing-four-dashes": (True, True, False),
}


def test_php_sees_the_same_page_before_and_after_every_golden_case() -> None:
    import base64

    cases = []
    for name in NAMES:
        site, _ = _setup(CASES / name)
        cases.append({"before": base64.b64encode((CASES / name / "input.md").read_bytes()).decode(),
                      "after": base64.b64encode((CASES / name / "expected.md").read_bytes()).decode(),
                      "format": site.dateformat, "tz": site.timezone})
    answers = run_php(GRAV_PHP, cases)
    wrong = []
    for name, answer in zip(NAMES, answers):
        declared = DECLARED.get(name, (True, True, True))
        if name == "header-yaml-error-left":
            assert answer["before"] == answer["after"] == "error"
            continue
        if answer["after"] != "ok" and name != "body-only-no-header":
            wrong.append((name, "after", answer["after"]))
        if isinstance(declared, tuple):
            same = answer["same_data"], answer["same_dates"], answer["same_body"]
            if same != declared:
                wrong.append((name, same))
    assert wrong == [], wrong
