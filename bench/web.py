"""Benchmark: latency and throughput of the web pages on the 4,000-article news sample.

Usage::

    .venv/bin/python bench/web.py [--reuse DB] [--no-analyze] [--keep DB]
                                  [--seconds 10] [--concurrency 4]

Builds a catalog of ``../shared/data/news-sample.jsonl`` in a temporary directory (ingest,
then analyze: several minutes; ``--reuse DB`` skips the build, ``--no-analyze`` skips the
analysis, ``--keep DB`` saves the built catalog for later ``--reuse``), serves it with
uvicorn in a subprocess, and loads it from a second process (this script re-invoked with
the hidden ``--load`` mode: threads, keep-alive ``http.client`` connections). For each page
kind (catalog, actor, article, search; HTML) it reports p50/p95/p99 latency as the client
saw it and requests per second. Target: p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from harness import NEWS_SAMPLE

TARGET_P95_MS = 100.0
SERVE = (
    "import sys, uvicorn\n"
    "from dossier.web import create_app\n"
    "uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]),"
    " log_level='warning', access_log=False)\n"
)
QUERIES = [
    "police",
    "election",
    "russia",
    "trump",
    "immigration",
    "economy",
    "court",
    "china",
    "war",
    "climate",
    "health care",
    '"white house"',
    "obama AND senate",
    "terror*",
]


def build(data: Path, db: Path, analyze: bool) -> None:
    from dossier import Catalog

    with Catalog.open(db) as catalog:
        started = time.perf_counter()
        report = catalog.ingest([data])
        print(f"ingested {report.added} articles in {time.perf_counter() - started:.0f} s")
        if analyze:
            started = time.perf_counter()
            catalog.analyze(progress=True)
            print(f"analysed in {time.perf_counter() - started:.0f} s")


def urls(db: Path, n: int = 200, seed: int = 7) -> dict[str, list[str]]:
    """Sample URLs of each page kind: busy and random actors, random articles, searches."""
    rng = random.Random(seed)
    conn = sqlite3.connect(db)
    articles = [r[0] for r in conn.execute("SELECT id FROM articles")]
    actors = [r[0] for r in conn.execute("SELECT DISTINCT actor_id FROM mentions")]
    busy = [
        r[0]
        for r in conn.execute(
            "SELECT actor_id FROM mentions GROUP BY actor_id ORDER BY count(*) DESC LIMIT 20"
        )
    ]
    countries = [r[0] for r in conn.execute("SELECT DISTINCT country FROM actor_countries")]
    conn.close()
    picked = busy + rng.sample(actors, min(len(actors), n - len(busy))) if actors else []
    searches = [f"/search?q={quote(q)}" for q in QUERIES]
    searches += [f"/search?q={quote(q)}&country={c}" for q in QUERIES[:6] for c in countries[:3]]
    searches += [f"/search?q={quote(q)}&page=2" for q in QUERIES[:5]]
    return {
        "catalog": ["/"],
        "actor": [f"/actors/{a}" for a in picked] or ["/"],
        "article": [f"/articles/{a}" for a in rng.sample(articles, min(n, len(articles)))],
        "search": searches,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(db: Path, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen([sys.executable, "-c", SERVE, str(db), str(port)])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not start within 30 s")


# -- the load generator (a second process) -------------------------------------------


def load(port: int, paths: list[str], seconds: float, concurrency: int) -> dict[str, Any]:
    """First visits one at a time (nothing remembered yet), then the load from threads."""
    first: list[float] = []
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for path in dict.fromkeys(paths):
        began = time.perf_counter()
        _get(conn, path)
        first.append((time.perf_counter() - began) * 1000)
    first.sort()
    latencies: list[float] = []
    errors: list[int] = []
    stop = time.monotonic() + seconds
    threads = [
        threading.Thread(target=_worker, args=(port, paths, stop, latencies, errors, i))
        for i in range(concurrency)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    cold = {"first_p50_ms": _pct(first, 0.5), "first_p95_ms": _pct(first, 0.95)}
    return {**_summary(sorted(latencies), errors, elapsed), **cold}


def _worker(
    port: int, paths: list[str], stop: float, out: list[float], errors: list[int], seed: int
) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < stop:
        began = time.perf_counter()
        status = _get(conn, rng.choice(paths))
        out.append((time.perf_counter() - began) * 1000)
        if status != 200:
            errors.append(status)


def _get(conn: http.client.HTTPConnection, path: str) -> int:
    conn.request("GET", path, headers={"Accept": "text/html"})
    response = conn.getresponse()
    response.read()
    return response.status


def _pct(ms: list[float], p: float) -> float:
    return round(ms[min(len(ms) - 1, int(p * len(ms)))], 1) if ms else 0.0


def _summary(ms: list[float], errors: list[int], elapsed: float) -> dict[str, Any]:
    return {
        "requests": len(ms),
        "errors": len(errors),
        "p50_ms": _pct(ms, 0.50),
        "p95_ms": _pct(ms, 0.95),
        "p99_ms": _pct(ms, 0.99),
        "rps": round(len(ms) / elapsed, 1),
    }


# -- the parent -----------------------------------------------------------------------


def run_load(port: int, kind: str, paths: list[str], args: argparse.Namespace) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--load",
        str(port),
        "--seconds",
        str(args.seconds),
        "--concurrency",
        str(args.concurrency),
        "--paths",
        json.dumps(paths),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return {"page": kind, "urls": len(set(paths)), **json.loads(result.stdout)}


def print_table(rows: list[dict[str, Any]], args: argparse.Namespace) -> None:
    print(f"\n{args.concurrency} concurrent clients, {args.seconds:.0f} s per page kind (HTML)")
    print("first visits: each distinct URL once, one at a time, before the load")
    print(
        f"{'page':<9}{'urls':>5}{'1st p50':>9}{'1st p95':>9}{'requests':>9}{'errors':>7}"
        f"{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'req/s':>8}  p95 < {TARGET_P95_MS:.0f} ms"
    )
    for r in rows:
        ok = "yes" if r["p95_ms"] < TARGET_P95_MS else "NO"
        print(
            f"{r['page']:<9}{r['urls']:>5}{r['first_p50_ms']:>9}{r['first_p95_ms']:>9}"
            f"{r['requests']:>9}{r['errors']:>7}{r['p50_ms']:>8}{r['p95_ms']:>8}{r['p99_ms']:>8}"
            f"{r['rps']:>8}  {ok}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=NEWS_SAMPLE)
    parser.add_argument("--reuse", type=Path, help="an already built catalog to serve")
    parser.add_argument("--keep", type=Path, help="save the built catalog here")
    parser.add_argument("--no-analyze", action="store_true", help="ingest only")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--load", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--paths", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        print(json.dumps(load(args.load, json.loads(args.paths), args.seconds, args.concurrency)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = args.reuse or Path(tmp) / "news.db"
        if not args.reuse:
            build(args.data, db, analyze=not args.no_analyze)
            if args.keep:
                shutil.copy(db, args.keep)
        samples = urls(db)
        port = free_port()
        server = serve(db, port)
        try:
            rows = [run_load(port, kind, paths, args) for kind, paths in samples.items()]
        finally:
            server.terminate()
            server.wait(timeout=10)
    print_table(rows, args)


if __name__ == "__main__":
    main()
