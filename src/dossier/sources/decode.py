"""Turn the bytes of an input into text: size limit, gzip, byte-order marks, encoding detection."""

from __future__ import annotations

import gzip
import io
import zlib

from charset_normalizer import from_bytes

DEFAULT_MAX_BYTES = 5 * 1024 * 1024

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


class DecodeError(ValueError):
    """The bytes cannot be turned into text; the message says why, for the user."""


def gunzip(data: bytes, max_bytes: int) -> bytes:
    """Decompress gzip data, refusing a truncated stream or one that inflates past the limit."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(max_bytes + 1)
    except (EOFError, OSError, zlib.error) as exc:
        raise DecodeError(f"truncated or corrupt gzip data ({exc})") from exc
    if len(out) > max_bytes:
        raise DecodeError(f"decompressed size exceeds the limit of {max_bytes:,} bytes")
    return out


def is_gzip(data: bytes) -> bool:
    return data[:2] == b"\x1f\x8b"


def to_text(data: bytes) -> str:
    """Decode bytes to str: BOM first, then strict UTF-8, then detection (cp1251, latin-1, …)."""
    if not data.strip():
        raise DecodeError("file is empty")
    encoding, text = _decode_any(data)
    if _control_ratio(text) > 0.05:
        raise DecodeError(f"binary file, not text (decodes as {encoding} to control characters)")
    return text


def _decode_any(data: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, _decode(data, encoding)
    utf16 = _looks_utf16(data)
    if b"\x00" in data[:4096] and not utf16:
        raise DecodeError("binary file (contains NUL bytes), not text")
    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if utf16:
        encoding = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return encoding, _decode(data, encoding)
    return _detect(data)


def _detect(data: bytes) -> tuple[str, str]:
    """charset-normalizer's candidates, re-ranked by how plausible their letters are.

    Short single-byte texts are ambiguous (latin-1 "où" reads as cp1250 "oů"); among the
    detector's candidates and the three commonest legacy code pages, take the decoding
    whose non-ASCII letters are most often ones that real text in our languages uses.
    """
    names = [m.encoding for m in from_bytes(data) if m.encoding] + list(_FALLBACKS)
    best: tuple[float, str, str] | None = None
    for name in dict.fromkeys(names):
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        score = _plausibility(text)
        if best is None or score > best[0]:
            best = (score, name, text)
    if best is None:
        raise DecodeError("cannot detect the text encoding (binary or undecodable data)")
    return best[1], best[2]


_FALLBACKS = ("cp1252", "cp1250", "cp1251")
_COMMON_LETTERS = frozenset("éèêëàâäáãåæçîïíìôöóòõøœùûüúñßÿčćđšžČĆĐŠŽÉÈÀÂÇÎÔÖÜÄÁÍÓÚÑ«»–—‘’“”„…€°·")


def _plausibility(text: str) -> float:
    sample = [ch for ch in text[:20000] if ord(ch) > 127]
    if not sample:
        return 1.0
    good = sum(1 for ch in sample if ch in _COMMON_LETTERS or "\u0400" <= ch <= "\u04ff")
    return good / len(sample)


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"invalid {encoding} text at byte {exc.start}") from exc


def _looks_utf16(data: bytes) -> bool:
    sample = data[:4096]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    return even.count(0) > 0.4 * len(even) or odd.count(0) > 0.4 * len(odd)


def _control_ratio(text: str) -> float:
    sample = text[:4096]
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return bad / max(1, len(sample))
