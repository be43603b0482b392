"""Re-score the quotes component on a kept database, without re-running ingest and NER.

Usage::

    .venv/bin/python bench/quotes_eval.py --all --workdir /tmp/qe     # once: keeps the db
    .venv/bin/python bench/quotes_dev.py --workdir /tmp/qe [--n 200 --spread] [--dump F]

``quotes_eval.py`` scores what the CLI prints; this script runs the *current* quotes code
(``components.quotes.extract``) in process on the clean texts and actor mentions stored in
that database, turns the quotes into the records ``dossier quotes --json`` prints, and
scores them with the same functions. Good for fast iteration; confirm with
``quotes_eval.py`` (the CLI) before trusting a figure. ``--dump`` writes the missed gold
attributions and the false positives as JSON Lines, for error analysis.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

import quotes_eval as qe
from dossier.components.quotes import extract


def stored(db: Path) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]], float]:
    """Quote records and articles as the CLI prints them, and the seconds extract took."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    articles: dict[str, dict[str, Any]] = {}
    records: list[dict[str, Any]] = []
    spent = 0.0
    for row, mentions in qe.stored_articles(conn):
        articles[row["id"]] = row
        began = time.perf_counter()
        quotes = extract(row["text"], mentions)
        spent += time.perf_counter() - began
        for q in quotes:
            if q.kind == "scare" or q.speaker_text is None:
                continue
            records.append(qe.quote_record(q, row))
    return records, articles, spent


def dump(
    path: Path, docs: list[qe.Doc], predictions: list[qe.Prediction], scores: qe.Scores
) -> None:
    by_doc: dict[str, list[qe.Prediction]] = {}
    for p in predictions:
        by_doc.setdefault(p.doc, []).append(p)
    with path.open("w", encoding="utf-8") as out:
        for doc in docs:
            for g in doc.gold:
                if g.source is None or id(g) not in scores.miss_cause:
                    continue
                a, b = g.content[0][0], g.content[-1][1]
                if g.source:
                    a, b = min(a, g.source[0][0]), max(b, g.source[-1][1])
                near = [
                    {"kind": p.kind, "speaker": p.speaker_text, "cue": p.cue, "text": p.text}
                    for p in by_doc.get(doc.stem, [])
                    if p.tokens & g.tokens
                ]
                record = {
                    "type": "miss",
                    "doc": doc.stem,
                    "kind": g.kind,
                    "cause": scores.miss_cause[id(g)][0],
                    "source": g.source_text,
                    "cue": g.cue_text,
                    "content": g.content_text,
                    "context": doc.text[max(0, a - 80) : b + 80],
                    "predicted": near,
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        for p in predictions:
            if p.index in scores.correct:
                record = {"type": "tp", "doc": p.doc, "kind": p.kind, "speaker": p.speaker_text}
                record.update({"cue": p.cue, "text": p.text})
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            elif p.index in scores.fp_cause and p.index not in scores.neutral:
                cause, detail = scores.fp_cause[p.index]
                record = {
                    "type": "fp",
                    "doc": p.doc,
                    "kind": p.kind,
                    "cause": cause,
                    "detail": detail,
                    "speaker": p.speaker_text,
                    "cue": p.cue,
                    "text": p.text,
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, required=True, help="quotes_eval.py --workdir")
    parser.add_argument("--data", type=Path, default=qe.DEFAULT_DATA, help="PolNeAR folder")
    parser.add_argument("--n", type=int, help="score only these N articles (default: all)")
    parser.add_argument("--spread", action="store_true", help="N evenly spaced, not the first N")
    parser.add_argument("--examples", type=int, default=0, help="misses and FPs to print")
    parser.add_argument("--dump", type=Path, help="write misses and false positives here")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    db = args.workdir / "quotes_eval.db"
    if not db.exists():
        print(f"no database at {db}: run quotes_eval.py --all --workdir {args.workdir} first")
        return 1
    docs = {d.stem: d for d in (qe.load_doc(*e) for e in qe.sample(args.data, args.n, args.spread))}
    records, articles, spent = stored(db)
    predictions, primary, _ = qe.load_predictions(records, articles, docs)
    scored = [d for d in docs.values() if d.stem in primary]
    print(f"extract over {len(articles)} stored articles: {spent:.1f}s")
    scores = qe.score(scored, predictions)
    figures = qe.report(scored, predictions, scores, args.examples)
    if args.dump:
        dump(args.dump, scored, predictions, scores)
    if args.out:
        args.out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
