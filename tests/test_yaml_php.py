"""Our YAML reading agrees with Symfony YAML (the parser Grav uses), run for real through PHP.

Symfony's strict parser is Grav's first step: where it accepts a header, Grav uses its data.
We check both the verdict (strict parse succeeds or not) and the data, over the frontmatter of
every page in ../shared/corpus/grav and a table of tricky values.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, in_ci, need_shared

from grav_tools.page import normalise_newlines, split_frontmatter
from grav_tools.source import decode
from grav_tools.yamlio import parse_header, to_python

ORACLE = Path(__file__).parent / "oracle" / "yaml_parse.php"
SYMFONY = Path("/usr/share/php/Symfony/Component/Yaml/autoload.php")

TRICKY = [
    "a: yes", "a: No", "a: on", "a: OFF", "a: y", "a: True", "a: FALSE", "a: ~", "a: null", "a: Null",
    "a:", "a: ''", 'a: ""', "a: 10:00", "a: 1:30:00", "a: 0755", "a: 0", "a: 12", "a: -3", "a: 1.5",
    "a: 1e3", "a: .5", "a: 0x1F", "a: .inf", "a: -.inf", "a: 2023-01-09", "a: 2023-01-09 10:00:00",
    "a: 2023-01-09T10:00:00Z", "a: 2023-01-09 10:00:00 +06:00", "a: 2023-01-09 10:00",
    "a: '2023-01-09'", "a: 09-01-2023 10:00", "a: 09/01/2023", "a: 10:00 09-01-2023",
    "title: Foo: bar", "items: @self.children", "a: %x", "a: `x`", "title: A\ntitle: B",
    "title: *bold*", "title:Hello", "title: C# rocks #1", "a: 'It''s'", 'a: "tab\\there"',
    "a: [x, y]", "a: {b: 1, c: [2, 3]}", "a:\n    - x\n    - y", "a:\n  b:\n    c: d",
    "a: |\n  line1\n  line2\n", "a: >\n  folded\n  text\n", "a: &x 1\nb: *x", "- a\n- b",
    "a: b\n  c", "a: 'unclosed", "a: [1, 2", "a: \"x\" y", "a: x # comment", "a: '#not comment'",
    "a: «ёлка»: ok", "a: !!str 12", "a: 1_000", "a: +12", "a: 12.", "a: 0o17", "a: 0b101",
    "key with space: v", "'quoted key': v", "a: -", "a: - x", "a: ?x", "a: !x y", "a: .nan",
    "a: !!float 1", "a: '  padded  '", "a: \"\\u00e9\"", "a: 1.0", "a: -0", "a: 00", "a: 1e-3",
]


def php_parse(docs: list[str]) -> list[dict[str, Any]]:
    if shutil.which("php") is None or not SYMFONY.exists():
        if in_ci():
            pytest.fail("php or php-symfony-yaml missing under CI=true (.ci/run installs them)")
        pytest.skip("php not installed: apt-get install -y php-cli php-symfony-yaml")
    out = subprocess.run(["php", str(ORACLE)], input=json.dumps(docs), capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def comparable(value: Any) -> Any:
    """PHP arrays: a mapping with keys 0..n-1 is a list; an empty mapping is an empty list."""
    if isinstance(value, dict):
        if list(value.keys()) == [str(i) for i in range(len(value))] or list(value.keys()) == list(range(len(value))):
            return [comparable(v) for v in value.values()]
        return {str(k): comparable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [comparable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return "NAN" if math.isnan(value) else ("INF" if value > 0 else "-INF")
    return value


def ours(doc: str) -> tuple[bool, Any]:
    header = parse_header(doc)
    return header.strict and header.root is not None or (header.root is None and header.error is None), (
        to_python(header.root)
    )


def check(docs: list[str], labels: list[str]) -> list[str]:
    results = php_parse(docs)
    mismatches = []
    for doc, label, php in zip(docs, labels, results):
        strict, data = ours(doc)
        if strict != php["ok"]:
            mismatches.append(f"{label}: strict verdict ours={strict} php={php['ok']} ({php.get('error', '')[:80]})")
            continue
        if strict:
            mine, theirs = comparable(data), comparable(php["data"])
            if isinstance(mine, float) and isinstance(theirs, (int, float)) and math.isclose(mine, theirs):
                continue
            if mine != theirs and not (mine in ({}, None) and theirs in ([], None, {})):
                mismatches.append(f"{label}: data ours={mine!r} php={theirs!r}")
    return mismatches


def test_tricky_values_agree_with_symfony() -> None:
    assert check(TRICKY, TRICKY) == []


def test_every_corpus_header_agrees_with_symfony() -> None:
    grav = need_shared(CORPUS / "grav")
    docs, labels = [], []
    for path in sorted(grav.rglob("*.md")):
        decoded = decode(path.read_bytes())
        split = split_frontmatter(normalise_newlines(decoded.text))
        if decoded.utf8 and split.header is not None:
            docs.append(split.header)
            labels.append(str(path.relative_to(grav)))
    assert len(docs) > 600
    assert check(docs, labels) == []
