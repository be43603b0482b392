"""Score dossier's HTML path on the article-extraction benchmark (scrapinghub, 181 pages).

The data is read at run time from ``../shared/data/extraction-benchmark`` beside the repo
(``html/<id>.html.gz`` and ``ground-truth.json``); nothing of it is copied here. Each page is
decoded as ``dossier ingest`` decodes files, extracted with ``extract_html`` and cleaned with
``clean_text``; the clean text is scored with the shingle metric of ``extraction_metric``.
``--baseline`` also scores bare ``trafilatura.extract`` on the same pages, and lists the pages
where dossier does worse with the debris the cleaner cut there.

    .venv/bin/python bench/extraction.py --baseline
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from dossier.clean import clean_text, normalise_newlines
from dossier.sources.decode import DEFAULT_MAX_BYTES, DecodeError, gunzip, is_gzip, to_text
from dossier.sources.html import extract_html
from extraction_metric import PageCounts, Scores, page_counts, score

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared/data/extraction-benchmark"
WORST = 10
REGRESSION_MARGIN = 0.01
DEBRIS_SHOWN = 3
SNIPPET = 110


@dataclass(frozen=True)
class Page:
    id: str
    url: str | None
    truth: str
    error: str | None  # why the page could not be decoded
    raw: str | None  # extract_html's text, before cleaning
    clean: str | None  # what dossier keeps: the score is on this
    debris: tuple[tuple[str, str], ...]  # (rule, text) of every cut that is not whitespace
    baseline: str | None
    decode_seconds: float
    dossier_seconds: float
    baseline_seconds: float


def run_page(data: Path, page_id: str, url: str | None, truth: str, baseline: bool) -> Page:
    started = time.perf_counter()
    blob = (data / "html" / f"{page_id}.html.gz").read_bytes()
    try:
        html = to_text(gunzip(blob, DEFAULT_MAX_BYTES) if is_gzip(blob) else blob)
    except DecodeError as exc:
        seconds = time.perf_counter() - started
        return Page(page_id, url, truth, str(exc), None, None, (), None, seconds, 0.0, 0.0)
    decoded = time.perf_counter()
    extract = extract_html(html, url)
    raw = clean = None
    debris: tuple[tuple[str, str], ...] = ()
    if extract is not None:
        raw = extract.text
        cleaned = clean_text(normalise_newlines(extract.text))
        clean = cleaned.text
        debris = tuple((d.rule, d.text) for d in cleaned.debris if d.rule != "whitespace")
    extracted = time.perf_counter()
    bare = trafilatura.extract(html, url=url, include_comments=False) if baseline else None
    finished = time.perf_counter()
    return Page(
        id=page_id,
        url=url,
        truth=truth,
        error=None,
        raw=raw,
        clean=clean,
        debris=debris,
        baseline=bare,
        decode_seconds=decoded - started,
        dossier_seconds=extracted - decoded,
        baseline_seconds=finished - extracted,
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help=f"benchmark folder with html/ and ground-truth.json (default: {DEFAULT_DATA})",
    )
    parser.add_argument(
        "--baseline", action="store_true", help="also score bare trafilatura.extract"
    )
    return parser.parse_args(argv)


def snippet(text: str) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= SNIPPET else flat[: SNIPPET - 1] + "…")


def row(name: str, scores: Scores, seconds: float | None) -> str:
    timing = ""
    if seconds is not None:
        rate = scores.pages / seconds if seconds else float("inf")
        timing = f"  {seconds:7.1f} s  {rate:7.1f}"
    return (
        f"{name:<22} {scores.pages:>5}  {scores.precision:9.3f}  {scores.recall:6.3f}"
        f"  {scores.f1:6.3f}{timing}"
    )


def report(pages: list[Page], baseline: bool, wall: float) -> None:
    clean = {p.id: page_counts(p.clean, p.truth) for p in pages}
    raw = {p.id: page_counts(p.raw, p.truth) for p in pages}
    bare: dict[str, PageCounts] = (
        {p.id: page_counts(p.baseline, p.truth) for p in pages} if baseline else {}
    )

    print(f"{'system':<22} {'pages':>5}  precision  recall      F1     time  pages/s")
    print(row("dossier", score(clean.values()), sum(p.dossier_seconds for p in pages)))
    print(row("  (before clean_text)", score(raw.values()), None))
    if baseline:
        print(
            row("trafilatura (bare)", score(bare.values()), sum(p.baseline_seconds for p in pages))
        )
    decode = sum(p.decode_seconds for p in pages)
    print(f"decoding (read, gunzip, to_text): {decode:.1f} s; wall time {wall:.1f} s")
    for page in pages:
        if page.error:
            print(f"could not decode {page.id}: {page.error}")

    print(f"\n{WORST} worst pages for dossier by F1:")
    print(f"  {'F1':>5}  {'P':>5}  {'R':>5}  id")
    for page in sorted(pages, key=lambda p: (clean[p.id].f1, p.id))[:WORST]:
        counts = clean[page.id]
        precision = "-" if counts.precision is None else f"{counts.precision:.3f}"
        recall = "-" if counts.recall is None else f"{counts.recall:.3f}"
        print(f"  {counts.f1:5.3f}  {precision:>5}  {recall:>5}  {page.id}  {page.url or ''}")

    raised = sum(1 for p in pages if clean[p.id].f1 > raw[p.id].f1)
    lowered = [p for p in pages if clean[p.id].f1 < raw[p.id].f1]
    print(f"\nclean_text raised the F1 of {raised} pages and lowered it on {len(lowered)}")
    for page in sorted(lowered, key=lambda p: clean[p.id].f1 - raw[p.id].f1):
        print(f"  {page.id}  {raw[page.id].f1:.3f} -> {clean[page.id].f1:.3f}  {page.url or ''}")
        print_debris(page)

    if not baseline:
        print("\n(run with --baseline to list the pages where dossier does worse than trafilatura)")
        return
    worse = [p for p in pages if clean[p.id].f1 < bare[p.id].f1 - REGRESSION_MARGIN]
    print(
        f"\nPages where dossier's F1 is below bare trafilatura's by more than "
        f"{REGRESSION_MARGIN}: {len(worse)}"
    )
    for page in sorted(worse, key=lambda p: clean[p.id].f1 - bare[p.id].f1):
        print(
            f"  {page.id}  dossier {clean[page.id].f1:.3f} (before clean_text "
            f"{raw[page.id].f1:.3f})  trafilatura {bare[page.id].f1:.3f}  {page.url or ''}"
        )
        print_debris(page)


def print_debris(page: Page) -> None:
    """The first pieces of debris the cleaner cut on ``page`` (whitespace collapses left out)."""
    if not page.debris:
        print("    no debris cut (only whitespace)")
    for rule, text in page.debris[:DEBRIS_SHOWN]:
        print(f"    {rule}: {snippet(text)}")
    if len(page.debris) > DEBRIS_SHOWN:
        print(f"    … {len(page.debris) - DEBRIS_SHOWN} more")


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    data: Path = args.data
    truth_file = data / "ground-truth.json"
    if not truth_file.is_file() or not (data / "html").is_dir():
        print(
            f"extraction benchmark not found at {data} (needs ground-truth.json and html/); "
            "pass --data DIR. Nothing to do.",
            file=sys.stderr,
        )
        return 0
    truth: dict[str, dict[str, str]] = json.loads(truth_file.read_text(encoding="utf-8"))
    print(f"extraction benchmark: {data} ({len(truth)} pages)")
    started = time.perf_counter()
    pages = [
        run_page(data, page_id, item.get("url") or None, item["articleBody"], args.baseline)
        for page_id, item in sorted(truth.items())
    ]
    report(pages, args.baseline, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
