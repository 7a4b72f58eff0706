"""Every page of ../shared/corpus/grav, copied to a temp folder: normalised with no failure, a
second run changes nothing, validate reports no fixable problem afterwards, and PHP (Grav's own
split and Symfony YAML, Grav's own date2timestamp) sees the same header data before and after.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, need_shared
from normalise_php import GRAV_PHP, run_php

from grav_tools.discover import discover
from grav_tools.lint import lint
from grav_tools.normalise.options import NormaliseOptions
from grav_tools.normalise.run import RunResult, normalise_targets

GRAV = CORPUS / "grav"


@pytest.fixture(scope="module")
def normalised(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunResult]:
    need_shared(GRAV)
    copy = tmp_path_factory.mktemp("corpus") / "grav"
    shutil.copytree(GRAV, copy, symlinks=True)
    for path in [copy, *copy.rglob("*")]:  # the shared corpus is read-only, and normalise leaves such files alone
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | 0o200)
    sites = sorted(str(p) for p in copy.iterdir() if p.is_dir())
    return copy, normalise_targets(discover(sites), NormaliseOptions(), write=True)


def _sites(root: Path) -> list[str]:
    return sorted(str(p) for p in root.iterdir() if p.is_dir())


def test_every_page_normalises_without_failure(normalised: tuple[Path, RunResult]) -> None:
    root, result = normalised
    failed = [(f.display, f.reason) for f in result.files if f.status in ("failed", "skipped")]
    assert failed == []
    per_site = Counter(Path(f.display).relative_to(root).parts[0] for f in result.files if f.status == "changed")
    assert sum(per_site.values()) > 500  # the corpus is far from Admin's canonical form
    assert len(result.files) == sum(1 for t in discover(_sites(root)) if t.page_file)


def test_a_second_run_changes_nothing(normalised: tuple[Path, RunResult]) -> None:
    root, _ = normalised
    again = normalise_targets(discover(_sites(root)), NormaliseOptions(), write=False)
    assert [f.display for f in again.files if f.status != "unchanged"] == []


def test_validate_reports_no_fixable_problem_afterwards(normalised: tuple[Path, RunResult]) -> None:
    root, _ = normalised
    problems = lint(discover(_sites(root))).problems
    fixable = [(p.path, p.line, p.code, p.message) for p in problems if p.fixable]
    assert fixable == []


def _php_cases(original: Path, copy: Path) -> list[dict[str, Any]]:
    import base64

    cases = []
    for target in discover(_sites(copy)):
        if not target.page_file:
            continue
        rel = target.path.relative_to(copy)
        site = target.site
        cases.append({
            "path": str(rel),
            "before": base64.b64encode((original / rel).read_bytes()).decode(),
            "after": base64.b64encode(target.path.read_bytes()).decode(),
            "format": site.dateformat, "tz": site.timezone,
        })
    return cases


def test_php_reads_the_same_header_data_before_and_after(normalised: tuple[Path, RunResult]) -> None:
    from grav_tools.page import normalise_newlines, split_frontmatter
    from grav_tools.source import decode
    from grav_tools.yamlio import parse_header, to_python

    root, _ = normalised
    cases = _php_cases(GRAV, root)
    answers = run_php(GRAV_PHP, [{k: v for k, v in c.items() if k != "path"} for c in cases])
    wrong, fallback = [], 0
    for case, answer in zip(cases, answers):
        name = case["path"]
        if answer["before"] is False:
            assert answer["after"] is False and answer["same_body"], name  # no header before, none after
            continue
        assert answer["after"] == "ok", f"{name}: strict Symfony cannot read the normalised header"
        if answer["before"] == "ok":
            if not (answer["same_data"] and answer["same_dates"]):
                wrong.append(name)
        else:  # only Grav's lenient fallback read it: compare with our model of that fallback
            fallback += 1
            original = (GRAV / name).read_bytes()
            split = split_frontmatter(normalise_newlines(decode(original).text))
            assert split.header is not None
            model = to_python(parse_header(split.header).root)
            for key in ("date", "publish_date", "unpublish_date"):
                model.pop(key, None)
            assert _php_shape(model) == _php_shape(answer["after_data"]), name
        if not answer["same_body"]:
            wrong.append(f"{name} (body)")
    assert wrong == []
    assert fallback == 9  # the multilang skeleton's unquoted `items: @self.children`


def _php_shape(value: Any) -> Any:
    """Python data as json_encode prints a ksorted PHP array (lists stay lists, maps sort by key)."""
    if isinstance(value, dict):
        if not value:
            return []
        return {str(k): _php_shape(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list):
        return [_php_shape(v) for v in value]
    return value


def test_the_php_comparison_notices_a_change() -> None:
    import base64

    def enc(text: str) -> str:
        return base64.b64encode(text.encode()).decode()

    before = "---\ntitle: A\ndate: '09-01-2023 10:00'\ntags: [a, b]\n---\n\nBody text\n"
    pairs = [
        ("---\ntitle: A\ndate: '09-01-2023 10:00'\ntags: [a, b]\n---\n\nBody text\n", (True, True, True)),
        ("---\ntitle: B\ndate: '09-01-2023 10:00'\ntags: [a, b]\n---\n\nBody text\n", (False, True, True)),
        ("---\ntitle: A\ndate: '10-01-2023 10:00'\ntags: [a, b]\n---\n\nBody text\n", (True, False, True)),
        ("---\ntags: [a, b]\ndate: '01/09/2023 10:00'\ntitle: A\n---\nBody  text\n", (True, True, True)),
        ("---\ntitle: A\ndate: '09-01-2023 10:00'\ntags: [b, a]\n---\n\nBody text\n", (False, True, True)),
        ("---\ntitle: A\ndate: '09-01-2023 10:00'\ntags: [a, b]\n---\n\nBody text!\n", (True, True, False)),
    ]
    cases = [{"before": enc(before), "after": enc(after), "format": None, "tz": None} for after, _ in pairs]
    answers = run_php(GRAV_PHP, cases)
    assert [(a["same_data"], a["same_dates"], a["same_body"]) for a in answers] == [want for _, want in pairs]
