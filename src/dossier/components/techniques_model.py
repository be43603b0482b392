"""Persuasion-technique spans: the trained model, inference only (numpy).

Two linear models over hashed sparse features (trained by ``training/techniques/train.py``
and stored as ``data/techniques/model.npz`` + ``config.json``; no pickle):

* **Span identification**: a token-level logistic-regression tagger ("is this token inside
  a technique span?") over the word, its neighbours, shape, cue lexicons (intensifiers,
  superlatives, fear and flag words, "so-called", scare quotes, exclamations…), the words of
  its sentence and how often the word recurs in the article. Tokens above the threshold are
  merged into spans (a gap of ``max_gap`` tokens inside a sentence is bridged).
* **Technique classification**: a multinomial logistic regression over a span's words,
  its first/last words, length, context words, cue lexicons and how often its text recurs
  in the article (for Repetition).

With the MiniLM packages installed, a fine-tuned word-piece tagger (:mod:`.tagger`) is mixed
into the span tagger's probabilities, and a contextual technique classifier (the same features
plus MiniLM vectors of the span and its sentence, :mod:`.contextual`) takes the spans the
static one is unsure of. Tokens, sentences and the sparse features live in
:mod:`.techniques_text`. Offsets are characters into the text as given; every function is
pure and deterministic.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .techniques_text import (  # noqa: F401  (re-exported for training)
    _QUOTES,
    Doc,
    OwnFeatureSums,
    Token,
    hash_features,
    make_doc,
    sentence_features,
    sentence_spans,
    span_features,
    span_token_range,
    token_feature_parts,
    token_features,
)

if TYPE_CHECKING:
    from .contextual import ContextVectors
    from .encoder import MiniLM
    from .tagger import PieceTagger

TECHNIQUES = (
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    technique: str
    score: float


def _sigmoid(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = 1.0 / (1.0 + np.exp(-x))
    return out


# -- dense word vectors ------------------------------------------------------------------
class WordVectors:
    """Static word vectors: lowercase word -> row of a small matrix (unknown words: zeros).

    The table is the spaCy ``en_core_web_md`` vectors (20k distinct vectors for ~340k
    words), centred, projected on their first principal components and unit-normalised by
    the training script; it ships inside ``model.npz``.
    """

    def __init__(self, words: Sequence[str], rows: np.ndarray, vecs: np.ndarray) -> None:
        self.index: dict[str, int] = dict(zip(words, rows.tolist(), strict=True))
        v = vecs.astype(np.float32)
        self.vecs = np.vstack([v, np.zeros((1, v.shape[1]), dtype=np.float32)])  # row -1
        self.dim = v.shape[1]

    def row(self, word: str) -> int:
        r = self.index.get(word)
        if r is None:
            for sep in ("'", "’"):
                if sep in word:
                    r = self.index.get(word.split(sep)[0])
                    if r is not None:
                        break
        return -1 if r is None else r

    def rows(self, doc: Doc) -> np.ndarray:
        return np.fromiter((self.row(t.lower) for t in doc.tokens), np.int64, len(doc.tokens))

    def token_vectors(self, doc: Doc) -> tuple[np.ndarray, np.ndarray]:
        """(rows, vectors) of the article's tokens."""
        r = self.rows(doc)
        return r, self.vecs[r]


def _sent_ids(doc: Doc) -> np.ndarray:
    return np.fromiter((t.sent for t in doc.tokens), np.int64, len(doc.tokens))


_PAD = -6.0  # the logit of a position outside the sentence


def _shift(x: np.ndarray, off: int, sid: np.ndarray) -> np.ndarray:
    """x[i + off] within the same sentence, else ``_PAD``."""
    n = len(x)
    y = np.full(n, _PAD, dtype=np.float32)
    ok = np.zeros(n, dtype=bool)
    if abs(off) >= n:
        return y
    if off < 0:
        y[-off:] = x[: n + off]
        ok[-off:] = sid[-off:] == sid[: n + off]
    else:
        y[: n - off] = x[off:]
        ok[: n - off] = sid[: n - off] == sid[off:]
    y[~ok] = _PAD
    return y


