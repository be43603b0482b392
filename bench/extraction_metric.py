"""Shingle precision / recall / F1 for article-body extraction.

Both texts are split into ``\\w+`` tokens (Unicode) and cut into 4-token shingles; a text
with fewer than 4 tokens is one shorter shingle and an empty text has none. Per page the
multiset overlap gives true positives, false positives and false negatives. Precision is
the mean of per-page precision over the pages where the prediction has shingles, recall the
mean of per-page recall over the pages where the ground truth has shingles, and F1 the
harmonic mean of those two means.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

SHINGLE = 4
_TOKEN = re.compile(r"\w+")

Shingle = tuple[str, ...]


def shingles(text: str | None, size: int = SHINGLE) -> Counter[Shingle]:
    """The multiset of ``size``-token shingles of ``text`` (None counts as empty)."""
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < size:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


@dataclass(frozen=True)
class PageCounts:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float | None:
        """tp / (tp + fp), or None when the prediction has no shingles."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """tp / (tp + fn), or None when the ground truth has no shingles."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float:
        """Per-page F1 (harmonic mean of its precision and recall; 0 for an empty prediction).

        When both texts are empty the page is a perfect 1.0.
        """
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else 1.0


def page_counts(prediction: str | None, truth: str) -> PageCounts:
    """Multiset true positives, false positives and false negatives of one page."""
    predicted, expected = shingles(prediction), shingles(truth)
    tp = sum((predicted & expected).values())
    return PageCounts(tp=tp, fp=sum(predicted.values()) - tp, fn=sum(expected.values()) - tp)


@dataclass(frozen=True)
class Scores:
    pages: int
    precision: float
    recall: float
    f1: float


def score(pages: Iterable[PageCounts]) -> Scores:
    """Mean precision and mean recall over the pages where each is defined, and their F1."""
    counted = list(pages)
    precisions = [p for p in (page.precision for page in counted) if p is not None]
    recalls = [r for r in (page.recall for page in counted) if r is not None]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(pages=len(counted), precision=precision, recall=recall, f1=f1)
