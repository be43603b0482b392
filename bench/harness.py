"""What the benchmarks share: where the shared data is, peak RSS, sample files."""

from __future__ import annotations

import resource
import sys
from pathlib import Path

MB = 1024 * 1024
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
NEWS_SAMPLE = SHARED_DATA / "news-sample.jsonl"


def maxrss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size in MB (``ru_maxrss`` is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / MB if sys.platform == "darwin" else peak / 1024


def first_lines(source: Path, n: int | None, target: Path) -> int:
    """Write the first ``n`` (all if None) non-blank lines of ``source`` to ``target``."""
    written = 0
    with source.open(encoding="utf-8") as src, target.open("w", encoding="utf-8") as out:
        for line in src:
            if n is not None and written >= n:
                break
            if line.strip():
                out.write(line if line.endswith("\n") else line + "\n")
                written += 1
    return written
