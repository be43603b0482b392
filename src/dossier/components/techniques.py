"""The techniques component: persuasion techniques marked on the exact words.

Pure: clean text (and the article's actor mentions, for scare quotes) in, spans out.
Two kinds of evidence, each kept with the span:

* ``model``: the span taggers (a stacked linear tagger and a fine-tuned MiniLM tagger,
  mixed) and the technique classifier trained on the Propaganda Techniques Corpus
  (``training/techniques/train.py``, ``training/techniques/finetune.py``; shipped in the
  package);
* ``scare quote``: a word or short phrase in quotation marks that no person speaks
  (from the quotes component's rules) counts toward **Doubt**;
* ``cue: …``: a few lexical cues the model misses in headlines and short texts
  ("deep state" labels, "X Occupied Y", "the sacred land of …", "so-called …").

Every span scoring at least :data:`FLOOR` is stored; what is shown is decided later by a
threshold (:data:`SHOW_THRESHOLD` by default), so it can change without re-analysis.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from typing import Any

from .base import ArticleInput, MentionRef
from .quotes import extract

# Model scores are span probability × technique probability, mostly 0.1–0.5.
FLOOR = 0.05
SHOW_THRESHOLD = 0.25
SCARE_QUOTE_SCORE = 0.7
CUE_SCORE = 0.6

# Lexical cues the model misses on short texts and headlines: (technique, name, pattern).
CUES: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (technique, name, re.compile(pattern))
    for technique, name, pattern in (
        ("Name_Calling,Labeling", "label", r"\b[Dd]eep[- ]state\b|\bglobalist elites?\b"),
        ("Loaded_Language", "occupied-label", r"\b[A-Z][\w-]+ [Oo]ccupied [A-Z][\w-]+"),
        (
            "Flag-Waving",
            "sacred land",
            r"\bsacred (?:land|soil|homeland|ground)(?: of (?:the )?[A-Z][\w-]+)?",
        ),
        (  # the so-called “peace plan”, marks included; the so-called experts
            "Doubt",
            "so-called",
            r"\bso-called (?:[“\"][^”\"\n]{1,60}[”\"]|\w[\w -]{0,40}?(?=[,.;:]|\s[a-z–-]))",
        ),
    )
)


@dataclass(frozen=True)
class TechniqueSpan:
    start: int
    end: int
    technique: str
    score: float
    evidence: str  # "model", "scare quote", or both joined by "+"
    field: str = "text"  # offsets into the clean text, or into the title


@dataclass(frozen=True)
class TechniqueAnalysis:
    article_id: str
    spans: tuple[TechniqueSpan, ...]


class TechniquesComponent:
    """Pipeline component ``techniques``: technique spans with score and evidence.

    With ``n_process`` above 1, articles are analysed by that many worker processes (each
    loads the models once and runs its encoders on one thread), results in input order."""

    name: str = "techniques"
    # 2: stacked tagger with word vectors; 3: contextual classifier; 4: fine-tuned tagger;
    # 4.1: that tagger re-exported per channel (less int8 loss); 4.2: a soup of four runs;
    # 4.3: fewer spans go to the contextual classifier (cascade 0.3, for speed);
    # 4.3.1: the so-called cue takes the whole quote; 4.4: a soup of four LLRD runs
    version: str = "4.4"
    # the quotes component's scare quotes, when stored (else found here)
    requires: tuple[str, ...] = ("text", "mentions", "quotes")
    assigns: tuple[str, ...] = ("technique_spans",)

    def __init__(self, n_process: int = 1, techniques: str = "full", **_: object) -> None:
        """``techniques``: ``full`` (the shipped model) or ``fast`` (without the MiniLM
        networks; a version of its own, so switching re-analyses)."""
        from .techniques_model import MODES

        if techniques not in MODES:
            raise ValueError(f"unknown techniques mode {techniques!r}; known: {', '.join(MODES)}")
        self.n_process = n_process
        self.mode = techniques
        if techniques != "full":
            self.version = f"{type(self).version}-{techniques}"

    def predict(self, articles: Iterable[ArticleInput]) -> Iterator[TechniqueAnalysis]:
        work = partial(analyse, mode=self.mode)
        if self.n_process <= 1:
            yield from map(work, articles)
            return
        context = multiprocessing.get_context("spawn")  # no forked ONNX Runtime threads
        with context.Pool(self.n_process, initializer=_one_thread) as pool:
            yield from pool.imap(work, articles, chunksize=4)


def analyse(article: ArticleInput, mode: str = "full") -> TechniqueAnalysis:
    return TechniqueAnalysis(article.id, tuple(find_spans(article, mode=mode)))


def _one_thread() -> None:
    """Worker set-up: one encoder thread a process (the processes share the cores)."""
    os.environ["DOSSIER_ENCODER_THREADS"] = "1"


def find_spans(
    article: ArticleInput, floor: float = FLOOR, mode: str = "full"
) -> list[TechniqueSpan]:
    """Spans in the text, and in the title (headlines carry much of the loaded language):
    model spans scoring at least ``floor``, cue spans and scare quotes. ``mode``: the
    model's (:func:`.techniques_model.load`).

    NumPy's BLAS runs on one thread meanwhile: its products here are small, and its idle
    threads would spin on the cores the ONNX Runtime networks need (measured with
    ``bench/techniques.py --processes 2``: 8.1 articles/s without the limit, 9.4 with)."""
    with _thread_pools().limit(limits=1, user_api="blas"):
        return _article_spans(article, floor, mode)


@lru_cache(maxsize=1)
def _thread_pools() -> Any:
    """The process's native thread pools (NumPy's BLAS among them), found once."""
    import numpy  # noqa: F401  (its BLAS must be loaded to be found)
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _article_spans(article: ArticleInput, floor: float, mode: str) -> list[TechniqueSpan]:
    title = (
        [replace(s, field="title") for s in _spans(article.title, floor=floor, mode=mode)]
        if article.title
        else []
    )
    return title + _spans(article.text, article.mentions, article.scare_quotes, floor, mode)


def _spans(
    text: str,
    mentions: tuple[MentionRef, ...] = (),
    scare_quotes: tuple[tuple[int, int], ...] | None = None,
    floor: float = FLOOR,
    mode: str = "full",
) -> list[TechniqueSpan]:
    """Model, cue and scare-quote spans of one text; ``scare_quotes`` are the stored ones
    (found here, with the quotes component's rules, when ``None``)."""
    from .techniques_model import load

    found: dict[tuple[int, int, str], TechniqueSpan] = {}
    for span in load(mode).predict_spans(text):  # the model's tuned span threshold
        if span.score >= floor:
            found[(span.start, span.end, span.technique)] = TechniqueSpan(
                span.start, span.end, span.technique, span.score, "model"
            )
    for technique, name, pattern in CUES:
        for cue in pattern.finditer(text):
            key = (cue.start(), cue.end(), technique)
            known = found.get(key)
            score = max(CUE_SCORE, known.score if known else 0.0)
            found[key] = TechniqueSpan(cue.start(), cue.end(), technique, score, f"cue: {name}")
    if scare_quotes is None:
        scare_quotes = tuple((q.start, q.end) for q in extract(text, mentions) if q.kind == "scare")
    for start, end in scare_quotes:
        key = (start, end, "Doubt")
        known = found.get(key)
        score = max(SCARE_QUOTE_SCORE, known.score if known else 0.0)
        evidence = "model+scare quote" if known else "scare quote"
        found[key] = TechniqueSpan(start, end, "Doubt", score, evidence)
    return sorted(found.values(), key=lambda s: (s.start, -s.end))