def _seg_mean(x: np.ndarray, doc: Doc, sid: np.ndarray) -> np.ndarray:
    """The mean of ``x`` over each token's sentence (sentences are contiguous token ranges)."""
    bounds = np.array(doc.sents, dtype=np.int64).reshape(-1, 2)
    cnt = np.maximum(bounds[:, 1] - bounds[:, 0], 1).astype(np.float64)
    cs = np.concatenate([np.zeros((1, *x.shape[1:])), np.cumsum(x, axis=0, dtype=np.float64)])
    sums = cs[bounds[:, 1]] - cs[bounds[:, 0]]
    out: np.ndarray = (sums / (cnt if x.ndim == 1 else cnt[:, None]))[sid]
    return out


def _sentence_max(z: np.ndarray, sid: np.ndarray, n_sents: int) -> np.ndarray:
    """The highest logit of each sentence (-50 for a sentence without tokens)."""
    top = np.full(n_sents, -50.0, dtype=np.float32)
    np.maximum.at(top, sid, z)
    return top


def gated_sentences(doc: Doc, probs: np.ndarray, gate: float) -> np.ndarray:
    """Indices of the sentences where some token's probability reaches ``gate``."""
    if not len(probs):
        return np.zeros(0, np.int64)
    top = np.zeros(len(doc.sents))
    np.maximum.at(top, _sent_ids(doc), probs)
    return np.flatnonzero(top >= gate)


def stack_features(doc: Doc, z: np.ndarray, rows: np.ndarray, tv: np.ndarray) -> np.ndarray:
    """Second-stage token features: the first-stage logits of the token and its neighbours,
    sentence and article statistics of them, and the word vectors of the token, its
    neighbours, a ±2 window and its sentence. ``z``: first-stage logits; ``rows``/``tv``:
    :meth:`WordVectors.token_vectors`."""
    n = len(doc.tokens)
    sid = _sent_ids(doc)
    nsent = len(doc.sents)
    z = z.astype(np.float32)
    cols: list[np.ndarray] = [z[:, None]]
    cols += [_shift(z, o, sid)[:, None] for o in (-3, -2, -1, 1, 2, 3)]
    smax = _sentence_max(z, sid, nsent)
    pz = _sigmoid(z.astype(np.float64))
    slen = np.bincount(sid, minlength=nsent)[sid]
    first = np.array([doc.sents[s][0] for s in range(nsent)], dtype=np.int64)[sid]
    cols += [
        smax[sid][:, None],
        _seg_mean(z.astype(np.float64), doc, sid)[:, None],
        np.full((n, 1), z.mean(), dtype=np.float32),
        _seg_mean(pz, doc, sid)[:, None],
        np.log1p(slen)[:, None],
        ((np.arange(n) - first) / np.maximum(slen, 1))[:, None],
        (sid == 0)[:, None],
    ]
    cols += [tv, (rows < 0)[:, None]]
    acc = tv.astype(np.float32).copy()
    c = np.ones(n, dtype=np.float32)
    neigh: dict[int, np.ndarray] = {}
    for o in (-2, -1, 1, 2):
        j = np.arange(n) + o
        ok = (j >= 0) & (j < n)
        ok[ok] &= sid[j[ok]] == sid[ok]
        acc[ok] += tv[j[ok]]
        c[ok] += 1
        nv = np.zeros_like(tv)
        nv[ok] = tv[j[ok]]
        neigh[o] = nv
    cols += [acc / c[:, None], neigh[-1], neigh[1], _seg_mean(tv, doc, sid)]
    return np.hstack([np.asarray(x, dtype=np.float32) for x in cols])


def _logit(p: np.ndarray) -> np.ndarray:
    q = np.clip(p.astype(np.float64), 1e-5, 1 - 1e-5)
    out: np.ndarray = np.log(q / (1 - q)).astype(np.float32)
    return out


