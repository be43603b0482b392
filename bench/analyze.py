"""Benchmark: dossier's analysis (``Catalog.analyze``) against bare spaCy on the same texts.

Usage::

    .venv/bin/python bench/analyze.py [--data FILE] [--n 1000 | --all] [--processes 2]

The data (4,000 real news articles, JSON Lines) is read at run time from ``../shared/data``
and never copied into the repository. The first N records are written to a temporary
``.jsonl`` and ingested into a fresh temporary database; then every measurement runs in its
own fresh subprocess (this script re-invoking itself with the hidden ``--child`` mode, which
prints one JSON line), so each peak RSS is that run's alone:

* dossier: ``Catalog.analyze(processes=P)`` over every stored article. The gazetteer and the
  spaCy pipeline (which ``analyze`` loads on first use) are loaded just before, timed apart as
  "setup", so the table shows both the analysis alone and setup + analysis (a cold run);
* bare spaCy: the same model dossier uses, ``spacy.load(model_name("md"), exclude=EXCLUDE)``
  and nothing added, ``list(nlp.pipe(texts, batch_size=32, n_process=P))`` over the same
  stored (clean) texts, read from the dossier database; "setup" is ``spacy.load``.

Verdicts printed at the end: the actors component's throughput against bare spaCy (its
target: at least 0.7, resolution costing at most 30% on top of NER) and the techniques
component's articles a second (its target: at least 10 on 2 cores); the whole pipeline's
throughput against bare spaCy is printed without a target.

Peak RSS: ``ru_maxrss`` of the measuring process ("main"), of its largest finished child
process (spaCy's workers when P > 1), and the largest sampled sum of the RSS of the process
and all its children (every 0.1 s with psutil; shared copy-on-write pages count once per
process, so this overstates the memory really used by forked workers).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from harness import MB, NEWS_SAMPLE, first_lines, maxrss_mb

DEFAULT_DATA = NEWS_SAMPLE
DEFAULT_N = 1000
TARGET_RATIO = 0.7  # the actors component against bare spaCy on the same texts
TECHNIQUES_TARGET = 10.0  # articles a second on 2 cores
SAMPLE_SECONDS = 0.1


# -- child side: one measurement per process ----------------------------------------------


class TreeSampler:
    """Samples the RSS of this process plus all its descendants; keeps the largest sum."""

    def __init__(self) -> None:
        self.peak = 0
        self.available = True
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            import psutil
        except ImportError:
            self.available = False
            return
        me = psutil.Process()
        while True:
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    continue
            self.peak = max(self.peak, total)
            if self._stop.wait(SAMPLE_SECONDS):
                return


def measured(setup: Callable[[], Any], work: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    """Run ``setup`` then ``work`` under the sampler; timings and peak RSS of both."""
    rss_start = maxrss_mb(resource.RUSAGE_SELF)
    with TreeSampler() as sampler:
        started = time.perf_counter()
        state = setup()
        ready = time.perf_counter()
        result = work(state)
        finished = time.perf_counter()
    result.update(
        setup_seconds=ready - started,
        seconds=finished - ready,
        rss_start_mb=rss_start,
        peak_rss_mb=maxrss_mb(resource.RUSAGE_SELF),
        peak_worker_rss_mb=maxrss_mb(resource.RUSAGE_CHILDREN),
        peak_tree_rss_mb=sampler.peak / MB if sampler.available else None,
    )
    return result


def child_ingest(data: Path, db: Path) -> dict[str, Any]:
    from dossier import Catalog

    started = time.perf_counter()
    with Catalog.open(db) as catalog:
        report = catalog.ingest([data])
    return {
        "seconds": time.perf_counter() - started,
        "added": report.added,
        "duplicates": report.duplicates,
        "rejected": len(report.rejected),
    }


def child_dossier(db: Path, processes: int) -> dict[str, Any]:
    from dossier import Catalog
    from dossier.components import FACTORIES
    from dossier.components.nlp import load

    # the techniques mode, from the parent's --techniques (children inherit the environment)
    with Catalog.open(db, techniques=os.environ.get("DOSSIER_TECHNIQUES", "full")) as catalog:

        def setup() -> None:
            # what analyze() would load on first use: the gazetteer and the spaCy pipeline
            # (cached per process, so analyze() below reuses them)
            load(catalog.model, catalog.gazetteer)

        def work(_: None) -> dict[str, Any]:
            # one component at a time, so each one's share of the pipeline shows
            seconds: dict[str, float] = {}
            analysed: dict[str, int] = {}
            for name in FACTORIES:
                started = time.perf_counter()
                report = catalog.analyze(name, processes=processes)
                seconds[name] = time.perf_counter() - started
                analysed.update(report.analysed)
            return {
                "articles": analysed.get("actors", 0),
                "model": f"{catalog.model}, techniques {catalog.techniques}",
                "component_seconds": seconds,
            }

        return measured(setup, work)


def child_spacy(db: Path, processes: int) -> dict[str, Any]:
    conn = sqlite3.connect(db)
    try:
        texts = [row[0] for row in conn.execute("SELECT text FROM articles ORDER BY num")]
    finally:
        conn.close()

    def setup() -> Any:
        import spacy

        from dossier.components.nlp import EXCLUDE, model_name

        return spacy.load(model_name("md"), exclude=EXCLUDE)

    def work(nlp: Any) -> dict[str, Any]:
        docs = list(nlp.pipe(texts, batch_size=32, n_process=processes))
        return {
            "articles": len(docs),
            "entities": sum(len(doc.ents) for doc in docs),
            "pipes": list(nlp.pipe_names),
        }

    return measured(setup, work)


def run_child(args: argparse.Namespace) -> int:
    db = Path(args.db)
    if args.child == "ingest":
        result = child_ingest(Path(args.data), db)
    elif args.child == "dossier":
        result = child_dossier(db, args.processes)
    else:
        result = child_spacy(db, args.processes)
    result["kind"] = args.child
    print(json.dumps(result))
    return 0


# -- parent side: orchestrate and report ----------------------------------------------------


def spawn(kind: str, db: Path, data: Path, processes: int) -> dict[str, Any]:
    print(f"running {kind} ...", file=sys.stderr, flush=True)
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        kind,
        "--db",
        str(db),
        "--data",
        str(data),
        "--processes",
        str(processes),
    ]
    env = dict(os.environ, PYTHONHASHSEED="0", TOKENIZERS_PARALLELISM="false")
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"child {kind} failed with exit code {done.returncode}")
    last = [line for line in done.stdout.splitlines() if line.strip()][-1]
    result: dict[str, Any] = json.loads(last)
    return result


def db_counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)

    def one(sql: str) -> int:
        return int(conn.execute(sql).fetchone()[0])

    try:
        return {
            "articles": one("SELECT count(*) FROM articles"),
            "actors": one("SELECT count(*) FROM actors"),
            "actors_mentioned": one("SELECT count(DISTINCT actor_id) FROM mentions"),
            "mentions": one("SELECT count(*) FROM mentions"),
            "sentences": one("SELECT count(*) FROM sentences"),
        }
    finally:
        conn.close()


def kinds(db: Path) -> list[tuple[str, int, int]]:
    """(kind, actors, mentions) per actor kind."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT a.kind, count(DISTINCT a.id), count(m.id) FROM actors a"
            " LEFT JOIN mentions m ON m.actor_id = a.id GROUP BY a.kind ORDER BY 3 DESC"
        ).fetchall()
        return [(str(k), int(a), int(m)) for k, a, m in rows]
    finally:
        conn.close()


