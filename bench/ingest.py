"""Benchmark: ingest the shared news sample with dossier and with a bare SQLite FTS5 baseline.

Usage::

    .venv/bin/python bench/ingest.py [--data FILE] [--profile]

The data (4,000 real news articles, JSON Lines) is read at run time from ``../shared/data``
and never copied into the repository. Every measurement runs in its own fresh subprocess
(this script re-invoking itself with the hidden ``--child`` mode), so the peak RSS reported
is that run's alone. The child prints one JSON line; the parent collects it, checkpoints the
database and measures it on disk, and prints a table.

Figures:

* dossier: ``Catalog.ingest`` of the whole file into a fresh temporary database, default
  options (JSON Lines are streamed a record at a time);
* baseline: ``json.loads`` per line + one ``INSERT`` per article into an FTS5 table
  (title, text; ``unicode61 remove_diacritics 2``), WAL mode, one transaction;
* dossier on the first 1,000 articles, to show whether peak RSS grows with the input.

``--profile`` instead runs cProfile on the dossier ingest of 1,000 articles (in a child) and
prints the 25 functions with the largest cumulative time, then the top dossier functions.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from harness import MB, NEWS_SAMPLE, first_lines, maxrss_mb

DEFAULT_DATA = NEWS_SAMPLE
SMALL_N = 1000
PROFILE_TOP = 25


# -- child side: one measurement per process ---------------------------------------------


def child_dossier(data: Path, db: Path, profile_out: Path | None) -> dict[str, Any]:
    from dossier import Catalog

    rss_ready = maxrss_mb()  # interpreter + imports, before any article is read
    profiler = None
    if profile_out is not None:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    with Catalog.open(db) as catalog:
        report = catalog.ingest([data])
    seconds = time.perf_counter() - start
    if profiler is not None and profile_out is not None:
        profiler.disable()
        profiler.dump_stats(str(profile_out))
    return {
        "seconds": seconds,
        "peak_rss_mb": maxrss_mb(),
        "rss_ready_mb": rss_ready,
        "added": report.added,
        "duplicates": report.duplicates,
        "near_duplicates": report.near_duplicates,
        "rejected": len(report.rejected),
        "rejected_examples": [str(r) for r in report.rejected[:3]],
    }


def child_baseline(data: Path, db: Path) -> dict[str, Any]:
    rss_ready = maxrss_mb()
    start = time.perf_counter()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(
        "CREATE VIRTUAL TABLE articles USING fts5("
        "title, text, tokenize='unicode61 remove_diacritics 2')"
    )
    inserted = 0
    conn.execute("BEGIN")
    with data.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            record = json.loads(line)
            conn.execute(
                "INSERT INTO articles (title, text) VALUES (?, ?)",
                (record.get("title") or "", record.get("text") or ""),
            )
            inserted += 1
    conn.execute("COMMIT")
    conn.close()
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "peak_rss_mb": maxrss_mb(),
        "rss_ready_mb": rss_ready,
        "added": inserted,
    }


def run_child(args: argparse.Namespace) -> int:
    data, db = Path(args.data), Path(args.db)
    profile_out = Path(args.profile_out) if args.profile_out else None
    if args.child == "dossier":
        result = child_dossier(data, db, profile_out)
    else:
        result = child_baseline(data, db)
    result["kind"] = args.child
    result["n"] = args.n
    print(json.dumps(result))
    return 0


# -- parent side: orchestrate, measure on disk, report ------------------------------------


def db_size_mb(db: Path) -> float:
    """Size on disk after a WAL checkpoint: the main file plus whatever -wal remains."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    total = 0
    for suffix in ("", "-wal"):
        part = Path(f"{db}{suffix}")
        if part.exists():
            total += part.stat().st_size
    return total / MB


def count_lines(path: Path) -> int:
    with path.open(encoding="utf-8") as lines:
        return sum(1 for line in lines if line.strip())


def spawn(
    kind: str, data: Path, n: int, db: Path, profile_out: Path | None = None
) -> dict[str, Any]:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        kind,
        "--n",
        str(n),
        "--data",
        str(data),
        "--db",
        str(db),
    ]
    if profile_out is not None:
        command += ["--profile-out", str(profile_out)]
    env = dict(os.environ, PYTHONHASHSEED="0")
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"child {kind} (n={n}) failed with exit code {done.returncode}")
    last = [line for line in done.stdout.splitlines() if line.strip()][-1]
    result: dict[str, Any] = json.loads(last)
    if profile_out is None:
        result["db_mb"] = db_size_mb(db)
    accounted = result["added"] + result.get("duplicates", 0) + result.get("rejected", 0)
    if accounted < n or (kind == "dossier" and result["added"] == 0):
        examples = "; ".join(result.get("rejected_examples", []))
        raise SystemExit(
            f"child {kind} (n={n}) accounted for only {accounted} of {n} articles"
            f" (added={result['added']}); rejected e.g.: {examples or '-'}"
        )
    return result


