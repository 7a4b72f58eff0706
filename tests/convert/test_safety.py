"""Safety: never outside DEST, never through a link, never over a file convert did not write
(unless --force), prune only what it wrote and nobody edited, and the migration record."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from convert_golden import run

from grav_tools.convert.apply import CHANGED, CONFLICT, NEW, SAME
from grav_tools.convert.run import ConvertError

POST = "---\ntitle: Hello\ndate: 2020-01-02 10:00\n---\nBody text.\n\n![a](/img/a.png)\n"


@pytest.fixture
def site(make_site):  # type: ignore[no-untyped-def]
    return make_site({"src/_posts/2020-01-02-hello.md": POST, "src/_config.yml": "title: t\n",
                      "src/img/a.png": b"PNG-a"})


def codes(outcome) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.code for p in outcome.result.problems]


def test_first_run_writes_post_asset_and_record(site: Path) -> None:
    outcome = run(site / "src", site / "dest")
    item = site / "dest/01.blog/2020-01-02-hello/item.md"
    assert item.read_text(encoding="utf-8").startswith("---\ntitle: Hello\ndate: '02-01-2020 10:00'\n")
    assert (site / "dest/01.blog/2020-01-02-hello/a.png").read_bytes() == b"PNG-a"
    record = json.loads((site / "dest/.grav-tools/convert.json").read_text(encoding="utf-8"))
    entry = record["outputs"]["01.blog/2020-01-02-hello/item.md"]
    assert entry["source"] == "_posts/2020-01-02-hello.md" and len(entry["source_sha256"]) == 64
    assert record["outputs"]["01.blog/2020-01-02-hello/a.png"]["source"] == "img/a.png"
    assert outcome.applied.count(NEW) == 2


def test_foreign_file_is_not_overwritten_without_force(site: Path) -> None:
    item = site / "dest/01.blog/2020-01-02-hello/item.md"
    item.parent.mkdir(parents=True)
    item.write_text("mine\n", encoding="utf-8")
    outcome = run(site / "src", site / "dest")
    assert item.read_text(encoding="utf-8") == "mine\n"
    assert "GRV914" in codes(outcome) and outcome.applied.status["01.blog/2020-01-02-hello/item.md"] == CONFLICT
    assert not (item.parent / "a.png").exists(), "a post is written whole or not at all"
    assert any(p.severity.label == "error" for p in outcome.result.problems)
    forced = run(site / "src", site / "dest", force=True)
    assert forced.applied.status["01.blog/2020-01-02-hello/item.md"] == CHANGED
    assert item.read_text(encoding="utf-8").startswith("---\ntitle: Hello")


def test_edited_output_is_kept_and_reported(site: Path) -> None:
    run(site / "src", site / "dest")
    item = site / "dest/01.blog/2020-01-02-hello/item.md"
    item.write_text(item.read_text(encoding="utf-8") + "\nAn edit.\n", encoding="utf-8")
    (site / "src/_posts/2020-01-02-hello.md").write_text(POST + "\nMore source.\n", encoding="utf-8")
    outcome = run(site / "src", site / "dest")
    assert "An edit." in item.read_text(encoding="utf-8")
    assert "GRV914" in codes(outcome)


def test_changed_source_updates_only_that_file(site: Path) -> None:
    run(site / "src", site / "dest")
    (site / "src/_posts/2020-01-02-hello.md").write_text(POST + "\nMore.\n", encoding="utf-8")
    outcome = run(site / "src", site / "dest")
    assert outcome.applied.status == {"01.blog/2020-01-02-hello/item.md": CHANGED,
                                      "01.blog/2020-01-02-hello/a.png": SAME}


def test_prune_removes_only_unedited_outputs_of_removed_sources(site: Path) -> None:
    (site / "src/_posts/2020-02-02-other.md").write_text("---\ntitle: Other\n---\nx\n", encoding="utf-8")
    (site / "src/_posts/2020-03-03-third.md").write_text("---\ntitle: Third\n---\ny\n", encoding="utf-8")
    run(site / "src", site / "dest")
    (site / "src/_posts/2020-02-02-other.md").unlink()
    (site / "src/_posts/2020-03-03-third.md").unlink()
    edited = site / "dest/01.blog/2020-03-03-third/item.md"
    edited.write_text("edited\n", encoding="utf-8")
    kept = run(site / "src", site / "dest")
    assert (site / "dest/01.blog/2020-02-02-other/item.md").exists() and "GRV919" in codes(kept)
    pruned = run(site / "src", site / "dest", prune=True)
    assert not (site / "dest/01.blog/2020-02-02-other").exists()
    assert edited.read_text(encoding="utf-8") == "edited\n"
    assert pruned.applied.removed == ["01.blog/2020-02-02-other/item.md"]
    assert (site / "dest/01.blog/2020-01-02-hello/item.md").exists()


def test_dry_run_reports_conflicts_and_writes_nothing(site: Path) -> None:
    outcome = run(site / "src", site / "dest", dry_run=True)
    assert not (site / "dest").exists()
    assert set(outcome.applied.status.values()) == {NEW}


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_symlink_out_of_source_is_not_followed(site: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "2020-05-05-leak.md").write_text("---\ntitle: Secret\n---\n", encoding="utf-8")
    (secret / "key.png").write_bytes(b"SECRET")
    os.symlink(secret / "2020-05-05-leak.md", site / "src/_posts/2020-05-05-leak.md")
    os.symlink(secret, site / "src/img/linked")
    (site / "src/_posts/2020-06-06-pic.md").write_text("---\ntitle: Pic\n---\n![k](/img/linked/key.png)\n"
                                                         "![u](../../../secret/key.png)\n", encoding="utf-8")
    outcome = run(site / "src", site / "dest")
    assert "GRV910" in codes(outcome) and "GRV908" in codes(outcome)
    written = [p.read_bytes() for p in (site / "dest").rglob("*") if p.is_file()]
    assert not any(b"SECRET" in data or b"Secret" in data for data in written)


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_never_writes_through_a_symlink_in_dest(site: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (site / "dest").mkdir()
    os.symlink(elsewhere, site / "dest/01.blog")
    outcome = run(site / "src", site / "dest")
    assert list(elsewhere.iterdir()) == []
    assert set(outcome.applied.status.values()) == {CONFLICT} and "GRV914" in codes(outcome)


@pytest.mark.parametrize("section", ["../out", "/abs", "a/../../b", ""])
def test_section_must_stay_inside_dest(site: Path, section: str) -> None:
    from grav_tools.convert.grav import WriteOptions

    with pytest.raises(ConvertError):
        run(site / "src", site / "dest", write=WriteOptions(section=section))


def test_unreadable_record_is_a_usage_error(site: Path) -> None:
    (site / "dest/.grav-tools").mkdir(parents=True)
    (site / "dest/.grav-tools/convert.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ConvertError, match="migration record"):
        run(site / "src", site / "dest")


def test_grav_site_root_as_dest_writes_into_user_pages(site: Path) -> None:
    (site / "grav/user/pages").mkdir(parents=True)
    (site / "grav/user/config").mkdir(parents=True)
    (site / "grav/user/config/system.yaml").write_text("timezone: Asia/Almaty\n", encoding="utf-8")
    outcome = run(site / "src", site / "grav")
    assert (site / "grav/user/pages/01.blog/2020-01-02-hello/item.md").exists()
    assert outcome.timezone == "Asia/Almaty"
