"""Our Symfony-style string quoting agrees with Symfony 5.4's dumper, run for real through PHP."""

from __future__ import annotations

import random

from normalise_php import run_php

from grav_tools.normalise.dump import dump_string, symfony_string

FIXED = [
    "", "a", "Hello", "Hello world", "It's", 'say "hi"', "a: b", "a:b", "a #b", "a#b", "#x", "@self.children",
    "%x", "`x`", "-", "- x", "-x", "?x", "x?", "|x", ">x", "<x", "=x", "!x", "&x", "*x", "{x", "}x", "[x",
    "x]", "a,b", "yes", "No", "ON", "off", "y", "N", "true", "False", "null", "NULL", "~", "0", "0123",
    "123", "-1", "+1", "1.5", ".5", "5.", "1e3", "1E-3", "-1.5e+3", " 1", "1 ", " 1 ", "0x1A", "0X1a",
    "0x_1", "1_000", "1__0", "+1_000", "1_000.5", "0o17", "0b101", ".inf", "-.inf", "+.inf", ".nan",
    ".NaN", "2023-01-09", "2023-1-9", "2023-01-09 10:00", "2023-01-09 10:00:00", "2023-01-09T10:00:00Z",
    "2023-01-09 10:00:00 +06:00", "2023-01-09t10:00:00.5-06", "09-01-2023 10:00", "10:00", "1:30:00",
    "d-m-Y H:i", "a\nb", "a\n", "\n", "a\tb", "\t", "a\rb", "a\x00b", "a\x07", "a\x1b", "a\x7f", "a\u0085b",
    "a\u00a0b", "\u00a0", "a\u2028b", "a\u2029b", "a\\b", "\\", 'a\\"b', "Привет", "Привет мир",
    "«Гематопатология»: тест", "日本語", "a\u3000b", "\u3000a", "a\u2003b", "a\u202fb", "a\u1680b",
    "\u2000", "a\u200bb", "a\ufeffb", "emoji 🎉", "🎉", "a'b'c", "''", "'", '"', "a:", ":a", "a::b",
    "http://x.y/z", "a/b", "C# rocks", "x #", "#", "!", "@", "foo bar: baz", "x,", "- ", " ", "  ",
    "=", "==", "===", "<<", "a\x01b", "a\x0eb", "a\x1fb", "a\x0bb", "a\x0cb", "-0", "+0", "00", "0.0",
    "1.0", "-.5", "1e", "e3", "1.2.3", "12:30:45", "1,000", "$x", "^x", "(x)", "a;b", "x\\ny",
]


def _random_strings(count: int) -> list[str]:
    rng = random.Random(4)
    alphabet = list("abcXYZ019 -_.:#'\"@%`!&*?|<>=,[]{}~\\/\t\n+eE") + ["ё", "Ж", "\u00a0", "\u3000", "é", "🎉"]
    out = []
    for _ in range(count):
        out.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8))))
    return out


BODY = r"""
foreach ($cases as $s) {
    $dumped = Inline::dump($s);
    $ours = $s;  // placeholder: Python compares
    $out[] = ['dump' => $dumped];
}
"""

ROUND = r"""
foreach ($cases as $text) {
    try {
        $data = Yaml::parse("k: " . $text);
        $out[] = ['ok' => true, 'value' => $data['k'], 'type' => gettype($data['k'])];
    } catch (\Throwable $e) {
        $out[] = ['ok' => false, 'error' => $e->getMessage()];
    }
}
"""


def _binary(text: str) -> bool:
    return any("\x01" <= c <= "\x06" or "\x0e" <= c <= "\x1a" or "\x1c" <= c <= "\x1f" for c in text)


def test_quoting_matches_symfony_dumper() -> None:
    cases = FIXED + _random_strings(3000)
    answers = run_php(BODY, cases)
    wrong = [(s, a["dump"], symfony_string(s)) for s, a in zip(cases, answers)
             if not _binary(s) and a["dump"] != symfony_string(s)]
    assert wrong == []


def test_every_dumped_string_reads_back_unchanged_in_symfony() -> None:
    cases = FIXED + _random_strings(3000)
    dumped = [dump_string(s) for s in cases]
    answers = run_php(ROUND, dumped)
    wrong = [(s, d, a) for s, d, a in zip(cases, dumped, answers)
             if not (a["ok"] and a["type"] == "string" and a["value"] == s)]
    assert wrong == []


def test_deviations_from_symfony_are_only_where_it_would_change_the_value() -> None:
    assert symfony_string(".inf") == ".inf" and dump_string(".inf") == "'.inf'"
    assert symfony_string("0o17") == "0o17" and dump_string("0o17") == "'0o17'"
    assert dump_string("a\x01b") == '"a\\x01b"'
    assert dump_string("Hello world") == "'Hello world'" and dump_string("Hello") == "Hello"
