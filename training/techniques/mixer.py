#!/usr/bin/env python3
"""Learn how to mix the span taggers: a logistic regression over both taggers' token logits.

The shipped span probability of a token mixes the fine-tuned tagger's and the stacked
tagger's. A fixed weighted mean (``tagger_weight``) looks at one token at a time; this
script learns the mix from the out-of-fold probabilities of both taggers instead, with
:func:`dossier.components.techniques_model.mix_features`: each tagger's logit of the token,
of its two neighbours on each side and the sentence's highest and mean logit.

    # cross-validate the learned mix against the weighted mean (same folds as train.py)
    training/techniques/mixer.py --tagger-oof tagger.npz --stacked-oof stacked.npz
    # and write it, with its span decoding, into the shipped config.json
    training/techniques/mixer.py --tagger-oof tagger.npz --stacked-oof stacked.npz \\
        --config src/dossier/data/techniques

The out-of-fold probabilities come from ``finetune.py --cv 5 --oof tagger.npz`` and
``train.py --cv 5 --si-only --oof stacked.npz``. The mix is itself cross-validated by
article on those folds: the mix that scores fold k was fitted on the other folds' tokens.
A few minutes on 2 cores; deterministic.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import train
from sklearn.linear_model import LogisticRegression

from dossier.components import techniques_model as tm


class Tokens:
    """Mix features and labels of every article's tokens (gated as at run time)."""

    def __init__(
        self,
        texts: dict[str, str],
        gold: list[tuple[str, str, int, int]],
        taggers: dict[str, np.ndarray],
        stacked: dict[str, np.ndarray],
        gate: float,
    ) -> None:
        self.ids = sorted(texts)
        self.docs = {a: tm.make_doc(texts[a]) for a in self.ids}
        spans: dict[str, list[tuple[int, int]]] = {}
        for a, _t, s, e in gold:
            spans.setdefault(a, []).append((s, e))
        self.x: dict[str, np.ndarray] = {}
        self.y: dict[str, np.ndarray] = {}
        for a in self.ids:
            doc = self.docs[a]
            if not doc.tokens:
                continue
            tuned = gated(doc, taggers[a], stacked[a], gate)
            self.x[a] = tm.mix_features(doc, tuned, stacked[a])
            self.y[a] = train.token_labels(doc, spans.get(a, []))

    def fit(self, ids: list[str], c: float) -> tuple[np.ndarray, float]:
        """A logistic regression on standardised features of the tokens of ``ids``; its
        weights and bias for the raw features (the scaling folded in)."""
        x = np.vstack([self.x[a] for a in ids if a in self.x]).astype(np.float64)
        y = np.concatenate([self.y[a] for a in ids if a in self.y])
        mu, sd = x.mean(axis=0), x.std(axis=0) + 1e-6
        clf = LogisticRegression(C=c, solver="lbfgs", max_iter=1000)
        clf.fit((x - mu) / sd, y)
        w = clf.coef_[0] / sd
        return w, float(clf.intercept_[0] - (w * mu).sum())

    def probs(self, a: str, w: np.ndarray, b: float) -> np.ndarray:
        if a not in self.x:
            return np.zeros(len(self.docs[a].tokens))
        out: np.ndarray = 1.0 / (1.0 + np.exp(-(self.x[a].astype(np.float64) @ w + b)))
        return out


def gated(doc: tm.Doc, tuned: np.ndarray, stacked: np.ndarray, gate: float) -> np.ndarray:
    """The fine-tuned tagger's probabilities where it runs: 0 on sentences whose stacked
    maximum is below ``gate`` (as :meth:`TechniquesModel.token_probs` does)."""
    return np.where(train.gate_mask(doc, stacked, gate), tuned, 0.0)


def cross_validate(tokens: Tokens, k: int, c: float) -> dict[str, np.ndarray]:
    """Out-of-fold probabilities of the learned mix."""
    out: dict[str, np.ndarray] = {}
    for held in train.folds(tokens.ids, k):
        w, b = tokens.fit([a for a in tokens.ids if a not in set(held)], c)
        out.update({a: tokens.probs(a, w, b) for a in held})
    return out


def oof_parser(doc: str) -> argparse.ArgumentParser:
    """Arguments of the scripts that read both taggers' out-of-fold probabilities."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument(
        "--data", type=Path, default=train.ROOT.parent / "shared" / "data" / "ptc-train"
    )
    ap.add_argument("--tagger-oof", type=Path, required=True, help="finetune.py --cv 5 --oof")
    ap.add_argument("--stacked-oof", type=Path, required=True, help="train.py --cv 5 --oof")
    return ap


def main() -> int:
    ap = oof_parser(__doc__)
    ap.add_argument("--gate", type=float, default=0.0, help="tagger gate (config.json)")
    ap.add_argument("--cv", type=int, default=5)
    ap.add_argument("--c", type=float, nargs="+", default=[0.01, 0.1, 1.0])
    ap.add_argument("--weight", type=float, default=0.5, help="the weighted mean to compare")
    ap.add_argument("--config", type=Path, help="write the best mix into DIR/config.json")
    args = ap.parse_args()

    texts, gold = train.load_data(args.data)
    taggers, stacked = dict(np.load(args.tagger_oof)), dict(np.load(args.stacked_oof))
    tokens = Tokens(texts, gold, taggers, stacked, args.gate)
    prep = train.Decodable(tokens.ids, tokens.docs, gold)
    mean = {
        a: args.weight * gated(tokens.docs[a], taggers[a], stacked[a], args.gate)
        + (1 - args.weight) * stacked[a]
        for a in tokens.ids
        if tokens.docs[a].tokens
    }
    mean.update({a: np.zeros(0) for a in tokens.ids if not tokens.docs[a].tokens})
    train.tune_decoding(prep, mean, f"weighted mean {args.weight}, gate {args.gate}")
    best: tuple[float, float, dict[str, float]] | None = None
    for c in args.c:
        oof = cross_validate(tokens, args.cv, c)
        decoding, result, _ = train.tune_decoding(prep, oof, f"learned mix, C={c}")
        f1 = float(result.f1)  # type: ignore[attr-defined]
        if best is None or f1 > best[0]:
            best = (f1, c, decoding)
    assert best is not None
    f1, c, decoding = best
    print(f"\nbest: C={c}, SI F1 {f1:.4f}, decoding {decoding}")
    if args.config:
        w, b = tokens.fit(tokens.ids, c)
        path = args.config / "config.json"
        config = json.loads(path.read_text(encoding="utf-8"))
        config.update(
            tagger_gate=args.gate,
            tagger_mix={"weights": [round(float(v), 6) for v in w], "bias": round(b, 6)},
            tagger_decoding=decoding,
            tagger_cv_si_f1=round(f1, 4),
        )
        path.write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
