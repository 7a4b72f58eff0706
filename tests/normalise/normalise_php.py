"""Run a small PHP program over a JSON table (Symfony YAML 5.4 loaded); skip without PHP, fail under CI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import in_ci
from php_oracle import run_php_script

SYMFONY = Path("/usr/share/php/Symfony/Component/Yaml/autoload.php")
PRELUDE = f"""<?php
require '{SYMFONY}';
use Symfony\\Component\\Yaml\\Yaml;
use Symfony\\Component\\Yaml\\Inline;
date_default_timezone_set('UTC');
$cases = json_decode(file_get_contents($argv[1]), true);
$out = [];
"""


def run_php(body: str, cases: list[Any]) -> list[Any]:
    """`body` loops over `$cases` and appends JSON-able answers to `$out`."""
    if not SYMFONY.exists():
        if in_ci():
            pytest.fail("php-symfony-yaml missing under CI=true")
        pytest.skip("php-symfony-yaml not installed: apt-get install -y php-cli php-symfony-yaml")
    script = (PRELUDE + body + "\necho json_encode($out, JSON_UNESCAPED_UNICODE | "
              "JSON_PRESERVE_ZERO_FRACTION | JSON_PARTIAL_OUTPUT_ON_ERROR);\n")
    return run_php_script(script, cases, "-d", "memory_limit=1G")


# Grav's MarkdownFile::decode and Utils::date2timestamp, line for line, with strict Symfony YAML
# (the compat fallback is not packaged; headers that need it are compared with our model of it).
GRAV_PHP = r"""
function grav_split($raw) {
    $raw = ltrim($raw, "\xef\xbb\xbf");
    $raw = str_replace(["\r\n", "\r"], "\n", $raw);
    if (!preg_match('/^---\n(.+?)\n---\n{0,}(.*)$/uis', ltrim($raw), $m)) {
        return [null, $raw];
    }
    return [str_replace("\n\t", "\n    ", $m[1]), $m[2]];
}
function grav_date($value, $format) {
    if ($format) {
        $dt = DateTime::createFromFormat($format, $value);
    } else {
        try { $dt = new DateTime($value); } catch (Exception $e) { $dt = false; }
    }
    return $dt !== false ? $dt->getTimestamp() : strtotime($value);
}
function deep_ksort(&$a) { if (is_array($a)) { ksort($a); foreach ($a as &$v) { deep_ksort($v); } } }
function read_page($raw, $site_format) {
    [$header, $body] = grav_split($raw);
    $squashed = preg_replace('/\s+/u', '', $body);
    if ($header === null) { return ['header' => false, 'body' => $squashed]; }
    try { $data = Yaml::parse($header); } catch (\Throwable $e) { return ['header' => 'error', 'body' => $squashed]; }
    if (!is_array($data)) { return ['header' => 'scalar', 'data' => $data, 'body' => $squashed]; }
    $format = isset($data['dateformat']) && is_string($data['dateformat']) && trim($data['dateformat']) !== ''
        ? $data['dateformat'] : $site_format;
    $dates = [];
    foreach (['date', 'publish_date', 'unpublish_date'] as $key) {
        if (array_key_exists($key, $data)) {
            $v = $data[$key];
            $dates[$key] = is_string($v) ? grav_date($v, $format) : ['not a string', gettype($v)];
            unset($data[$key]);
        }
    }
    deep_ksort($data);
    return ['header' => 'ok', 'data' => $data, 'dates' => $dates, 'body' => $squashed];
}
foreach ($cases as $case) {
    date_default_timezone_set($case['tz'] ?: 'UTC');
    $before = read_page(base64_decode($case['before']), $case['format']);
    $after = read_page(base64_decode($case['after']), $case['format']);
    $out[] = [
        'before' => $before['header'], 'after' => $after['header'],
        'same_data' => ($before['data'] ?? null) === ($after['data'] ?? null),
        'same_dates' => ($before['dates'] ?? null) === ($after['dates'] ?? null),
        'same_body' => $before['body'] === $after['body'],
        'after_data' => $after['data'] ?? null,
    ];
}
"""
