"""Name keys: one spelling-independent key per name, so variants meet.

``name_key("Thaçi") == name_key("Thaci") == name_key("Thachi")``; also Vučić/Vucic,
Sergei/Sergey, Lavrov's/Lavrov. The key folds accents (anyascii), case, possessives and
punctuation, then collapses the transliteration variants common in Slavic, Albanian and
Arabic names rendered in English (ch/c, sh/s, zh/z, kh/h, dj/d, y/i, ks/x, doubled letters).
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

_POSSESSIVE = re.compile(r"(?:['’`]s|s['’`])$", re.IGNORECASE)
_NON_WORD = re.compile(r"[^a-z0-9 ]+")
_FOLDS = (
    ("tch", "c"),
    ("ch", "c"),
    ("sh", "s"),
    ("zh", "z"),
    ("kh", "h"),
    ("dj", "d"),
    ("dzh", "z"),
    ("ph", "f"),
    ("ks", "x"),
    ("w", "v"),
    ("y", "i"),
    ("q", "k"),
)
_DOUBLE = re.compile(r"([a-z])\1+")
HONORIFICS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "sir",
        "dame",
        "lord",
        "lady",
        "sheikh",
        "sheik",
        "imam",
        "rev",
        "father",
    ]
)


def strip_possessive(text: str) -> str:
    return _POSSESSIVE.sub("", text.strip())


def fold(text: str) -> str:
    """Accents, case and punctuation folded: "Vučić’s" -> "vucic"."""
    ascii_text = anyascii(unicodedata.normalize("NFKC", strip_possessive(text))).lower()
    return " ".join(_NON_WORD.sub(" ", ascii_text.replace("-", " ")).split())


def word_key(word: str) -> str:
    for source, target in _FOLDS:
        word = word.replace(source, target)
    return _DOUBLE.sub(r"\1", word)


def name_key(text: str) -> str:
    """The matching key of a name (see module docstring)."""
    return " ".join(word_key(w) for w in fold(text).split() if w not in HONORIFICS)


def name_parts(text: str) -> list[str]:
    """The keyed words of a person's name, honorifics dropped."""
    return name_key(text).split()
