#!/usr/bin/env python3
"""SemEval-2020 Task 11 scorer for persuasion-technique spans (PTC format).

Label files have one span a line, ``<id>\\t<technique>\\t<start>\\t<end>`` (character
offsets, end exclusive; technique names may contain commas; ``spans.labels`` style lines
``<id>\\t<start>\\t<end>`` are read too, with technique ``?``).

* **SI** (span identification, technique ignored): per article the spans of each side are
  merged where they overlap (share a character); then with S the predicted and T the gold spans,
  pooled over all articles,
  ``P = Σ_s Σ_t |s∩t| / |s| / |S|``, ``R = Σ_s Σ_t |s∩t| / |t| / |T|``, F1 their harmonic
  mean. A prediction for an article without gold spans counts in ``|S|`` only.
* **TC** (technique classification on given gold spans): micro-F1. Predictions are matched
  to gold spans by ``(id, start, end)`` (a span labelled twice in gold needs both labels),
  so P = correct / #pred, R = correct / #gold; with one prediction per gold span this is
  the accuracy.

    bench/ptc_score.py --gold techniques.labels --pred FILE [--task si|tc] [--per-technique]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

Label = tuple[str, str, int, int]  # article id, technique, start, end


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    n_pred: int
    n_gold: int


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def parse_labels(lines: Iterable[str]) -> list[Label]:
    """Parse label lines (4 columns, or 3 columns without the technique)."""
    out: list[Label] = []
    for n, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) == 3:
            cols = [cols[0], "?", cols[1], cols[2]]
        if len(cols) != 4:
            raise ValueError(f"line {n}: expected 3 or 4 tab-separated columns: {line!r}")
        aid, tech, start, end = cols
        s, e = int(start), int(end)
        if e < s:
            raise ValueError(f"line {n}: end before start: {line!r}")
        out.append((aid.strip(), tech.strip(), s, e))
    return out


def read_labels(path: str | Path) -> list[Label]:
    with open(path, encoding="utf-8") as f:
        return parse_labels(f)


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge overlapping spans (sharing a character; touching ones stay apart); drop empty."""
    merged: list[tuple[int, int]] = []
    for s, e in sorted(sp for sp in spans if sp[1] > sp[0]):
        if merged and s < merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def _by_article(labels: Iterable[Label]) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for aid, _tech, s, e in labels:
        spans[aid].append((s, e))
    return {aid: merge_spans(sp) for aid, sp in spans.items()}


def score_si(gold: Sequence[Label], pred: Sequence[Label]) -> Score:
    """Span identification P/R/F1 (technique ignored), pooled over articles."""
    g = _by_article(gold)
    p = _by_article(pred)
    n_gold = sum(len(v) for v in g.values())
    n_pred = sum(len(v) for v in p.values())
    p_sum = 0.0
    r_sum = 0.0
    for aid, pspans in p.items():
        gspans = g.get(aid, [])
        for s0, s1 in pspans:
            for t0, t1 in gspans:
                inter = min(s1, t1) - max(s0, t0)
                if inter > 0:
                    p_sum += inter / (s1 - s0)
                    r_sum += inter / (t1 - t0)
    precision = p_sum / n_pred if n_pred else 0.0
    recall = r_sum / n_gold if n_gold else 0.0
    return Score(precision, recall, _f1(precision, recall), n_pred, n_gold)


def _tc_matches(gold: Sequence[Label], pred: Sequence[Label]) -> Counter[tuple[str, str]]:
    """(gold technique, predicted technique) pairs of the spans predicted for gold spans."""
    g: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    p: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    for aid, tech, s, e in gold:
        g[(aid, s, e)].append(tech)
    for aid, tech, s, e in pred:
        p[(aid, s, e)].append(tech)
    pairs: Counter[tuple[str, str]] = Counter()
    for key, gtechs in g.items():
        left = Counter(p.get(key, []))
        rest: list[str] = []
        for t in gtechs:  # correct ones first, so double-labelled spans match best
            if left[t] > 0:
                left[t] -= 1
                pairs[(t, t)] += 1
            else:
                rest.append(t)
        others = list(left.elements())
        for t, o in zip(rest, others, strict=False):
            pairs[(t, o)] += 1
    return pairs


def score_tc(gold: Sequence[Label], pred: Sequence[Label]) -> Score:
    """Technique classification micro P/R/F1 on the gold spans."""
    pairs = _tc_matches(gold, pred)
    correct = sum(n for (t, o), n in pairs.items() if t == o)
    precision = correct / len(pred) if pred else 0.0
    recall = correct / len(gold) if gold else 0.0
    return Score(precision, recall, _f1(precision, recall), len(pred), len(gold))


def tc_per_technique(gold: Sequence[Label], pred: Sequence[Label]) -> dict[str, Score]:
    """Per-technique P/R/F1 for the TC task."""
    pairs = _tc_matches(gold, pred)
    n_gold = Counter(t for _a, t, _s, _e in gold)
    n_pred = Counter(t for _a, t, _s, _e in pred)
    out: dict[str, Score] = {}
    for tech in sorted(set(n_gold) | set(n_pred)):
        tp = pairs.get((tech, tech), 0)
        p = tp / n_pred[tech] if n_pred[tech] else 0.0
        r = tp / n_gold[tech] if n_gold[tech] else 0.0
        out[tech] = Score(p, r, _f1(p, r), n_pred[tech], n_gold[tech])
    return out


def si_per_technique(gold: Sequence[Label], pred: Sequence[Label]) -> dict[str, Score]:
    """SI scored per technique: gold spans of one technique against predictions of it."""
    techs = sorted({t for _a, t, _s, _e in gold} | {t for _a, t, _s, _e in pred})
    return {
        t: score_si([x for x in gold if x[1] == t], [x for x in pred if x[1] == t]) for t in techs
    }


def _row(name: str, s: Score) -> str:
    return f"{name:<40} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.n_pred:6d} {s.n_gold:6d}"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", required=True, help="gold labels (techniques.labels)")
    ap.add_argument("--pred", required=True, help="predicted labels")
    ap.add_argument("--task", choices=("si", "tc"), default="si")
    ap.add_argument("--per-technique", action="store_true", help="also print per technique")
    args = ap.parse_args(argv)
    gold = read_labels(args.gold)
    pred = read_labels(args.pred)
    header = f"{'':<40} {'P':>6} {'R':>6} {'F1':>6} {'#pred':>6} {'#gold':>6}"
    if args.task == "si":
        total = score_si(gold, pred)
        per = si_per_technique(gold, pred) if args.per_technique else {}
    else:
        total = score_tc(gold, pred)
        per = tc_per_technique(gold, pred) if args.per_technique else {}
    print(header)
    for tech, s in per.items():
        print(_row(tech, s))
    print(_row(f"{args.task.upper()} overall", total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
