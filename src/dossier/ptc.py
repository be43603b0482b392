"""The evaluation entry point on the Propaganda Techniques Corpus layout.

``article<ID>.txt`` files are read *as given* (no cleaning), so predicted offsets are
characters into each file, end exclusive, as the SemEval-2020 Task 11 scorer expects.

Span identification writes the model's spans and the lexical cues, not the bare scare
quotes the catalog marks as Doubt: PTC's Doubt spans are whole claims (a median of 97
characters), and adding the quoted words on their own lowered the out-of-fold SI F1
(``training/techniques/predict_cv.py``: 0.374 → 0.371 with the stacked tagger; the
tagger already reads scare quotes as a feature).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from .components.base import ArticleInput
from .components.techniques import find_spans
from .components.techniques_model import load

_ARTICLE = re.compile(r"article(?P<id>\w+)\.txt$")


def read_articles(folder: Path) -> dict[str, str]:
    texts = {}
    for path in sorted(folder.glob("article*.txt")):
        found = _ARTICLE.search(path.name)
        if found:
            # offsets count the characters of the file as given: no newline translation
            with path.open(encoding="utf-8", newline="") as f:
                texts[found.group("id")] = f.read()
    if not texts:
        raise ValueError(f"no article<ID>.txt files in {folder}")
    return texts


def predict_spans(folder: Path) -> Iterator[str]:
    """Span identification and classification: ``ID<TAB>technique<TAB>start<TAB>end``."""
    for article_id, text in read_articles(folder).items():
        article = ArticleInput(article_id, "", text, scare_quotes=())  # the file as given
        for span in find_spans(article):
            yield f"{article_id}\t{span.technique}\t{span.start}\t{span.end}"


def classify_spans(folder: Path, spans_file: Path) -> Iterator[str]:
    """Technique classification of given spans, one output line per input line, in order."""
    texts = read_articles(folder)
    model = load()
    for number, line in enumerate(spans_file.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) < 4 or parts[0] not in texts:
            raise ValueError(f"{spans_file}:{number}: expected ID<TAB>technique<TAB>start<TAB>end")
        article_id, start, end = parts[0], int(parts[-2]), int(parts[-1])
        technique, _ = model.classify(texts[article_id], start, end)
        yield f"{article_id}\t{technique}\t{start}\t{end}"
