"""Persuasion techniques: the trained model and the cues, through the real pipeline and CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import shared_path
from dossier import Catalog
from dossier.cli import cli
from dossier.components.base import ArticleInput
from dossier.components.techniques import find_spans
from dossier.components.techniques_model import TECHNIQUES

pytestmark = pytest.mark.slow

LOADED = (
    "Traitors and so-called experts want to destroy our glorious nation. They are liars and "
    "criminals, the worst enemies our sacred homeland has ever seen! Only a fool would trust "
    "them. The corrupt elite will ruin everything we love, and the shameful “reform” they sell "
    "is a disaster."
)


def test_spans_have_known_techniques_scores_and_exact_offsets() -> None:
    spans = find_spans(ArticleInput("x", "A title about a glorious nation", LOADED))
    assert spans, "a text this loaded should carry some technique"
    for span in spans:
        assert span.technique in TECHNIQUES
        assert 0 <= span.score <= 1
        source = LOADED if span.field == "text" else "A title about a glorious nation"
        assert 0 <= span.start < span.end <= len(source)
    reform = [s for s in spans if LOADED[s.start : s.end] == "reform" and s.field == "text"]
    assert reform and reform[0].technique == "Doubt" and "scare quote" in reform[0].evidence


def test_predict_entry_point_offsets_are_into_the_files_as_given(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "ptc"
    folder.mkdir()
    raw = "Headline  with   spaces\n\n" + LOADED + "\n"
    (folder / "article111.txt").write_text(raw, encoding="utf-8")
    out = tmp_path / "pred.tsv"
    result = runner.invoke(cli, ["techniques", "predict", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines and all(parts[0] == "111" and parts[1] in TECHNIQUES for parts in lines)
    assert any(raw[int(s) : int(e)] == "reform" for _, _, s, e in lines)
    spans = tmp_path / "spans.tsv"
    spans.write_text("111\t?\t25\t45\n111\tDoubt\t30\t40\n", encoding="utf-8")
    out2 = tmp_path / "tc.tsv"
    runner.invoke(
        cli, ["techniques", "predict", str(folder), "--out", str(out2), "--spans", str(spans)]
    )
    classified = [line.split("\t") for line in out2.read_text(encoding="utf-8").splitlines()]
    assert [(c[0], c[2], c[3]) for c in classified] == [("111", "25", "45"), ("111", "30", "40")]
    assert all(c[1] in TECHNIQUES for c in classified)


@pytest.mark.shared
def test_real_samples_flag_the_loaded_words_and_scare_quotes(tmp_path: Path) -> None:
    folder = shared_path("samples")
    with Catalog.open(tmp_path / "t.db") as catalog:
        catalog.ingest([folder])
        catalog.analyze()
        flagged: dict[str, set[str]] = {}
        for article in catalog.articles():
            for span in catalog.technique_spans(article.id, threshold=0.0):
                source = article.text if span["field"] == "text" else article.title
                flagged.setdefault(span["technique"], set()).add(
                    source[span["start"] : span["end"]]
                )
                if span["field"] == "text":  # nothing in the debris: it is gone before analysis
                    assert "Notify" not in source[span["start"] : span["end"]]
    doubt = flagged.get("Doubt", set())
    assert {"independence", "peace and stability"} <= doubt
    loaded = " | ".join(
        flagged.get("Loaded_Language", set()) | flagged.get("Name_Calling,Labeling", set())
    )
    assert "deep state" in loaded or "deep-state" in loaded
    assert "Occupied" in loaded
    flag = " | ".join(flagged.get("Flag-Waving", set()) | flagged.get("Loaded_Language", set()))
    assert "sacred land" in flag


def test_stats_by_outlet_and_month_cli(tmp_path: Path, runner, write) -> None:  # type: ignore[no-untyped-def]
    record = {
        "title": "Glorious nation",
        "text": LOADED,
        "outlet": "Patriot Daily",
        "date": "2024-05-02",
    }
    write("a.jsonl", json.dumps(record) + "\n")
    db = str(tmp_path / "s.db")
    assert runner.invoke(cli, ["ingest", str(write.folder), "--db", db]).exit_code == 0
    rows = json.loads(
        runner.invoke(cli, ["techniques", "stats", "--db", db, "--json", "--threshold", "0"]).output
    )
    assert rows and {r["group"] for r in rows} == {"Patriot Daily"}
    months = json.loads(
        runner.invoke(
            cli, ["techniques", "stats", "--by", "month", "--db", db, "--json", "--threshold", "0"]
        ).output
    )
    assert {r["group"] for r in months} == {"2024-05"}
    shown = runner.invoke(
        cli,
        [
            "show",
            json.loads(runner.invoke(cli, ["search", "nation", "--db", db, "--json"]).output)[0][
                "id"
            ],
            "--db",
            db,
        ],
    )
    assert "persuasion techniques" in shown.output
