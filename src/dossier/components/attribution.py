"""How likely a candidate reported statement is an attribution: a small logistic model.

:mod:`.reported` proposes candidates generously — every speech shape, every further verb
of the sentence, every subject-verb clause. Whether "Trump hammered Bush" attributes a
stance or only tells an act depends on the verb, its subject, what follows it; this model
weighs those signs. Its features are short strings (``cue=called for``, ``subject=he``,
``next=that``), hashed into :data:`BUCKETS` weights; ``training/quotes/train.py`` fits them
(deterministically, on the CPU) and writes ``data/quotes/attribution.npz``, which is read
once and never retrained at run time. Without that file only the speech shapes are kept.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from . import speakers
from .base import MentionRef
from .reported import Reported
from .speakers import wordset

BUCKETS = 1 << 18
MODEL_FILE = "attribution.npz"
_WORD = re.compile(r"[\w’'-]+")
_MARKS = frozenset('“”"«»„')
_AUXILIARIES = wordset(
    "has have had is was are were will would can could should may might must do does did "
    "been be being not never also still already"
)


@dataclass(frozen=True)
class AttributionModel:
    """Weights over hashed features, a bias, and the probability above which to keep."""

    weights: npt.NDArray[np.float32]
    bias: float
    threshold: float

    def probability(self, names: Sequence[str]) -> float:
        score = self.bias + float(sum(self.weights[i] for i in hashed(names)))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))

    def keeps(self, names: Sequence[str]) -> bool:
        return self.probability(names) >= self.threshold


# which candidate reported statements to keep (the masked text, the candidate, mentions)
Keep = Callable[[str, Reported, Sequence[MentionRef]], bool]


def keep(masked: str, found: Reported, mentions: Sequence[MentionRef]) -> bool:
    """The packaged model's decision; without a model, only the speech shapes are kept."""
    model = packaged()
    if model is None:
        return found.shape != "stance"
    return model.keeps(features(masked, found, mentions))


def hashed(names: Sequence[str]) -> list[int]:
    return [zlib.crc32(name.encode("utf-8")) % BUCKETS for name in names]


@lru_cache(maxsize=1)
def packaged() -> AttributionModel | None:
    """The model shipped in ``dossier/data/quotes``, or None when it has not been trained."""
    path = resources.files("dossier") / "data" / "quotes" / MODEL_FILE
    if not path.is_file():
        return None
    with resources.as_file(path) as real, np.load(real, allow_pickle=False) as data:
        return AttributionModel(
            data["weights"].astype(np.float32),
            float(data["bias"]),
            float(data["threshold"]),
        )


def features(masked: str, found: Reported, mentions: Sequence[MentionRef]) -> list[str]:
    """The signs the model weighs, as ``name=value`` strings."""
    cue = found.cue.lower().split() or [":"]
    stem = _stem(cue[-1] if cue[0] in _AUXILIARIES else cue[0])
    subject = _subject_kind(masked, found, mentions)
    after = _words(masked, found.cue_start + len(found.cue), found.cue_start + len(found.cue) + 40)
    before = _words(masked, max(0, found.speaker_start - 30), found.speaker_start)
    between = (
        _words(masked, found.speaker_end, found.cue_start)
        if found.speaker_end <= found.cue_start
        else []
    )
    content = masked[found.start : found.end]
    size = len(content.split())
    names = [
        "bias",
        f"shape={found.shape}",
        f"cue={' '.join(cue)}",
        f"stem={stem}",
        f"shape_stem={found.shape}|{stem}",
        f"subject={subject}",
        f"subject_stem={subject}|{stem}",
        f"shape_subject={found.shape}|{subject}",
        f"next={after[0] if after else '.'}",
        f"stem_next={stem}|{after[0] if after else '.'}",
        f"prev={before[-1] if before else '^'}",
        f"size={min(size, 12) // 3}",
        f"subject_size={min(len(masked[found.speaker_start : found.speaker_end].split()), 6)}",
        f"gap={min(len(between), 4)}",
    ]
    names += [f"between={w}" for w in between[-3:] if w in _AUXILIARIES or w.endswith("ly")]
    head = masked[found.speaker_start : found.speaker_end].split()
    if subject in {"phrase", "number"} and head:
        names.append(f"head={head[-1].lower()}")
    if len(after) > 1:
        names.append(f"stem_next2={stem}|{after[0]}|{after[1]}")
    outer = _stem(found.outer.split()[-1]) if found.outer else "-"
    names += [f"outer={outer}", f"outer_stem={outer}|{stem}", f"outer_subject={outer}|{subject}"]
    lexicon = _lexicon(found.cue)
    names += [
        f"lexicon={lexicon}",
        f"lexicon_subject={lexicon}|{subject}",
        f"lexicon_shape={lexicon}|{found.shape}",
    ]
    first = _words(masked, found.start, found.start + 30)
    names.append(f"content_first={first[0] if first else '.'}")
    if any(ch in _MARKS for ch in content):
        names.append("quoted")
    if found.start < found.cue_start:
        names.append("content_before")
    return names


def _lexicon(cue: str) -> str:
    """Which of our word lists holds the cue: speech verbs, reporting verbs, or neither."""
    if speakers.CUE.fullmatch(cue):
        return "speech"
    if speakers.REPORTING.fullmatch(cue):
        return "reporting"
    return "other"


def _words(masked: str, start: int, end: int) -> list[str]:
    return [w.group().lower() for w in _WORD.finditer(masked, start, max(start, end))]


def _stem(word: str) -> str:
    """A crude stem, so "denies", "denied", "denying" share weights."""
    for suffix in ("ing", "ied", "ies", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _subject_kind(masked: str, found: Reported, mentions: Sequence[MentionRef]) -> str:
    text = masked[found.speaker_start : found.speaker_end].lower()
    if text in {"he", "she", "they", "i", "we", "you", "it", "who", "which", "that"}:
        return text
    mention = next(
        (m for m in mentions if m.start < found.speaker_end and found.speaker_start < m.end),
        None,
    )
    if mention is not None:
        return mention.kind
    first = text.split()[0] if text.split() else ""
    if first[:1].isdigit() or first in {"most", "many", "some", "half", "majority", "few"}:
        return "number"
    return "phrase"
