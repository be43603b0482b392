"""The CLI as a user runs it: every command, its --help, its errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLES, article_text
from dossier.cli import cli

COMMANDS = ["ingest", "search", "show", "stats", "export"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_explains_itself(runner, command: str) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "--db" in result.output and len(result.output) > 200


def test_ingest_search_show_stats_export(runner, tmp_path: Path, write) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "c.db")
    write(
        "a.txt",
        "Harbour vote in Rijeka\n\n" + article_text("Rijeka") + "\n\nNotify of\nInline Feedbacks",
    )
    write("bad.jsonl", "{oops\n")
    result = runner.invoke(cli, ["ingest", str(write.folder), "--db", db])
    assert result.exit_code == 0, result.output
    assert "added 1" in result.output and "rejected 1" in result.output
    assert "bad.jsonl:1: invalid JSON" in result.output

    hits = json.loads(runner.invoke(cli, ["search", "rijeka", "--db", db, "--json"]).stdout)
    assert hits[0]["title"] == "Harbour vote in Rijeka"
    article_id = hits[0]["id"]

    shown = runner.invoke(cli, ["show", article_id[:8], "--db", db, "--debris"])
    assert shown.exit_code == 0
    assert "Harbour vote in Rijeka" in shown.output and "[comments]" in shown.output
    data = json.loads(
        runner.invoke(cli, ["show", article_id, "--db", db, "--json", "--debris"]).output
    )
    assert data["id"] == article_id and data["debris"][0]["rule"] in {"comments", "whitespace"}

    stats = json.loads(runner.invoke(cli, ["stats", "--db", db, "--json"]).stdout)
    assert stats["articles"] == 1 and stats["rejected_inputs"] == 1

    exported = runner.invoke(cli, ["export", "--db", db, "--format", "jsonl"])
    assert json.loads(exported.stdout)["id"] == article_id
    out = tmp_path / "out.csv"
    runner.invoke(cli, ["export", "--db", db, "--format", "csv", "--out", str(out)])
    assert out.read_text(encoding="utf-8").startswith("id,title,text")


def test_errors_are_messages_not_tracebacks(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "c.db")
    bad_query = runner.invoke(cli, ["search", '"open AND (', "--db", db])
    assert bad_query.exit_code == 1 and "cannot parse the search query" in bad_query.output
    missing = runner.invoke(cli, ["show", "ffff", "--db", db])
    assert missing.exit_code == 1 and "no article with id" in missing.output
    bad_field = runner.invoke(cli, ["ingest", str(tmp_path), "--db", db, "--field", "nonsense"])
    assert bad_field.exit_code == 1 and "--field expects" in bad_field.output
    assert "Traceback" not in bad_query.output + missing.output + bad_field.output


def test_bundled_examples_ingest_cleanly(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "ex.db")
    result = runner.invoke(cli, ["ingest", str(EXAMPLES), "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["added"] >= 20
    assert report["duplicates"] >= 1 and report["near_duplicates"] >= 1
    rejected = {Path(r["origin"]).name for r in report["rejected"]}
    assert rejected == {"empty-page.html"}, report["rejected"]
