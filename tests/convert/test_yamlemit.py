"""The header emitter writes what Symfony YAML's dumper writes (checked against PHP when it is
installed) and every header it writes reads back, strictly, as the data it was given."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grav_tools.convert.yamlemit import _BINARY, _plain_data, dump, scalar
from grav_tools.yamlio import parse_header, to_python

SYMFONY = Path("/usr/share/php/Symfony/Component/Yaml/autoload.php")
STRINGS = [
    "Plain title", "plain", "It's", "a: b", "#hash", "- dash", "@self.children", "%x", "`tick`", "yes", "No",
    "on", "OFF", "null", "~", "true", "y", "n", "2023-01-09", "2023-01-09 10:00:00", "09-01-2023 10:00", "0123",
    "12", "1.5", "1e5", ".5", "+1", "-1", "0x1F", "1_000", "x\ny", "tab\there", "nb\u00a0sp", "é à", "日本語",
    "[[Trips]]", "{{date}}", "/img/x.png", "10:00", "a,b", "a|b", "!a", "a!b", "?q", "*star", "&amp", "'quoted'",
    '"dq"', "trailing ", " leading", "back\\slash", "emoji 😀", "Первый пост", "x%", "a=b", "<tag>", "=eq",
    "ends:", "mid: colon", "q?", "semi;colon", "\u2028sep",
]


def php_dump(values: list[Any]) -> list[str]:
    php = shutil.which("php")
    if php is None or not SYMFONY.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("php or php-symfony-yaml missing under CI=true (.ci/run installs them)")
        pytest.skip("php not installed: apt-get install -y php-cli php-symfony-yaml")
    script = ("<?php require '" + str(SYMFONY) + "'; $in = json_decode(file_get_contents($argv[1]), true);"
              "$out = []; foreach ($in as $v) { $out[] = Symfony\\Component\\Yaml\\Yaml::dump(['k' => $v], 20, 4); }"
              "echo json_encode($out);")
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "d.php").write_text(script, encoding="utf-8")
        Path(tmp, "in.json").write_text(json.dumps(values), encoding="utf-8")
        proc = subprocess.run([php, str(Path(tmp, "d.php")), str(Path(tmp, "in.json"))], capture_output=True,
                              text=True, check=True)
    return [text.rstrip("\n") for text in json.loads(proc.stdout)]


def test_scalars_match_symfony_dump() -> None:
    values: list[Any] = [*STRINGS, 1, 0, -5, True, False, None, 1.5, 2.0, 1e20, 0.1]
    expected = php_dump(values)
    ours = [f"k: {scalar(v)}" for v in values]
    mismatches = [(v, o, e) for v, o, e in zip(values, ours, expected) if o != e]
    assert mismatches == []


def test_nested_structures_match_symfony_dump() -> None:
    header = {"title": "T", "taxonomy": {"category": ["a b", "c"], "tag": ["x"]},
              "routes": {"aliases": ["/old/one", "/old two"]}, "params": {"deep": {"list": [1, {"k": "v"}]}}}
    php = php_dump([header])[0]
    assert php.startswith("k:\n")
    body = "\n".join(line[4:] for line in php.split("\n")[1:])
    assert dump(header) == body


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=12).filter(lambda k: k.strip() == k and k != "<<"
                                                               and _BINARY.sub("", k) == k),
                       st.one_of(st.text(max_size=30), st.integers(), st.booleans(), st.none(),
                                 st.lists(st.text(max_size=10), max_size=3)), min_size=1, max_size=5))
@example({"\ufeff": None})  # found by this test in CI: a key at the start of a line read as a byte order mark
@example({"a": 1, "\ufeffb": ["\ufeffc"]})
def test_every_header_reads_back_as_its_data(header: dict[str, Any]) -> None:
    text = dump(header)
    parsed = parse_header(text)
    assert parsed.root is not None and parsed.strict
    assert to_python(parsed.root) == _plain_data(header)


def test_control_characters_are_dropped_not_written() -> None:
    assert dump({"title": "a\x01b\x80c", "k\x1a": "v"}) == "title: abc\nk: v"
