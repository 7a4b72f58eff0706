"""Recall against ground truth: every defect make_grav_corpus.py injects is found by its rule."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter, defaultdict

from conftest import SHARED, need_shared

from grav_tools.config import Config
from grav_tools.discover import discover
from grav_tools.lint import lint

# Which rule(s) report each injected defect kind.
EXPECTED = {
    "broken_yaml": {"GRV202", "GRV203"},  # `title: a: b` is accepted by Grav's lenient fallback: GRV203
    "missing_title": {"GRV207"},
    "unclosed_carousel": {"GRV401"},
    "missing_image": {"GRV501"},
    "ambiguous_date": {"GRV305"},
    "date_mismatch": {"GRV306"},
    "bom": {"GRV102"},
    "crlf": {"GRV103"},
    "cp1251": {"GRV101"},
    "tab_indent": {"GRV205", "GRV202"},
    "duplicate_key": {"GRV204"},
}


def test_every_injected_defect_is_found(tmp_path) -> None:
    generator = need_shared(SHARED / "tools" / "make_grav_corpus.py")
    site = tmp_path / "site"
    subprocess.run([sys.executable, str(generator), "--posts", "1500", "--out", str(site), "--seed", "7",
                    "--defects", "0.05"], check=True, capture_output=True)
    manifest = json.loads((site / "grav-corpus-manifest.json").read_text(encoding="utf-8"))
    found: dict[str, set[str]] = defaultdict(set)
    for problem in lint(discover([str(site)]), Config(), jobs=2).problems:
        found[problem.path.split(f"{site}/", 1)[-1]].add(problem.code)
    hits, totals, misses = Counter(), Counter(), []
    for defect in manifest["defects"]:
        totals[defect["kind"]] += 1
        if found[defect["file"]] & EXPECTED[defect["kind"]]:
            hits[defect["kind"]] += 1
        else:
            misses.append((defect["kind"], defect["file"], defect.get("detail")))
    assert set(totals) == set(EXPECTED), "the generator injects a defect kind this test does not know"
    assert misses == []
    assert sum(hits.values()) == sum(totals.values()) >= 90
