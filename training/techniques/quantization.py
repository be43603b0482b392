#!/usr/bin/env python3
"""What int8 quantisation of the fine-tuned tagger costs, on one fold's held-out articles.

    training/techniques/finetune.py --cv 5 --folds 0 --save-folds folds/   # fold0.pt
    training/techniques/quantization.py --folds-dir folds/ --stacked-oof stacked.npz

Exports the fold's float weights (``foldK.pt``) as int8 ONNX each way (one scale per
tensor, per channel, per channel with the 7-bit range), runs each through the runtime
tagger (:class:`dossier.components.tagger.PieceTagger`) on the fold's held-out articles,
and prints SI of the tagger mixed with the stacked tagger as ``config.json`` says, with
the shipped decoding and with decoding re-tuned on the fold, beside the float model's.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import finetune
import numpy as np
import train

from dossier.components import tagger as tg
from dossier.components import techniques_model as tm
from dossier.components.encoder import model_files, open_session, open_tokenizer

WAYS = {
    "int8, one scale per tensor (v4)": (False, False),
    "int8, per channel": (True, False),
    "int8, per channel, 7-bit range": (True, True),
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--data", type=Path, default=train.ROOT.parent / "shared" / "data" / "ptc-train"
    )
    ap.add_argument("--folds-dir", type=Path, required=True, help="finetune.py --save-folds")
    ap.add_argument("--fold", type=int, default=0)
    ap.add_argument("--stacked-oof", type=Path, required=True, help="train.py --cv 5 --oof")
    ap.add_argument("--layers", type=int, default=6)
    args = ap.parse_args()
    config = json.loads((train.ROOT / "src/dossier/data/techniques/config.json").read_text())
    texts, gold = train.load_data(args.data)
    held = train.folds(sorted(texts), 5)[args.fold]
    docs = {a: tm.make_doc(texts[a]) for a in held}
    prep = train.Decodable(held, docs, gold)
    stacked = dict(np.load(args.stacked_oof))
    body = finetune.soup([args.folds_dir / f"fold{args.fold}.pt"], args.layers)
    data = finetune.Data({a: texts[a] for a in held}, [g for g in gold if g[0] in docs])
    embed = finetune.base_weights()["embeddings.word_embeddings.weight"]
    probs = {
        "float (the cross-validation's)": {
            a: finetune.token_probs(body, data, a, embed) for a in held
        }
    }
    files = model_files()
    assert files is not None
    tokenizer, table = open_tokenizer(files[1]), tg.base_embeddings(files[1])
    for name, (per_channel, reduce_range) in WAYS.items():
        with tempfile.TemporaryDirectory() as tmp:
            onnx = finetune.export(body, Path(tmp), per_channel, reduce_range)
            tagger = tg.PieceTagger(open_session(onnx), tokenizer, table)
            probs[name] = {a: tagger.token_probs(docs[a]) for a in held}
    w, d = config["tagger_weight"], config["tagger_decoding"]
    dec = train.decoder(prep)
    dec.seed_threshold, dec.max_gap = d["seed_threshold"], d["max_gap"]
    for name, p in probs.items():
        mixed = {a: w * p[a] + (1 - w) * stacked[a] for a in held}
        pred = [
            (a, "?", s, e)
            for a in held
            for s, e, _ in dec.spans_from_probs(docs[a], mixed[a], d["threshold"])
        ]
        r = train.score.score_si(prep.gold, pred)
        print(f"\n{name}, shipped decoding: P={r.precision:.3f} R={r.recall:.3f} F1={r.f1:.3f}")
        train.tune_decoding(prep, mixed, f"{name}, decoding re-tuned on the fold")
    return 0


if __name__ == "__main__":
    sys.exit(main())
