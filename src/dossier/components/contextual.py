"""Contextual token vectors for the technique classifier.

The sentences that hold a span are encoded by MiniLM (:mod:`.encoder`); each of our tokens
gets the mean vector of its word pieces. A span's contextual features are the
unit-length mean vector of its tokens and that of its sentence (:data:`SPAN_DIM` values).
Only the sentences a span touches are encoded, which keeps the cost to about a third of
encoding the whole article.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .encoder import DIM, MiniLM
from .techniques_text import Doc, span_token_range

SPAN_DIM = 2 * DIM


class ContextVectors:
    """Per-token MiniLM vectors of one document, computed sentence by sentence on demand."""

    def __init__(self, encoder: MiniLM, doc: Doc) -> None:
        self.encoder = encoder
        self.doc = doc
        self.vectors = np.zeros((len(doc.tokens), DIM), np.float32)
        self.done: set[int] = set()
        self.starts = np.array([t.start for t in doc.tokens], dtype=np.int64)

    def ensure(self, sentences: Iterable[int]) -> None:
        """Encode the given sentences (indices into ``doc.sents``) not encoded yet."""
        todo = sorted({s for s in sentences if s not in self.done and self._nonempty(s)})
        if not todo:
            return
        toks = self.doc.tokens
        bounds = [(toks[a].start, toks[b - 1].end) for a, b in (self.doc.sents[s] for s in todo)]
        texts = [self.doc.text[s0:s1] for s0, s1 in bounds]
        for s, (s0, _s1), enc in zip(todo, bounds, self.encoder.encode(texts), strict=True):
            self._assign(s, s0, enc.starts, enc.vectors)
            self.done.add(s)

    def _nonempty(self, s: int) -> bool:
        a, b = self.doc.sents[s]
        return b > a

    def _assign(self, s: int, offset: int, starts: np.ndarray, vecs: np.ndarray) -> None:
        a, b = self.doc.sents[s]
        if not len(starts):
            return
        index = a + np.searchsorted(self.starts[a:b], starts + offset, side="right") - 1
        index = np.clip(index, a, b - 1)
        total = np.zeros((b - a, DIM), np.float32)
        count = np.zeros(b - a, np.float32)
        np.add.at(total, index - a, vecs)
        np.add.at(count, index - a, 1.0)
        self.vectors[a:b] = total / np.maximum(count, 1.0)[:, None]

    def span_sentences(self, start: int, end: int) -> range:
        """Indices of the sentences a character span touches."""
        i0, i1 = span_token_range(self.doc, start, end)
        toks = self.doc.tokens
        if not toks:
            return range(0)
        first = toks[min(i0, len(toks) - 1)].sent
        last = toks[max(min(i1, len(toks)) - 1, min(i0, len(toks) - 1))].sent
        return range(first, last + 1)

    def span_features(self, start: int, end: int) -> np.ndarray:
        """Unit mean vector of the span's tokens, then of its (first) sentence."""
        doc = self.doc
        if not doc.tokens:
            return np.zeros(SPAN_DIM, np.float32)
        self.ensure(self.span_sentences(start, end))
        i0, i1 = span_token_range(doc, start, end)
        i0 = min(i0, len(doc.tokens) - 1)
        i1 = max(i1, i0 + 1)
        sa, sb = doc.sents[doc.tokens[i0].sent]
        return np.concatenate(
            [_unit(self.vectors[i0:i1].mean(axis=0)), _unit(self.vectors[sa:sb].mean(axis=0))]
        )


def _unit(v: np.ndarray) -> np.ndarray:
    out: np.ndarray = (v / (np.linalg.norm(v) + 1e-6)).astype(np.float32)
    return out