def mix_features(doc: Doc, *streams: np.ndarray) -> np.ndarray:
    """Features of the learned mix of several taggers' token probabilities: of each
    stream, the token's logit, those of its two neighbours on each side (within the
    sentence), and the sentence's highest and mean logit."""
    sid = _sent_ids(doc)
    cols: list[np.ndarray] = []
    for probs in streams:
        z = _logit(probs)
        smax = _sentence_max(z, sid, len(doc.sents))
        cols += [z, *(_shift(z, o, sid) for o in (-2, -1, 1, 2))]
        cols += [smax[sid], _seg_mean(z.astype(np.float64), doc, sid).astype(np.float32)]
    return np.stack(cols, axis=1).astype(np.float32) if cols else np.zeros((0, 0), np.float32)


def span_vector(doc: Doc, rows: np.ndarray, vecs: np.ndarray, start: int, end: int) -> np.ndarray:
    """Dense features of a span: mean word vector of the span, of 10 tokens either side,
    and of the span's sentence (known words only)."""

    def mean(r: np.ndarray) -> np.ndarray:
        r = r[r >= 0]
        out: np.ndarray = vecs[r].mean(axis=0) if len(r) else np.zeros(vecs.shape[1], np.float32)
        return out

    i0, i1 = span_token_range(doc, start, end)
    parts = [
        mean(rows[i0:i1]),
        mean(np.concatenate([rows[max(0, i0 - 10) : i0], rows[i1 : i1 + 10]])),
    ]
    if doc.tokens:
        sa, sb = doc.sents[doc.tokens[min(i0, len(doc.tokens) - 1)].sent]
        parts.append(mean(rows[sa:sb]))
    else:
        parts.append(np.zeros(vecs.shape[1], np.float32))
    return np.concatenate(parts).astype(np.float32)


