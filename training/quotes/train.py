"""Train the quotes component's attribution model (``dossier/data/quotes/attribution.npz``).

Usage::

    .venv/bin/python training/quotes/train.py [--workdir /tmp/qe] [--folds 5] [--dry-run]
                                              [--hold-out N] [--l2 1e-4]

``--hold-out N`` leaves out the N articles ``quotes_eval.py --n N --spread`` scores, so that
run checks the model on articles it has not seen (retrain without it before committing).

Needs a database of the PolNeAR training articles as the CLI stores them: the script runs
``bench/quotes_eval.py --all --workdir DIR`` when ``DIR/quotes_eval.db`` is missing (about
three minutes). Then, for every stored article, every candidate reported statement that
``components.reported`` proposes is kept (``extract(..., keep=everything)``), the quotes are
scored by ``bench/quotes_eval.py``'s own rules, and each candidate gets the label *right*
(content and speaker match a gold attribution) or *wrong* (neutral ones are left out).

A logistic model over the hashed features of :mod:`dossier.components.attribution` is fitted
by full-batch gradient descent (fixed steps, no randomness: the same data gives the same
weights). The threshold is chosen by cross-validation over articles (``--folds``): each fold's
candidates are scored by a model trained on the other folds, and the threshold giving the best
indirect F1 of the whole scored output wins. The cross-validated figures are printed; they are
what to expect on other articles of the same kind. Nothing from the corpus is written but the
weights, the bias and the threshold.
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

import quotes_eval as qe  # noqa: E402
from dossier.components import attribution, reported, speakers  # noqa: E402
from dossier.components.quotes import extract  # noqa: E402

OUT = ROOT / "src/dossier/data/quotes" / attribution.MODEL_FILE
STEPS = 400
RATE = 0.5
L2 = 1e-4
THRESHOLDS = [round(0.2 + 0.025 * i, 3) for i in range(21)]


@dataclass
class Corpus:
    records: list[dict[str, Any]]  # quotes --json records, every candidate kept
    features: dict[int, list[int]]  # record index -> hashed features (model candidates only)
    articles: dict[str, dict[str, Any]]


def everything(*_: object) -> bool:
    return True


def load(db: Path) -> Corpus:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    corpus = Corpus([], {}, {})
    for row, mentions in qe.stored_articles(conn):
        text = row["text"]
        corpus.articles[row["id"]] = row
        masked = speakers.mask(text)
        candidates = {
            c.cue_start: attribution.hashed(attribution.features(masked, c, mentions))
            for c in reported.find(masked, mentions)
        }
        for q in extract(text, mentions, keep=everything):
            if q.kind == "scare" or q.speaker_text is None:
                continue
            if q.kind == "indirect" and q.cue_start in candidates:
                corpus.features[len(corpus.records)] = candidates[q.cue_start]
            corpus.records.append(qe.quote_record(q, row))
    return corpus


def fit(
    rows: Sequence[list[int]], labels: npt.NDArray[np.float64], l2: float = L2
) -> tuple[npt.NDArray[np.float64], float]:
    """Logistic regression by full-batch gradient descent with AdaGrad steps."""
    lengths = [len(r) for r in rows]
    sample = np.repeat(np.arange(len(rows)), lengths)
    column = np.fromiter((c for r in rows for c in r), dtype=np.int64, count=sum(lengths))
    weights = np.zeros(attribution.BUCKETS)
    bias = 0.0
    square = np.full(attribution.BUCKETS, 1e-8)
    bias_square = 1e-8
    for _ in range(STEPS):
        logits = bias + np.bincount(sample, weights=weights[column], minlength=len(rows))
        error = 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30))) - labels
        grad = np.bincount(column, weights=error[sample], minlength=attribution.BUCKETS)
        grad = grad / len(rows) + l2 * weights
        square += grad**2
        weights -= RATE * grad / np.sqrt(square)
        bias_grad = float(error.mean())
        bias_square += bias_grad**2
        bias -= RATE * bias_grad / np.sqrt(bias_square)
    return weights, bias


def predict(
    weights: npt.NDArray[np.float64], bias: float, rows: Sequence[list[int]]
) -> list[float]:
    return [1.0 / (1.0 + np.exp(-(bias + float(weights[r].sum())))) for r in rows]


def score(
    corpus: Corpus, docs: dict[str, qe.Doc], kept: set[int]
) -> tuple[qe.Scores, list[qe.Prediction], list[qe.Doc], list[int]]:
    """Scores of the records ``kept`` (indexes into corpus.records)."""
    order = sorted(kept)
    records = [corpus.records[i] for i in order]
    predictions, primary, _ = qe.load_predictions(records, corpus.articles, docs)
    scored = [d for d in docs.values() if d.stem in primary]
    return qe.score(scored, predictions), predictions, scored, order


def labels_of(corpus: Corpus, docs: dict[str, qe.Doc]) -> dict[int, tuple[str, float]]:
    """Record index -> (doc stem, 1 right / 0 wrong) for the model's candidates."""
    scores, predictions, _, order = score(corpus, docs, set(range(len(corpus.records))))
    out: dict[int, tuple[str, float]] = {}
    for p in predictions:
        record = order[p.index]
        if record not in corpus.features or p.index in scores.neutral:
            continue
        out[record] = (p.doc, 1.0 if p.index in scores.correct else 0.0)
    return out