def measure(kind: str, data: Path, n: int, workdir: Path) -> dict[str, Any]:
    db = workdir / f"{kind}-{n}.db"
    label = f"{kind} n={n:,}"
    print(f"running {label} ...", file=sys.stderr, flush=True)
    result = spawn(kind, data, n, db)
    result["rate"] = n / result["seconds"] if result["seconds"] > 0 else float("inf")
    return result


def print_table(rows: list[tuple[str, dict[str, Any]]]) -> None:
    header = (
        "run",
        "articles",
        "wall s",
        "articles/s",
        "RSS ready MB",
        "peak RSS MB",
        "db MB",
    )
    body = [
        (
            name,
            f"{r['n']:,}",
            f"{r['seconds']:.2f}",
            f"{r['rate']:,.0f}",
            f"{r['rss_ready_mb']:.1f}",
            f"{r['peak_rss_mb']:.1f}",
            f"{r['db_mb']:.1f}",
        )
        for name, r in rows
    ]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    for index, row in enumerate([header, *body]):
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        print("  ".join(cells))
        if index == 0:
            print("  ".join("-" * width for width in widths))


def benchmark(data: Path) -> None:
    total = count_lines(data)
    with tempfile.TemporaryDirectory(prefix="dossier-bench-") as tmp:
        workdir = Path(tmp)
        small = workdir / f"first-{SMALL_N}.jsonl"
        small_n = first_lines(data, SMALL_N, small)
        dossier_full = measure("dossier", data, total, workdir)
        baseline = measure("baseline", data, total, workdir)
        dossier_small = measure("dossier", small, small_n, workdir)

    print(f"\ndata: {data} ({total:,} articles, {data.stat().st_size / MB:.1f} MB)")
    print(f"python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}\n")
    print_table(
        [
            ("dossier ingest", dossier_full),
            ("baseline json+FTS5", baseline),
            (f"dossier ingest (first {small_n:,})", dossier_small),
        ]
    )
    print(
        f"\ndossier report ({total:,}): added={dossier_full['added']:,}"
        f" duplicates={dossier_full['duplicates']:,}"
        f" near_duplicates={dossier_full['near_duplicates']:,}"
        f" rejected={dossier_full['rejected']:,}"
    )
    for example in dossier_full["rejected_examples"]:
        print(f"  rejected e.g. {example}")
    print(
        f"dossier report ({small_n:,}): added={dossier_small['added']:,}"
        f" duplicates={dossier_small['duplicates']:,}"
        f" near_duplicates={dossier_small['near_duplicates']:,}"
        f" rejected={dossier_small['rejected']:,}"
    )
    print(f"baseline rows inserted: {baseline['added']:,}")
    ratio = dossier_full["rate"] / baseline["rate"]
    print(
        f"\nthroughput dossier/baseline: {ratio:.3f}"
        f" ({dossier_full['rate']:,.0f} vs {baseline['rate']:,.0f} articles/s;"
        f" baseline is {1 / ratio:.1f}x faster)"
    )
    print(
        f"db size dossier/baseline: {dossier_full['db_mb'] / baseline['db_mb']:.2f}"
        f" ({dossier_full['db_mb']:.1f} vs {baseline['db_mb']:.1f} MB)"
    )
    growth = dossier_full["peak_rss_mb"] - dossier_small["peak_rss_mb"]
    print(
        f"peak RSS dossier {small_n:,} vs {total:,} articles:"
        f" {dossier_small['peak_rss_mb']:.1f} vs {dossier_full['peak_rss_mb']:.1f} MB"
        f" ({growth:+.1f} MB; {growth / max(total - small_n, 1) * 1024:.1f} KB per extra article)"
    )


def profile(data: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="dossier-profile-") as tmp:
        workdir = Path(tmp)
        small = workdir / f"first-{SMALL_N}.jsonl"
        n = first_lines(data, SMALL_N, small)
        stats_file = workdir / "ingest.prof"
        print(f"profiling dossier ingest of {n:,} articles ...", file=sys.stderr, flush=True)
        result = spawn("dossier", small, n, workdir / "profile.db", stats_file)
        print(
            f"dossier ingest of {n:,} articles under cProfile: {result['seconds']:.2f} s"
            f" (added={result['added']:,} duplicates={result['duplicates']:,}"
            f" near_duplicates={result['near_duplicates']:,} rejected={result['rejected']:,})\n"
        )
        stats = pstats.Stats(str(stats_file), stream=sys.stdout)
        print(f"top {PROFILE_TOP} functions by cumulative time:")
        stats.sort_stats(pstats.SortKey.CUMULATIVE).print_stats(PROFILE_TOP)
        print("functions in src/dossier by own (total) time:")
        stats.sort_stats(pstats.SortKey.TIME).print_stats(r"src/dossier/", 15)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--data", default=str(DEFAULT_DATA), help=f"JSON Lines file (default: {DEFAULT_DATA})"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help=f"cProfile the dossier ingest of {SMALL_N:,} articles instead of benchmarking",
    )
    # hidden: the per-measurement child process
    parser.add_argument("--child", choices=("dossier", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--profile-out", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return run_child(args)
    data = Path(args.data)
    if not data.is_file():
        print(f"data file not found: {data} (pass --data FILE); nothing to benchmark")
        return 0
    if args.profile:
        profile(data)
    else:
        benchmark(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