class TechniquesModel:
    """The loaded model: ``predict_spans(text)`` and ``classify(text, start, end)``."""

    def __init__(self, arrays: dict[str, np.ndarray], config: dict[str, object]) -> None:
        self.config = config
        self.si_dim = int(config["si_dim"])  # type: ignore[call-overload]
        self.tc_dim = int(config["tc_dim"])  # type: ignore[call-overload]
        self.threshold = float(config["threshold"])  # type: ignore[arg-type]
        self.seed_threshold = float(config.get("seed_threshold", self.threshold))  # type: ignore[arg-type]
        self.max_gap = int(config["max_gap"])  # type: ignore[call-overload]
        self.min_chars = int(config.get("min_chars", 2))  # type: ignore[call-overload]
        self.labels: tuple[str, ...] = tuple(config["labels"])  # type: ignore[arg-type]
        self.si_w = arrays["si_w"].astype(np.float32)
        self.si_b = float(arrays["si_b"][0])
        self.own_sums = OwnFeatureSums(self.si_w, self.si_dim)
        self.tc_w = arrays["tc_w"].astype(np.float32)  # (tc_dim, n_labels)
        self.tc_b = arrays["tc_b"].astype(np.float32)
        self.version = str(config.get("version", "0"))
        self.vectors: WordVectors | None = None
        if "vec_words" in arrays:
            words = bytes(arrays["vec_words"].tobytes()).decode("utf-8").split("\n")
            self.vectors = WordVectors(words, arrays["vec_rows"], arrays["vec_table"])
        # second-stage tagger (weights already divided by the feature scale)
        self.s2_b = float(arrays["s2_b"][0]) if "s2_b" in arrays else 0.0
        self.s2_w32 = arrays["s2_w"].astype(np.float32) if "s2_w" in arrays else None
        # dense part of the technique classifier: (3 * dim, n_labels)
        self.tc_dw = arrays["tc_dw"].astype(np.float32) if "tc_dw" in arrays else None
        # the contextual classifier (MiniLM vectors of the span and its sentence), used
        # when the encoder is installed; the classifier above is the fallback
        self.tcx: dict[str, np.ndarray] = {
            k: arrays[k].astype(np.float32)
            for k in ("tcx_w", "tcx_b", "tcx_dw", "tcx_cw")
            if k in arrays
        }
        self._encoder: object | None = None
        # the fine-tuned word-piece tagger (:mod:`.tagger`), mixed into the stacked tagger's
        # probabilities with this weight, on sentences whose stacked maximum reaches the
        # gate; with it in use, spans are decoded with ``tagger_decoding``
        self.tagger_weight = float(config.get("tagger_weight", 0.0))  # type: ignore[arg-type]
        self.tagger_gate = float(config.get("tagger_gate", 0.0))  # type: ignore[arg-type]
        self.tagger_decoding: dict[str, float] = dict(config.get("tagger_decoding", {}))  # type: ignore[call-overload]
        # (v5) a learned mix instead of the weighted mean: a logistic regression over
        # :func:`mix_features` of both taggers (``training/techniques/mixer.py``)
        mix: dict[str, object] = dict(config.get("tagger_mix", {}))  # type: ignore[call-overload]
        self.mix_w = np.asarray(mix.get("weights", []), dtype=np.float64)
        self.mix_b = float(mix.get("bias", 0.0))  # type: ignore[arg-type]
        self._tagger: object | None = None
        # spans the static classifier is at least this sure of skip the contextual one
        self.cascade = float(config.get("cascade", 1.0))  # type: ignore[arg-type]
        self._last: tuple[str, Doc, np.ndarray, np.ndarray, ContextVectors | None] | None = None

    @property
    def contextual(self) -> bool:
        """Whether the contextual classifier is in use (model and encoder both present)."""
        return len(self.tcx) == 4 and self._context_encoder() is not None

    def piece_tagger(self) -> PieceTagger | None:
        """The fine-tuned tagger, or ``None`` when it is not shipped or not installed."""
        if self._tagger is None:
            from .tagger import MAX_PIECES
            from .tagger import load as load_tagger

            window = int(self.config.get("tagger_window", MAX_PIECES))  # type: ignore[call-overload]
            self._tagger = (self.tagger_weight > 0 and load_tagger(window)) or False
        return self._tagger or None  # type: ignore[return-value]

    def _context_encoder(self) -> MiniLM | None:
        if self._encoder is None:
            from .encoder import load as load_encoder

            self._encoder = load_encoder() or False
        return self._encoder or None  # type: ignore[return-value]

    def context(self, doc: Doc) -> ContextVectors | None:
        """Contextual vectors for ``doc`` (encoded on demand), or ``None`` without them."""
        if not self.contextual:
            return None
        from .contextual import ContextVectors

        encoder = self._context_encoder()
        assert encoder is not None
        return ContextVectors(encoder, doc)

    def _vectors(self, doc: Doc) -> tuple[np.ndarray, np.ndarray]:
        if self.vectors is None:
            n = len(doc.tokens)
            return np.full(n, -1, np.int64), np.zeros((n, 0), np.float32)
        return self.vectors.token_vectors(doc)

    # -- span identification -------------------------------------------------------------
    def token_logits(self, doc: Doc) -> np.ndarray:
        """First-stage logits: the hashed-feature token tagger."""
        if not doc.tokens:
            return np.zeros(0, dtype=np.float32)
        z = self.own_sums.sums(doc)  # = self._weight_sums(token_feature_parts(doc)[0])
        z += self._weight_sums(sentence_features(doc))[_sent_ids(doc)] + self.si_b
        return z.astype(np.float32)

    def _weight_sums(self, groups: list[list[str]]) -> np.ndarray:
        """The sum of the span tagger's weights over each (non-empty) group of features."""
        lens = np.fromiter(map(len, groups), dtype=np.int64, count=len(groups))
        idx = hash_features([x for f in groups for x in f], self.si_dim)
        offsets = np.concatenate(([0], np.cumsum(lens)[:-1]))
        sums: np.ndarray = np.add.reduceat(self.si_w[idx], offsets)
        return sums

    def stacked_probs(
        self, doc: Doc, vectors: tuple[np.ndarray, np.ndarray] | None = None
    ) -> np.ndarray:
        """The static taggers' token probabilities (first stage, stacked second stage)."""
        z = self.token_logits(doc)
        if not len(z):
            return np.zeros(0, dtype=np.float64)
        if self.s2_w32 is None:
            return _sigmoid(z.astype(np.float64))
        rows, tv = vectors if vectors is not None else self._vectors(doc)
        x = stack_features(doc, z, rows, tv)
        return _sigmoid((x @ self.s2_w32).astype(np.float64) + self.s2_b)

    def token_probs(
        self, doc: Doc, vectors: tuple[np.ndarray, np.ndarray] | None = None
    ) -> np.ndarray:
        """Probability that each token is inside a technique span: the stacked tagger's,
        mixed with the fine-tuned tagger's on the sentences the stacked one flags."""
        probs = self.stacked_probs(doc, vectors)
        tagger = self.piece_tagger()
        if tagger is None or not len(probs):
            return probs
        chosen = gated_sentences(doc, probs, self.tagger_gate)
        tuned = tagger.token_probs(doc, chosen.tolist()) if len(chosen) else np.zeros_like(probs)
        return self.mix(doc, tuned, probs)

    def mix(self, doc: Doc, tuned: np.ndarray, stacked: np.ndarray) -> np.ndarray:
        """The span probability of each token from the fine-tuned tagger's (0 where it did
        not run) and the stacked tagger's: the learned mix when shipped, else their
        weighted mean."""
        if len(self.mix_w):
            return _sigmoid(
                mix_features(doc, tuned, stacked).astype(np.float64) @ self.mix_w + self.mix_b
            )
        w = self.tagger_weight
        out: np.ndarray = w * tuned + (1.0 - w) * stacked
        return out

    def decoding(self) -> dict[str, float]:
        """Span thresholds and gap: tuned for the mixed probabilities when the fine-tuned
        tagger is in use, for the stacked tagger's alone otherwise."""
        plain = {
            "threshold": self.threshold,
            "seed_threshold": self.seed_threshold,
            "max_gap": float(self.max_gap),
        }
        if self.tagger_decoding and self.piece_tagger() is not None:
            return {**plain, **self.tagger_decoding}
        return plain

    def spans_from_probs(
        self, doc: Doc, probs: np.ndarray, threshold: float | None = None
    ) -> list[tuple[int, int, float]]:
        """Merge tokens above the threshold into (start, end, mean prob) spans.

        Tokens at or above ``threshold`` within a sentence are grouped (bridging gaps of up
        to ``max_gap`` tokens); a group is kept when one of its tokens reaches the seed
        threshold (hysteresis)."""
        decoding = self.decoding()
        th = decoding["threshold"] if threshold is None else threshold
        seed = max(decoding["seed_threshold"], th)
        max_gap = int(decoding["max_gap"])
        toks = doc.tokens
        out: list[tuple[int, int, float]] = []
        for a, b in doc.sents:
            pos = [i for i in range(a, b) if probs[i] >= th]
            if not pos:
                continue
            groups: list[list[int]] = [[pos[0]]]
            for i in pos[1:]:
                if i - groups[-1][-1] - 1 <= max_gap:
                    groups[-1].append(i)
                else:
                    groups.append([i])
            for g in groups:
                i0, i1 = g[0], g[-1]
                if float(np.max(probs[i0 : i1 + 1])) < seed:
                    continue
                # do not start or end on punctuation other than quote marks
                while i0 < i1 and not toks[i0].text[:1].isalnum() and toks[i0].text not in _QUOTES:
                    i0 += 1
                while i1 > i0 and not toks[i1].text[:1].isalnum() and toks[i1].text not in _QUOTES:
                    i1 -= 1
                s, e = toks[i0].start, toks[i1].end
                if e - s < self.min_chars or not any(
                    toks[k].text[:1].isalnum() for k in range(i0, i1 + 1)
                ):
                    continue
                out.append((s, e, float(np.mean(probs[i0 : i1 + 1]))))
        return out

    # -- technique classification --------------------------------------------------------
    def class_probs(
        self,
        doc: Doc,
        start: int,
        end: int,
        vectors: tuple[np.ndarray, np.ndarray] | None = None,
        context: ContextVectors | None = None,
    ) -> np.ndarray:
        idx = hash_features(span_features(doc, start, end), self.tc_dim)
        use_cx = context is not None and len(self.tcx) == 4
        w, b, dw = (
            (self.tcx["tcx_w"], self.tcx["tcx_b"], self.tcx["tcx_dw"])
            if use_cx
            else (self.tc_w, self.tc_b, self.tc_dw)
        )
        z = w[idx].sum(axis=0) + b
        if dw is not None and self.vectors is not None:
            rows, _tv = vectors if vectors is not None else self._vectors(doc)
            z = z + span_vector(doc, rows, self.vectors.vecs, start, end) @ dw
        if use_cx:
            assert context is not None
            z = z + context.span_features(start, end) @ self.tcx["tcx_cw"]
        z = z - z.max()
        p = np.exp(z.astype(np.float64))
        out: np.ndarray = p / p.sum()
        return out

    def classify(
        self, text: str, start: int, end: int, doc: Doc | None = None
    ) -> tuple[str, float]:
        """The most likely technique of ``text[start:end]`` and its probability."""
        if doc is None:
            if self._last is not None and self._last[0] == text:  # many spans of one text
                _, doc, rows, tv, context = self._last
            else:
                doc = make_doc(text)
                rows, tv = self._vectors(doc)
                context = self.context(doc)
                self._last = (text, doc, rows, tv, context)
        else:
            rows, tv = self._vectors(doc)
            context = self.context(doc)
        p = self.span_class_probs(doc, [(start, end)], (rows, tv), context)[0]
        k = int(np.argmax(p))
        return self.labels[k], float(p[k])

    def span_class_probs(
        self,
        doc: Doc,
        spans: Sequence[tuple[int, int]],
        vectors: tuple[np.ndarray, np.ndarray],
        context: ContextVectors | None,
    ) -> list[np.ndarray]:
        """Technique probabilities of each span, as a cascade: the static classifier first;
        a span it is unsure of (top probability below ``cascade``) goes to the contextual
        classifier, whose sentences are encoded together in one batch."""
        probs = [self.class_probs(doc, s, e, vectors) for s, e in spans]
        if context is None:
            return probs
        unsure = [i for i, p in enumerate(probs) if float(p.max()) < self.cascade]
        context.ensure(k for i in unsure for k in context.span_sentences(*spans[i]))
        for i in unsure:
            probs[i] = self.class_probs(doc, *spans[i], vectors, context)
        return probs

    def predict_spans(self, text: str, threshold: float | None = None) -> list[Span]:
        """Technique spans of ``text`` (score = span probability × technique probability)."""
        doc = make_doc(text)
        vectors = self._vectors(doc)
        probs = self.token_probs(doc, vectors)
        found = self.spans_from_probs(doc, probs, threshold)
        context = self.context(doc) if found else None
        classes = self.span_class_probs(doc, [(s, e) for s, e, _ in found], vectors, context)
        out: list[Span] = []
        for (s, e, ps), p in zip(found, classes, strict=True):
            k = int(np.argmax(p))
            out.append(Span(s, e, self.labels[k], round(ps * float(p[k]), 4)))
        return out


def load_from(directory: str | Path) -> TechniquesModel:
    d = Path(directory)
    config = json.loads((d / "config.json").read_text(encoding="utf-8"))
    with np.load(d / "model.npz", allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    return TechniquesModel(arrays, config)


MODES = ("full", "fast")


def load(mode: str = "full") -> TechniquesModel:
    """The model shipped in the package (``dossier/data/techniques/``), loaded once per
    process and mode (``load()`` and ``load("full")`` are the same object).

    ``mode="fast"`` leaves out the two MiniLM networks (the fine-tuned span tagger and the
    contextual classifier), as when their packages are missing: the stacked tagger and the
    static classifier alone, about ten times faster on CPUs without int8 dot-product
    instructions, and less accurate (docs/techniques.md)."""
    if mode not in MODES:
        raise ValueError(f"unknown techniques mode {mode!r}; known: {', '.join(MODES)}")
    return _load(mode)


@lru_cache(maxsize=len(MODES))
def _load(mode: str) -> TechniquesModel:
    root = resources.files("dossier") / "data" / "techniques"
    with resources.as_file(root) as d:
        model = load_from(d)
    if mode == "fast":
        model._tagger = model._encoder = False
    return model