def rate(articles: int, seconds: float) -> float:
    return articles / seconds if seconds > 0 else float("inf")


def print_table(rows: list[tuple[str, dict[str, Any]]]) -> None:
    header = (
        "run",
        "articles",
        "setup s",
        "run s",
        "art/s run",
        "art/s setup+run",
        "RSS main MB",
        "RSS worker MB",
        "RSS tree MB",
    )
    body = []
    for name, r in rows:
        tree = r["peak_tree_rss_mb"]
        body.append(
            (
                name,
                f"{r['articles']:,}",
                f"{r['setup_seconds']:.2f}",
                f"{r['seconds']:.2f}",
                f"{rate(r['articles'], r['seconds']):,.1f}",
                f"{rate(r['articles'], r['seconds'] + r['setup_seconds']):,.1f}",
                f"{r['peak_rss_mb']:.0f}",
                f"{r['peak_worker_rss_mb']:.0f}" if r["peak_worker_rss_mb"] > 0 else "-",
                f"{tree:.0f}" if tree is not None else "-",
            )
        )
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    for index, row in enumerate([header, *body]):
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        print("  ".join(cells))
        if index == 0:
            print("  ".join("-" * width for width in widths))


def benchmark(data: Path, n: int | None, processes: int) -> None:
    with tempfile.TemporaryDirectory(prefix="dossier-analyze-bench-") as tmp:
        workdir = Path(tmp)
        sample = workdir / "sample.jsonl"
        written = first_lines(data, n, sample)
        db = workdir / "bench.db"
        ingest = spawn("ingest", db, sample, processes)
        dossier = spawn("dossier", db, sample, processes)
        counts = db_counts(db)
        by_kind = kinds(db)
        bare = spawn("spacy", db, sample, processes)

    print(f"\ndata: {data} (first {written:,} records)")
    print(
        f"ingest: added={ingest['added']:,} duplicates={ingest['duplicates']:,}"
        f" rejected={ingest['rejected']:,} ({ingest['seconds']:.1f} s, not part of the figures)"
    )
    print(
        f"processes={processes}, cpus={os.cpu_count()}, python {sys.version.split()[0]};"
        f" model {dossier['model']!r}; bare spaCy pipes: {', '.join(bare['pipes'])}\n"
    )
    print_table([("dossier analyze", dossier), ("bare spaCy pipe", bare)])

    warm = rate(dossier["articles"], dossier["seconds"]) / rate(bare["articles"], bare["seconds"])
    cold = rate(dossier["articles"], dossier["seconds"] + dossier["setup_seconds"]) / rate(
        bare["articles"], bare["seconds"] + bare["setup_seconds"]
    )
    print(f"\nthroughput dossier/bare: {warm:.3f} (run only), {cold:.3f} (setup + run)")
    parts = dossier.get("component_seconds", {})
    bare_rate = rate(bare["articles"], bare["seconds"])
    if parts.get("actors"):  # the actors component is spaCy plus resolution: its own target
        ratio = rate(dossier["articles"], parts["actors"]) / bare_rate
        verdict = "meets" if ratio >= TARGET_RATIO else "below"
        print(f"actors component/bare: {ratio:.3f} ({verdict} the {TARGET_RATIO} target)")
    if parts.get("techniques"):
        speed = rate(dossier["articles"], parts["techniques"])
        verdict = "meets" if speed >= TECHNIQUES_TARGET else "below"
        print(
            f"techniques component: {speed:.1f} articles/s"
            f" ({verdict} the {TECHNIQUES_TARGET:g} articles/s target)"
        )
    print(
        f"\ncounts: articles analysed={dossier['articles']:,} (bare: {bare['articles']:,}),"
        f" actors created={counts['actors']:,} (with mentions: {counts['actors_mentioned']:,}),"
        f" mentions stored={counts['mentions']:,}, sentences={counts['sentences']:,};"
        f" bare spaCy entities={bare['entities']:,}"
    )
    print("by kind (actors, mentions): " + ", ".join(f"{k} {a:,}/{m:,}" for k, a, m in by_kind))
    total = sum(parts.values()) or 1.0
    print(
        "time per component: "
        + ", ".join(f"{name} {sec:.1f} s ({sec / total:.1%})" for name, sec in parts.items())
        + " (quotes target: ≤ 15% of the pipeline)"
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--data", default=str(DEFAULT_DATA), help=f"JSON Lines file (default: {DEFAULT_DATA})"
    )
    parser.add_argument(
        "--n", type=int, default=DEFAULT_N, help=f"first N records (default {DEFAULT_N:,})"
    )
    parser.add_argument("--all", action="store_true", help="every record (4,000 in the sample)")
    parser.add_argument("--processes", type=int, default=2, help="processes for spaCy (default 2)")
    parser.add_argument(
        "--techniques", choices=("full", "fast"), default="full", help="techniques model mode"
    )
    # hidden: the per-measurement child process
    parser.add_argument("--child", choices=("ingest", "dossier", "spacy"), help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return run_child(args)
    data = Path(args.data)
    if not data.is_file():
        print(f"data file not found: {data} (pass --data FILE); nothing to benchmark")
        return 0
    os.environ["DOSSIER_TECHNIQUES"] = args.techniques
    benchmark(data, None if args.all else args.n, args.processes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
