"""The SemEval-2020 Task 11 scorer (bench/ptc_score.py) on tiny hand-made spans (no data)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

_PATH = Path(__file__).resolve().parents[1] / "bench" / "ptc_score.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ptc_score", _PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while building classes
    spec.loader.exec_module(module)
    return module


ps = _load()


def L(aid: str, s: int, e: int, t: str = "Doubt") -> tuple[str, str, int, int]:
    return (aid, t, s, e)


def test_parse_labels_keeps_commas_in_names_and_reads_three_columns() -> None:
    lines = ["1\tName_Calling,Labeling\t3\t10\n", "\n", "2\t5\t9\r\n"]
    assert ps.parse_labels(lines) == [("1", "Name_Calling,Labeling", 3, 10), ("2", "?", 5, 9)]
    with pytest.raises(ValueError):
        ps.parse_labels(["1\tDoubt"])
    with pytest.raises(ValueError):
        ps.parse_labels(["1\tDoubt\t9\t3"])


def test_merge_spans_merges_overlaps_only() -> None:
    assert ps.merge_spans([(5, 10), (0, 6), (20, 30), (10, 12), (25, 27), (40, 40)]) == [
        (0, 10),
        (10, 12),
        (20, 30),
    ]


def test_si_exact_match_is_perfect() -> None:
    gold = [L("1", 0, 10), L("1", 20, 30), L("2", 5, 8)]
    r = ps.score_si(gold, gold)
    assert (r.precision, r.recall, r.f1) == (1.0, 1.0, 1.0)


def test_si_partial_overlap_gives_fractional_credit() -> None:
    gold = [L("1", 0, 10)]
    pred = [L("1", 5, 15)]  # 5 of its 10 chars inside; covers 5 of the gold's 10
    r = ps.score_si(gold, pred)
    assert r.precision == pytest.approx(0.5)
    assert r.recall == pytest.approx(0.5)
    assert r.f1 == pytest.approx(0.5)


def test_si_small_prediction_inside_long_gold() -> None:
    gold = [L("1", 0, 100)]
    pred = [L("1", 10, 20)]
    r = ps.score_si(gold, pred)
    assert r.precision == pytest.approx(1.0)
    assert r.recall == pytest.approx(0.1)
    assert r.f1 == pytest.approx(2 * 0.1 / 1.1)


def test_si_one_prediction_spanning_two_gold_spans() -> None:
    gold = [L("1", 0, 10), L("1", 20, 30)]
    pred = [L("1", 0, 40)]
    r = ps.score_si(gold, pred)
    assert r.precision == pytest.approx(20 / 40)
    assert r.recall == pytest.approx((1.0 + 1.0) / 2)


def test_si_merges_overlapping_spans_on_each_side_and_ignores_technique() -> None:
    gold = [L("1", 0, 10, "Doubt"), L("1", 5, 20, "Loaded_Language")]  # -> (0, 20)
    pred = [L("1", 0, 10, "Slogans"), L("1", 8, 20, "Slogans")]  # -> (0, 20)
    r = ps.score_si(gold, pred)
    assert (r.n_gold, r.n_pred) == (1, 1)
    assert r.f1 == pytest.approx(1.0)


def test_si_pools_over_articles_and_keeps_articles_apart() -> None:
    gold = [L("1", 0, 10), L("2", 0, 10)]
    pred = [L("1", 0, 10), L("3", 0, 10)]  # article 3 has no gold: a false positive
    r = ps.score_si(gold, pred)
    assert r.precision == pytest.approx(0.5)
    assert r.recall == pytest.approx(0.5)
    assert ps.score_si(gold, [L("2", 100, 110)]).f1 == 0.0


def test_si_empty_prediction_scores_zero() -> None:
    r = ps.score_si([L("1", 0, 10)], [])
    assert (r.precision, r.recall, r.f1) == (0.0, 0.0, 0.0)


def test_tc_micro_f1_is_accuracy_with_one_prediction_per_span() -> None:
    gold = [L("1", 0, 5, "Doubt"), L("1", 6, 9, "Slogans"), L("2", 0, 4, "Flag-Waving")]
    pred = [L("1", 0, 5, "Doubt"), L("1", 6, 9, "Doubt"), L("2", 0, 4, "Flag-Waving")]
    r = ps.score_tc(gold, pred)
    assert r.precision == r.recall == r.f1 == pytest.approx(2 / 3)


def test_tc_double_labelled_span_matches_either_order() -> None:
    gold = [L("1", 0, 5, "Doubt"), L("1", 0, 5, "Loaded_Language")]
    pred = [L("1", 0, 5, "Loaded_Language"), L("1", 0, 5, "Doubt")]
    assert ps.score_tc(gold, pred).f1 == pytest.approx(1.0)
    half = [L("1", 0, 5, "Doubt"), L("1", 0, 5, "Doubt")]
    assert ps.score_tc(gold, half).f1 == pytest.approx(0.5)


def test_tc_prediction_on_other_offsets_is_wrong() -> None:
    gold = [L("1", 0, 5, "Doubt")]
    assert ps.score_tc(gold, [L("1", 0, 6, "Doubt")]).f1 == 0.0


def test_tc_per_technique() -> None:
    gold = [L("1", 0, 5, "Doubt"), L("1", 6, 9, "Slogans")]
    pred = [L("1", 0, 5, "Doubt"), L("1", 6, 9, "Doubt")]
    per = ps.tc_per_technique(gold, pred)
    assert per["Doubt"].precision == pytest.approx(0.5)
    assert per["Doubt"].recall == pytest.approx(1.0)
    assert per["Slogans"].f1 == 0.0


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = tmp_path / "gold.labels"
    pred = tmp_path / "pred.labels"
    gold.write_text("1\tName_Calling,Labeling\t0\t10\n1\tDoubt\t20\t30\n", encoding="utf-8")
    pred.write_text("1\tDoubt\t0\t10\n1\tDoubt\t20\t30\n", encoding="utf-8")
    assert ps.main(["--gold", str(gold), "--pred", str(pred)]) == 0
    assert "SI overall" in capsys.readouterr().out
    assert (
        ps.main(["--gold", str(gold), "--pred", str(pred), "--task", "tc", "--per-technique"]) == 0
    )
    out = capsys.readouterr().out
    assert "TC overall" in out
    assert "0.500" in out
