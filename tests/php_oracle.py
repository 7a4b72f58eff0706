"""Run real PHP as the oracle for Grav's date handling (one php process per table).

The PHP side reproduces Grav's ``Utils::date2timestamp($date, $format)`` (Grav 1.7 and
2.0 are identical there): ``createFromFormat`` when a format is set, otherwise
``new DateTime`` inside try/catch, then ``strtotime`` when either gave false.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, NotRequired, TypedDict

import pytest

PHP_MISSING = "php not installed: apt-get install -y php-cli php-symfony-yaml"
IN_CI = os.environ.get("CI", "").lower() == "true"

_PHP_SCRIPT = r"""<?php
// Grav Utils::date2timestamp, same control flow; also reports which step answered.
function grav_date2timestamp($date, $format) {
    if ($format) {
        $datetime = DateTime::createFromFormat($format, $date);
        $via = 'createFromFormat';
    } else {
        try {
            $datetime = new DateTime($date);
        } catch (Exception $e) {
            $datetime = false;
        }
        $via = 'DateTime';
    }
    $errors = DateTime::getLastErrors();
    if ($datetime !== false) {
        return [$datetime->getTimestamp(), $datetime, $via, $errors ? $errors['warnings'] : []];
    }
    $parsed = $date === '' ? ['warnings' => []] : date_parse($date);
    return [strtotime($date), null, 'strtotime', $parsed['warnings']];
}

$cases = json_decode(file_get_contents($argv[1]), true);
$out = [];
foreach ($cases as $case) {
    date_default_timezone_set($case['tz'] ?: 'UTC');
    $value = $case['value'];
    $format = $case['format'];
    if (isset($case['render'])) {  // write the value with date() first, as Admin does
        $value = date($format, $case['render']);
        if (!empty($case['read_without_format'])) {
            $format = null;
        }
    }
    [$ts, $dt, $via, $warnings] = grav_date2timestamp($value, $format);
    $fields = null;
    $offset = null;
    if ($dt !== null) {
        $fields = array_map('intval', explode(' ', $dt->format('Y n j G i s')));
        $offset = $dt->getOffset();
    }
    $out[] = ['text' => $value, 'ok' => $ts !== false, 'ts' => $ts === false ? null : $ts, 'via' => $via,
              'fields' => $fields, 'offset' => $offset,
              'warnings' => array_values($warnings)];
}
echo json_encode($out);
"""


class PhpCase(TypedDict):
    value: str
    format: str | None
    tz: str | None
    # optional: PHP first writes ``value`` as date(format, render), then reads it back
    # with the format, or without one when read_without_format is true
    render: NotRequired[int]
    read_without_format: NotRequired[bool]


class PhpResult(TypedDict):
    text: str  # the string that went through Grav's chain
    ok: bool
    ts: int | None
    via: str
    fields: list[int] | None  # Y n j G i s of the DateTime object, in its own zone
    offset: int | None  # that zone's UTC offset in seconds
    warnings: list[str]


def require_php() -> str:
    """Path of php; skip (locally) or fail (CI=true) when it is missing."""
    php = shutil.which("php")
    if php is None:
        if IN_CI:
            pytest.fail(PHP_MISSING)
        pytest.skip(PHP_MISSING)
    return php


def run_php_script(script: str, cases: list[Any], *php_options: str) -> list[Any]:
    """Run a PHP program over `cases` (a JSON table passed as argv[1]) in one php process; it
    prints one JSON answer per case."""
    php = require_php()
    with tempfile.TemporaryDirectory() as tmp:
        program, table = Path(tmp, "oracle.php"), Path(tmp, "cases.json")
        program.write_text(script, encoding="utf-8")
        table.write_text(json.dumps(cases), encoding="utf-8")
        proc = subprocess.run([php, *php_options, str(program), str(table)],
                              capture_output=True, text=True, timeout=900, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"php failed ({proc.returncode}): {proc.stderr[-3000:]}")
    results: list[Any] = json.loads(proc.stdout)
    assert len(results) == len(cases)
    return results


def run_php(cases: list[PhpCase]) -> list[PhpResult]:
    """Evaluate every case in a single php process."""
    return run_php_script(_PHP_SCRIPT, cases, "-d", "error_reporting=E_ALL")
