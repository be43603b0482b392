#!/usr/bin/env python3
"""Benchmark: the techniques component alone on real news articles.

    .venv/bin/python bench/techniques.py [--data FILE] [--n 300] [--cascade 0.6 ...]
                                         [--gate 0.2 ...] [--processes 2]

Runs ``find_spans`` (what ``dossier analyze`` runs per article: model spans, cues and scare
quotes, in the text and the title) over the first N records of the JSON Lines file (the
4,000 real news articles in ``../shared/data``, read at run time), once per cascade
threshold given: spans the static classifier is at least that sure of skip the contextual
(MiniLM) classifier; 0 means never use it, 1 always. Prints, for each, wall time, CPU time
of the process (all threads; a fair figure when other work shares the machine), articles
per second by both, the word pieces encoded per article by the contextual classifier's
encoder and those tagged by the fine-tuned span tagger. ``--gate`` runs each cascade once
per tagger gate: only sentences whose static span probability reaches the gate go through
the fine-tuned tagger (0: every sentence; above 1: none, the static tagger alone).
``--processes P`` also times the shipped configuration as ``dossier analyze`` runs it on a
big batch: ``TechniquesComponent(n_process=P)``, P worker processes of one encoder thread
each (wall time, models loaded in the workers before timing).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from dossier.components import encoder
from dossier.components.base import ArticleInput
from dossier.components.techniques import find_spans
from dossier.components.techniques_model import load
from harness import NEWS_SAMPLE


class CountingEncoder:
    """Wraps the encoder to count the word pieces it encodes."""

    def __init__(self, inner: encoder.MiniLM) -> None:
        self.inner = inner
        self.tokenizer = inner.tokenizer
        self.pieces = 0

    def encode(self, texts: list[str]) -> list[encoder.Encoded]:
        out = self.inner.encode(texts)
        self.pieces += sum(len(e.starts) for e in out)
        return out


def read(data: Path, n: int) -> list[ArticleInput]:
    out = []
    with data.open(encoding="utf-8") as f:
        for line in f:
            if len(out) >= n:
                break
            rec = json.loads(line)
            out.append(ArticleInput(str(rec["id"]), rec.get("title") or "", rec["text"]))
    return out


def run(articles: list[ArticleInput], cascade: float, gate: float) -> dict[str, float]:
    model = load()
    model.cascade = cascade
    model.tagger_gate = gate
    model._tagger = None if gate <= 1 else False  # above 1: the stacked tagger alone
    tagger = model.piece_tagger()
    tagged = tagger.pieces if tagger is not None else 0
    counter: CountingEncoder | None = None
    base = encoder.load()
    if base is not None:
        counter = CountingEncoder(base)
        model._encoder = counter if cascade > 0 else False
    spans = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for article in articles:
        spans += len(find_spans(article))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    pieces = counter.pieces if counter is not None else 0
    tagged = tagger.pieces - tagged if tagger is not None else 0
    return {"wall": wall, "cpu": cpu, "spans": spans, "pieces": pieces, "tagged": tagged}


def run_processes(articles: list[ArticleInput], processes: int) -> float:
    """Wall seconds of the component over the articles in ``processes`` workers."""
    from dossier.components.techniques import TechniquesComponent

    component = TechniquesComponent(n_process=processes)
    warm = articles[: processes * 4]
    results = component.predict([*warm, *articles])
    for _ in warm:  # workers started and models loaded
        next(results)
    started = time.perf_counter()
    for _ in results:
        pass
    return time.perf_counter() - started


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=NEWS_SAMPLE)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--cascade", type=float, nargs="+", default=None)
    ap.add_argument("--gate", type=float, nargs="+", default=None)
    ap.add_argument("--processes", type=int, default=0)
    args = ap.parse_args()
    if not args.data.exists():
        print(f"no data at {args.data}", file=sys.stderr)
        return 2
    articles = read(args.data, args.n)
    model = load()
    cascades = args.cascade if args.cascade is not None else [0.0, model.cascade]
    gates = args.gate if args.gate is not None else [model.tagger_gate]
    find_spans(articles[0])  # models loaded before timing
    print(
        f"{len(articles)} articles from {args.data}; shipped cascade {model.cascade},"
        f" tagger gate {model.tagger_gate} (tagger in use: {model.piece_tagger() is not None})"
    )
    print(
        f"{'cascade':>8} {'gate':>5} {'wall s':>7} {'cpu s':>7} {'art/s':>7} {'art/cpu-s':>9}"
        f" {'encoded/art':>11} {'tagged/art':>10}"
    )
    for cascade in cascades:
        for gate in gates:
            r = run(articles, cascade, gate)
            n = len(articles)
            print(
                f"{cascade:8.2f} {gate:5.2f} {r['wall']:7.1f} {r['cpu']:7.1f} {n / r['wall']:7.1f}"
                f" {n / r['cpu']:9.1f} {r['pieces'] / n:11.0f} {r['tagged'] / n:10.0f}"
            )
    if args.processes:
        wall = run_processes(articles, args.processes)
        print(
            f"shipped configuration in {args.processes} worker processes: {wall:.1f} s wall,"
            f" {len(articles) / wall:.1f} articles/s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
