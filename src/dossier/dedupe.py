"""Article identity and near-duplicate fingerprints.

* The **article id** is a hash of the normalised clean text (case, punctuation and
  whitespace folded), so the same text read twice, or from two outlets, is one article.
* **Near duplicates** (syndicated copies with a sentence reworded, a lede added) are found
  with MinHash over word 4-shingles and banded locality-sensitive hashing: 42 bands of 3
  rows catch pairs whose Jaccard similarity is at or above :data:`NEAR_DUPLICATE_THRESHOLD`
  with probability > 0.99; each candidate is then confirmed on the estimated similarity.
  Texts shorter than :data:`MIN_SHINGLES` shingles are not compared (too little evidence).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import xxhash
from datasketch import MinHash

NEAR_DUPLICATE_THRESHOLD = 0.5
SHINGLE = 4
BANDS, ROWS = 42, 3
NUM_PERM = BANDS * ROWS
MIN_SHINGLES = 20

_WORD = re.compile(r"\w+")
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_SEED_MINHASH = MinHash(num_perm=NUM_PERM, seed=20240601)
_PERMUTATIONS, _SCHEME = _SEED_MINHASH.permutations, _SEED_MINHASH.scheme


@dataclass(frozen=True)
class Fingerprint:
    article_id: str
    signature: bytes | None  # MinHash values as little-endian uint64, None for short texts
    band_keys: tuple[int, ...]


def words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def article_id(text: str) -> str:
    """A stable 16-hex-digit id of the normalised text."""
    return hashlib.sha256(" ".join(words(text)).encode()).hexdigest()[:16]


def fingerprint(text: str) -> Fingerprint:
    tokens = words(text)
    ident = hashlib.sha256(" ".join(tokens).encode()).hexdigest()[:16]
    shingles = shingle_hashes(tokens)
    if len(shingles) < MIN_SHINGLES:
        return Fingerprint(ident, None, ())
    minhash = MinHash(num_perm=NUM_PERM, hashfunc=int, permutations=_PERMUTATIONS, scheme=_SCHEME)
    minhash.update_batch(shingles.tolist())
    values = minhash.hashvalues.astype("<u8")
    return Fingerprint(ident, values.tobytes(), _band_keys(values))


def shingle_hashes(tokens: list[str]) -> np.ndarray:
    """Distinct 32-bit hashes of the word ``SHINGLE``-grams, computed from per-word hashes
    (a polynomial over 64-bit word hashes, top 32 bits kept) instead of joined strings."""
    if len(tokens) < SHINGLE:
        return np.zeros(0, dtype=np.uint64)
    hashes = np.fromiter(
        (xxhash.xxh64_intdigest(t.encode()) for t in tokens), np.uint64, len(tokens)
    )
    count = len(tokens) - SHINGLE + 1
    combined = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(SHINGLE):
            combined = combined * _MULTIPLIER + hashes[offset : offset + count]
    return np.unique(combined >> np.uint64(32))


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures."""
    left = np.frombuffer(a, dtype="<u8")
    right = np.frombuffer(b, dtype="<u8")
    return float(np.count_nonzero(left == right)) / len(left)


def _band_keys(values: np.ndarray) -> tuple[int, ...]:
    keys = []
    for band in range(BANDS):
        chunk = values[band * ROWS : (band + 1) * ROWS].tobytes()
        # signed 63-bit so it fits an SQL INTEGER on every backend
        keys.append(xxhash.xxh64_intdigest(chunk, seed=band) >> 1)
    return tuple(keys)
