"""SARIF 2.1.0: the official schema (when a copy is at hand), rule indexes, URIs, determinism."""

from __future__ import annotations

import json
import os
from importlib import metadata
from pathlib import Path

import pytest
from report_samples import RULES, sample_result

from grav_tools import __version__
from grav_tools.lint import LintResult
from grav_tools.problems import Problem, Severity
from grav_tools.report import sarif
from grav_tools.rules import all_rules

SCHEMA_ENV = "GRAV_TOOLS_SARIF_SCHEMA"
SCHEMA_NAMES = {"sarif-schema-2.1.0.json", "sarif-2.1.0.json"}


def _is_sarif_210(path: Path) -> bool:
    try:
        title = json.loads(path.read_text(encoding="utf-8")).get("title", "")
    except (OSError, ValueError):
        return False
    return "SARIF" in title and "Version 2.1.0" in title


def find_schema() -> Path | None:
    """The official SARIF 2.1.0 schema: $GRAV_TOOLS_SARIF_SCHEMA, else a copy any installed package ships.

    No well-kept PyPI package ships it as a plain file today (sarif-om, sarif-tools,
    check-jsonschema do not; `schemastore` keeps it in an expired HTTP cache and fetches
    over the network), and a fetched copy is not vendored in this repository.
    """
    given = os.environ.get(SCHEMA_ENV)
    if given:
        if not _is_sarif_210(Path(given)):
            pytest.fail(f"{SCHEMA_ENV}={given} is not the SARIF 2.1.0 JSON schema")
        return Path(given)
    for dist in metadata.distributions():
        for file in dist.files or ():
            if file.name in SCHEMA_NAMES:
                path = Path(str(dist.locate_file(file)))
                if path.is_file() and _is_sarif_210(path):
                    return path
    return None


def odd_result() -> LintResult:
    """The sample plus the awkward cases: no file, an unknown code, odd and absolute paths."""
    extra = [
        Problem("", 0, 0, "GRV999", 0, 0, Severity.WARNING, "site-wide, not tied to a file"),
        Problem("/abs/dir with space/it%em.md", 1, 1, "GRV102", 1, 2, Severity.WARNING, "bom"),
        Problem("a:b/item.md", 7, 3, "GRV301", 6, 1, Severity.ERROR, "end before start, clamped"),
    ]
    base = sample_result()
    return LintResult(sorted(base.problems + extra), base.files_checked + 2)


def test_validates_against_the_official_schema() -> None:
    schema_path = find_schema()
    if schema_path is None:
        pytest.skip(
            "no copy of the official SARIF 2.1.0 schema: no installed package ships "
            "sarif-schema-2.1.0.json and none is vendored; set GRAV_TOOLS_SARIF_SCHEMA to a local "
            "copy (.ci/run extracts lib/schemas/sarif-2.1.0-rtm.5.json from the npm package "
            "@microsoft/jest-sarif) to run this check"
        )
    import jsonschema

    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    for log in (sarif.sarif_log(odd_result(), RULES), sarif.sarif_log(LintResult([], 0))):
        errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(log)]
        assert not errors, "\n".join(errors[:20])
    broken = sarif.sarif_log(sample_result(), RULES)
    broken["runs"][0]["results"][0]["level"] = "fatal"  # type: ignore[index]
    assert not validator.is_valid(broken), "the schema check accepts anything: validator misconfigured"


def test_driver_describes_the_whole_catalogue_by_default() -> None:
    log = json.loads(sarif.render(LintResult([], 3)))
    driver = log["runs"][0]["tool"]["driver"]
    assert log["version"] == "2.1.0" and log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert driver["name"] == "grav-tools" and driver["version"] == __version__
    catalogue = all_rules()
    assert [r["id"] for r in driver["rules"]] == [r.code for r in catalogue]
    for descriptor, rule in zip(driver["rules"], catalogue):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["help"]["text"] == rule.doc
        assert descriptor["defaultConfiguration"]["level"] == sarif.LEVELS[rule.severity]
        assert descriptor["fullDescription"]["text"]


def test_results_point_at_their_rules() -> None:
    run = json.loads(sarif.render(odd_result(), RULES))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for item in run["results"]:
        if item["ruleId"] == "GRV999":
            assert "ruleIndex" not in item and "locations" not in item
            continue
        assert rules[item["ruleIndex"]]["id"] == item["ruleId"]
    levels = {item["ruleId"]: item["level"] for item in run["results"]}
    assert levels["GRV301"] == "error" and levels["GRV102"] == "warning" and levels["GRV409"] == "note"


def test_regions_are_clamped_to_valid_values() -> None:
    run = json.loads(sarif.render(odd_result(), RULES))["runs"][0]
    regions = [loc["physicalLocation"]["region"] for item in run["results"]
               for loc in item.get("locations", [])]
    for region in regions:
        assert min(region.values()) >= 1
        assert (region["endLine"], region["endColumn"]) >= (region["startLine"], region["startColumn"])


@pytest.mark.parametrize(("path", "uri"), [
    ("user/pages/01.blog/item.md", "user/pages/01.blog/item.md"),
    ("./site/item.md", "site/item.md"),
    ("a b/c:d.md", "a%20b/c%3Ad.md"),
    ("50%/#1?.md", "50%25/%231%3F.md"),
    ("новости/item.md", "%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/item.md"),
    ("bad\udcff.md", "bad%FF.md"),  # an undecodable file name keeps its original byte
    ("/abs/dir with space/item.md", "file:///abs/dir%20with%20space/item.md"),
])
def test_artifact_uri(path: str, uri: str) -> None:
    assert sarif.artifact_uri(path) == uri


def test_output_is_deterministic_and_order_independent() -> None:
    result = sample_result()
    shuffled = LintResult(list(reversed(result.problems)), result.files_checked)
    assert sarif.render(result, RULES) == sarif.render(shuffled, list(reversed(RULES)))
