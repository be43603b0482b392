"""The extraction benchmark's shingle metric, on tiny hand-made strings (no data needed)."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

_PATH = Path(__file__).resolve().parents[1] / "bench" / "extraction_metric.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("extraction_metric", _PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while building classes
    spec.loader.exec_module(module)
    return module


metric = _load()


def test_shingles_are_four_word_windows() -> None:
    assert metric.shingles("a b c d e") == Counter([("a", "b", "c", "d"), ("b", "c", "d", "e")])


def test_short_text_is_one_shorter_shingle_and_empty_text_has_none() -> None:
    assert metric.shingles("one, two!") == Counter([("one", "two")])
    assert metric.shingles("Привет, мир") == Counter([("Привет", "мир")])
    assert metric.shingles("") == Counter()
    assert metric.shingles(None) == Counter()
    assert metric.shingles(" — !! ") == Counter()


def test_tokens_ignore_punctuation_and_whitespace() -> None:
    counts = metric.page_counts("Hello, world —\n\nfoo bar!", "Hello world foo bar")
    assert (counts.tp, counts.fp, counts.fn) == (1, 0, 0)
    assert counts.f1 == 1.0


def test_counts_are_multisets() -> None:
    # prediction: abcd twice, bcda, cdab, dabc; truth: abcd once
    counts = metric.page_counts("a b c d a b c d", "a b c d")
    assert (counts.tp, counts.fp, counts.fn) == (1, 4, 0)
    assert counts.precision == pytest.approx(0.2)
    assert counts.recall == 1.0
    assert counts.f1 == pytest.approx(2 * 0.2 / 1.2)


def test_empty_prediction_has_no_precision_but_zero_recall() -> None:
    for prediction in (None, ""):
        counts = metric.page_counts(prediction, "w x y z")
        assert counts.precision is None
        assert counts.recall == 0.0
        assert counts.f1 == 0.0


def test_score_averages_where_defined_then_takes_harmonic_mean() -> None:
    pages = [
        metric.page_counts("a b c d e", "a b c d e"),  # P 1, R 1
        metric.page_counts(None, "w x y z"),  # P undefined, R 0
        metric.page_counts("a b c d e f", "a b c d x"),  # 3 predicted, 2 true, tp 1
    ]
    scores = metric.score(pages)
    precision = (1.0 + 1 / 3) / 2
    recall = (1.0 + 0.0 + 1 / 2) / 3
    assert scores.pages == 3
    assert scores.precision == pytest.approx(precision)
    assert scores.recall == pytest.approx(recall)
    assert scores.f1 == pytest.approx(2 * precision * recall / (precision + recall))


def test_score_of_nothing_is_zero() -> None:
    scores = metric.score([])
    assert (scores.pages, scores.precision, scores.recall, scores.f1) == (0, 0.0, 0.0, 0.0)