def indirect_f1(
    corpus: Corpus, docs: dict[str, qe.Doc], kept: set[int]
) -> tuple[float, float, float]:
    scores, predictions, scored, _ = score(corpus, docs, kept)
    live = [p for p in predictions if p.index not in scores.neutral and p.kind != "direct"]
    gold = [g for d in scored for g in d.gold if g.source is not None and g.row == "indirect"]
    hits = sum(p.index in scores.correct for p in live)
    found = sum(id(g) in scores.matched for g in gold)
    return qe.prf(hits, len(live), found, len(gold))


def cross_validate(
    corpus: Corpus,
    docs: dict[str, qe.Doc],
    labels: dict[int, tuple[str, float]],
    folds: int,
    l2: float,
) -> float:
    """The threshold with the best cross-validated indirect F1 (folds by article)."""
    stems = sorted({stem for stem, _ in labels.values()})
    fold_of = {stem: i % folds for i, stem in enumerate(stems)}
    candidates = sorted(labels)
    probability: dict[int, float] = {}
    for fold in range(folds):
        train = [i for i in candidates if fold_of[labels[i][0]] != fold]
        test = [i for i in candidates if fold_of[labels[i][0]] == fold]
        weights, bias = fit(
            [corpus.features[i] for i in train], np.array([labels[i][1] for i in train]), l2
        )
        probability.update(
            zip(test, predict(weights, bias, [corpus.features[i] for i in test]), strict=True)
        )
    always = set(range(len(corpus.records))) - set(corpus.features)
    unlabelled = set(corpus.features) - set(labels)  # neutral: keep them as the model would
    best = (0.0, 0.5)
    for threshold in THRESHOLDS:
        kept = always | unlabelled | {i for i, p in probability.items() if p >= threshold}
        p, r, f = indirect_f1(corpus, docs, kept)
        print(f"threshold {threshold:.3f}: cross-validated indirect P {p:.3f} R {r:.3f} F1 {f:.3f}")
        best = max(best, (f, threshold))
    print(f"best threshold {best[1]:.3f} (cross-validated indirect F1 {best[0]:.3f})")
    return best[1]


def database(workdir: Path) -> Path:
    """The PolNeAR database of a quotes_eval.py run, made when missing."""
    db = workdir / "quotes_eval.db"
    if not db.exists():
        script = str(ROOT / "bench/quotes_eval.py")
        subprocess.run([sys.executable, script, "--all", "--workdir", str(workdir)], check=True)
    return db


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/quotes_train"))
    parser.add_argument("--data", type=Path, default=qe.DEFAULT_DATA)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--dry-run", action="store_true", help="cross-validate, write nothing")
    parser.add_argument("--l2", type=float, default=L2, help="weight decay")
    parser.add_argument(
        "--hold-out",
        type=int,
        metavar="N",
        help="leave out the N articles quotes_eval.py --n N --spread scores (to check on them)",
    )
    args = parser.parse_args(argv)
    db = database(args.workdir)
    docs = {d.stem: d for d in (qe.load_doc(*e) for e in qe.sample(args.data, None))}
    if args.hold_out:
        held = {stem for stem, _, _ in qe.sample(args.data, args.hold_out, spread=True)}
        docs = {stem: d for stem, d in docs.items() if stem not in held}
        print(f"holding out {len(held)} articles")
    corpus = load(db)
    labels = labels_of(corpus, docs)
    print(f"{len(labels)} candidates, {sum(y for _, y in labels.values()):.0f} right")
    threshold = cross_validate(corpus, docs, labels, args.folds, args.l2)
    if args.dry_run:
        return 0
    candidates = sorted(labels)
    weights, bias = fit(
        [corpus.features[i] for i in candidates],
        np.array([labels[i][1] for i in candidates]),
        args.l2,
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        OUT,
        weights=weights.astype(np.float32),
        bias=np.float64(bias),
        threshold=np.float64(threshold),
    )
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
