#!/usr/bin/env python3
"""Out-of-fold SI of what ``dossier techniques predict`` writes, not only of the tagger.

    training/techniques/predict_cv.py --tagger-oof tagger.npz --stacked-oof stacked.npz
                                      [--weight 0.5] [--gate 0] [--threshold 0.2 ...]

The cross-validation in ``train.py`` and ``finetune.py`` scores the decoded spans of the
taggers. ``techniques predict`` writes more and less than that: the lexical cue spans of
:func:`dossier.components.techniques.find_spans` come on top (the scare quotes it adds in
the catalog did, until they were measured here to lower SI), and a model span is kept only
when its score (span probability × technique probability) reaches the storage floor.
This script rebuilds each of those outputs from the out-of-fold token probabilities (mixed
as ``config.json`` says, or as the options say) and scores it, so the choice of what
``predict`` writes is made on held-out articles too.

The technique probabilities for the floor come from the shipped classifier, which saw
these articles in training: its probabilities are too sure, so the floor drops fewer
spans here than it would on new articles (the figure is an upper bound for that row).
"""

from __future__ import annotations

import itertools
import json
import sys

import numpy as np
import train
from mixer import gated, oof_parser

from dossier.components import techniques as tc
from dossier.components import techniques_model as tm
from dossier.components.quotes import extract

Label = tuple[str, str, int, int]


def mixed(
    docs: dict[str, tm.Doc],
    tagger: dict[str, np.ndarray],
    stacked: dict[str, np.ndarray],
    model: tm.TechniquesModel,
    gate: float,
) -> dict[str, np.ndarray]:
    """Token probabilities as :meth:`TechniquesModel.token_probs` mixes them."""
    return {
        a: model.mix(doc, gated(doc, tagger[a], stacked[a], gate), stacked[a])
        if doc.tokens
        else stacked[a]
        for a, doc in docs.items()
    }


def extras(texts: dict[str, str]) -> tuple[list[Label], list[Label]]:
    """The cue spans and the scare quotes ``find_spans`` adds to the model's."""
    cues: list[Label] = []
    scare: list[Label] = []
    for a, text in texts.items():
        for technique, _name, pattern in tc.CUES:
            cues += [(a, technique, m.start(), m.end()) for m in pattern.finditer(text)]
        scare += [(a, "Doubt", q.start, q.end) for q in extract(text) if q.kind == "scare"]
    return cues, scare


def main() -> int:
    ap = oof_parser(__doc__)
    shipped = train.ROOT / "src" / "dossier" / "data" / "techniques" / "config.json"
    config = json.loads(shipped.read_text(encoding="utf-8"))
    ap.add_argument(
        "--weight", type=float, help="mix as this weighted mean (default: as config.json says)"
    )
    ap.add_argument("--gate", type=float, default=config["tagger_gate"])
    decoding = config["tagger_decoding"]
    ap.add_argument("--threshold", type=float, default=decoding["threshold"])
    ap.add_argument("--seed-threshold", type=float, default=decoding["seed_threshold"])
    ap.add_argument("--max-gap", type=int, default=decoding["max_gap"])
    args = ap.parse_args()

    texts, gold = train.load_data(args.data)
    docs = {a: tm.make_doc(t) for a, t in texts.items()}
    model_tm = tm.load()
    mixing = model_tm
    if args.weight is not None:  # the weighted mean, not the shipped (learned) mix
        mixing = tm.TechniquesModel(
            {k: np.zeros(2, np.float32) for k in ("si_w", "si_b", "tc_w", "tc_b")},
            {**config, "tagger_weight": args.weight, "tagger_mix": {}},
        )
    probs = mixed(
        docs, dict(np.load(args.tagger_oof)), dict(np.load(args.stacked_oof)), mixing, args.gate
    )
    dec = train.decoder(train.Decodable(sorted(docs), docs, gold))
    dec.threshold, dec.seed_threshold, dec.max_gap = (
        args.threshold,
        args.seed_threshold,
        args.max_gap,
    )
    spans = {a: dec.spans_from_probs(docs[a], probs[a]) for a in sorted(docs)}
    model: list[Label] = [(a, "?", s, e) for a, found in spans.items() for s, e, _p in found]
    scored: list[tuple[Label, float]] = []  # model spans with the score find_spans gives
    for a, found in spans.items():
        vectors = model_tm._vectors(docs[a])
        context = model_tm.context(docs[a]) if found else None
        classes = model_tm.span_class_probs(
            docs[a], [(s, e) for s, e, _ in found], vectors, context
        )
        scored += [
            ((a, "?", s, e), p * float(c.max()))
            for (s, e, p), c in zip(found, classes, strict=True)
        ]
    floored = [span for span, score in scored if score >= tc.FLOOR]
    cues, scare = extras(texts)
    rows = {
        "model spans (the CV figure)": model,
        "model spans at the storage floor": floored,
        "model spans + cues": model + cues,
        "model spans + scare quotes": model + scare,
        "model spans + cues + scare quotes": model + cues + scare,
        "floor + cues + scare quotes (what predict wrote in v4)": floored + cues + scare,
        "floor + cues (what predict writes)": floored + cues,
        "cues alone": cues,
        "scare quotes alone": scare,
    }
    print(
        f"mix {args.weight or 'as config.json'}, gate {args.gate}, threshold {args.threshold}, "
        f"seed {args.seed_threshold}, gap {args.max_gap}"
    )
    print(f"{'output':<58} {'P':>6} {'R':>6} {'F1':>6} {'spans':>6}")
    for name, pred in rows.items():
        r = train.score.score_si(gold, pred)
        print(f"{name:<58} {r.precision:6.3f} {r.recall:6.3f} {r.f1:6.3f} {len(pred):6d}")
    calibration(gold, scored)
    return 0


def calibration(gold: list[Label], scored: list[tuple[Label, float]]) -> None:
    """How much of the model spans at each score lies inside gold spans (the share of
    their characters), for choosing the threshold of what is shown."""
    merged = train.score._by_article(gold)
    print(f"\n{'score':<12} {'spans':>6} {'share of chars in gold':>24} {'at or above':>12}")
    edges = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 1.01)
    inside = []
    for (a, _t, s, e), score in scored:
        hit = sum(max(0, min(e, ge) - max(s, gs)) for gs, ge in merged.get(a, []))
        inside.append((score, hit / (e - s)))
    for lo, hi in itertools.pairwise(edges):
        band = [x for score, x in inside if lo <= score < hi]
        above = [x for score, x in inside if score >= lo]
        if band:
            print(
                f"{lo:.2f}-{min(hi, 1):.2f}   {len(band):6d} {np.mean(band):24.3f}"
                f" {np.mean(above):12.3f}"
            )


if __name__ == "__main__":
    sys.exit(main())
