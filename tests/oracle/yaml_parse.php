<?php
// Reads a JSON list of YAML documents on stdin; prints what strict Symfony YAML (Grav's first
// parser) makes of each: {"ok": true, "data": ...} or {"ok": false, "error": "..."}.
require '/usr/share/php/Symfony/Component/Yaml/autoload.php';
use Symfony\Component\Yaml\Yaml;
date_default_timezone_set('UTC');
$docs = json_decode(stream_get_contents(STDIN), true);
$out = [];
foreach ($docs as $doc) {
    try {
        $data = Yaml::parse($doc);
        if (is_array($data)) {
            array_walk_recursive($data, function (&$v) { if (is_float($v) && !is_finite($v)) { $v = is_nan($v) ? 'NAN' : ($v > 0 ? 'INF' : '-INF'); } });
        } elseif (is_float($data) && !is_finite($data)) {
            $data = is_nan($data) ? 'NAN' : ($data > 0 ? 'INF' : '-INF');
        }
        $out[] = ['ok' => true, 'data' => $data];
    } catch (\Throwable $e) {
        $out[] = ['ok' => false, 'error' => $e->getMessage()];
    }
}
echo json_encode($out, JSON_PARTIAL_OUTPUT_ON_ERROR | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION);
