"""Reported (indirect) speech: who said, thought or claimed what, without quotation marks.

Three shapes, tried in this order on each sentence:

* **source last**: "The approach is made possible by its resources, said Katie Harbath." /
  "Now, she said, the Christians and Muslims don't mix much." — a speech cue after a comma,
  with the speaker next to it; the content is the rest of the sentence;
* **according to**: "According to the ministry, the border stays closed." / "…, according
  to two officials.";
* **source first**: "Mr. Sanders's aides said he intended to spend…", "Bolton called the
  plan a disgrace", "Half of GOP voters said they were angry" — a reporting verb (speech,
  but also the stances and beliefs news writing attributes: *believes*, *accused*, *wants*)
  whose subject is a person, a pronoun, another actor, or a short noun phrase; the content
  is what follows the verb ("that" included) to the end of the sentence.

Sentences are found on the masked text (see :func:`speakers.mask`), so "Mr." and "U.S."
end none. Quotation marks are the quotes component's business: this module only reads words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from . import speakers
from .base import MentionRef

MIN_CONTENT_WORDS = 3
# what may follow the speaker named after the cue: ", who…", " on Monday", " in an interview"
_TAIL = re.compile(
    r"\s*(?:[,;(]|\b(?:on|in|at|during|after|before|to|of|from|for|last|this|earlier|late|"
    r"adding|referring|according|when|while|as)\b)"
)
_ACCORDING = re.compile(r"\b[Aa]ccording to\s+")
_SENTENCE = re.compile(r"[^\n]+?(?:[.!?][”\"’»']*(?=\s|$)|(?=\n)|$)")
# after "told": the person told, before the content ("told reporters", "told CNN on Sunday")
_TOLD_OBJECT = re.compile(r"\s+(?:reporters|journalists|[A-Z][\w’'.-]*(?: [A-Z][\w’'.-]*){0,3})")
_TRAILING = re.compile(r"[\s.!?;:,]+$")


@dataclass(frozen=True)
class Reported:
    """One reported statement: its content and the cue and speaker spans."""

    start: int
    end: int
    cue: str
    cue_start: int
    speaker_start: int
    speaker_end: int


def find(masked: str, mentions: Sequence[MentionRef]) -> Iterator[Reported]:
    """Reported statements in the (masked) text, one at most per sentence."""
    for found in _SENTENCE.finditer(masked):
        start, end = found.start(), found.end()
        while start < end and masked[start].isspace():
            start += 1
        trailing = _TRAILING.search(masked, start, end)
        content_end = trailing.start() if trailing else end
        if content_end - start < 12:
            continue
        reported = (
            _colon_lead(masked, start, content_end, mentions)
            or _source_last(masked, start, content_end, mentions)
            or _according(masked, start, content_end, mentions)
            or _source_first(masked, start, content_end, mentions)
        )
        if reported is None:
            continue
        yield reported
        yield from _nested(masked, reported, content_end, mentions)


def _source_last(
    masked: str, start: int, end: int, mentions: Sequence[MentionRef]
) -> Reported | None:
    """ "…, said Katie Harbath." / "…, she said, …" / "…, the senator told reporters.\""""
    for cue in reversed(list(speakers.CUE.finditer(masked, start, end))):
        comma = masked.rfind(",", start, cue.start())
        if comma < 0:
            continue
        between = masked[comma + 1 : cue.start()]
        if between.strip():  # "…, she said"
            if len(between.split()) > 8:
                continue
            span = speakers.pick(masked, comma + 1, cue.start(), mentions, "after")
        else:  # "…, said Katie Harbath"
            stop = re.search(
                r"[,;(]|\s(?:who|which|in|on|at|during|after|adding)\s", masked[cue.end() : end]
            )
            np_end = cue.end() + stop.start() if stop else end
            span = speakers.pick(masked, cue.end(), np_end, mentions, "inverted")
        if span is None or not _names_a_source(masked, span, mentions):
            continue
        rest = masked[max(cue.end(), span[1]) : end]
        if any(mark in rest for mark in '“”"«»„') or "''" in rest:
            continue  # "…, he said, “I hope not.”": the quotation's own cue
        if rest.strip() and not _TAIL.match(rest):
            # "…, say they feel that way" / "In the zone, traders say business is poor":
            # a clause follows the cue, so the source comes first
            continue
        if (
            between.strip()
            and rest.lstrip().startswith(",")
            and len(rest.split()) > MIN_CONTENT_WORDS
        ):
            # "Now, she said, the Christians … don't mix much.": both sides are the content
            return Reported(start, end, cue.group("cue"), cue.start(), *span)
        if len(rest.split()) > 6 or len(masked[start:comma].split()) < MIN_CONTENT_WORDS:
            continue  # "At the end of the war, the army estimated that …": source first
        return Reported(start, comma, cue.group("cue"), cue.start(), *span)
    return None


def _colon_lead(
    masked: str, start: int, end: int, mentions: Sequence[MentionRef]
) -> Reported | None:
    """A line "Former AG Mukasey at RNC: Clinton email scandal disqualifies her" (a
    headline) or "TAPPER: Do you think …" (a transcript): the line is the speaker's."""
    colon = masked.find(": ", start, end)
    if colon < 0 or not (start == 0 or masked[start - 1] == "\n"):
        return None
    line_end = masked.find("\n", start)
    line_end = len(masked) if line_end < 0 else line_end
    lead = masked[start:colon]
    if len(lead.split()) > 8 or len(masked[colon:line_end].split()) <= MIN_CONTENT_WORDS:
        return None
    if any(mark in masked[start:line_end] for mark in '“”"«»„') or "''" in masked[start:line_end]:
        return None  # quotations have their own attribution
    span = speakers.pick(masked, start, colon, mentions, "colon")
    named = span is not None and any(m.start == span[0] and m.kind == "person" for m in mentions)
    if not named and _dateline_name(lead):  # "TAPPER:", "JAKE TAPPER:"
        span, named = (start, colon), True
    if span is None or not named:
        return None
    content_end = len(masked[:line_end].rstrip(" .!?"))
    return Reported(colon + 2, content_end, ":", colon, *span)


def _dateline_name(lead: str) -> bool:
    words = lead.split()
    return 1 <= len(words) <= 3 and all(w.isupper() and w.isalpha() and len(w) > 1 for w in words)


def _according(
    masked: str, start: int, end: int, mentions: Sequence[MentionRef]
) -> Reported | None:
    found = _ACCORDING.search(masked, start, end)
    if found is None:
        return None
    stop = re.search(r"[,;]", masked[found.end() : end])
    np_end = found.end() + stop.start() if stop else end
    span = speakers.pick(masked, found.end(), np_end, mentions, "inverted")
    if span is None or not _names_a_source(masked, span, mentions):
        return None
    if found.start() == start:  # "According to X, content."
        if stop is None or len(masked[np_end + 1 : end].split()) < MIN_CONTENT_WORDS:
            return None
        content = (
            np_end + 1 + len(masked[np_end + 1 : end]) - len(masked[np_end + 1 : end].lstrip())
        )
        return Reported(content, end, "according to", found.start(), *span)
    # "content, according to X."
    content_end = masked.rfind(",", start, found.start())
    if content_end < 0 or len(masked[start:content_end].split()) < MIN_CONTENT_WORDS:
        return None
    return Reported(start, content_end, "according to", found.start(), *span)


def _source_first(
    masked: str, start: int, end: int, mentions: Sequence[MentionRef]
) -> Reported | None:
    """ "X said (that) …", "X called the plan a disgrace", "Half of the voters said …"."""
    for cue in speakers.REPORTING.finditer(masked, start, end):
        if cue.start() - start > 0.8 * (end - start) + 20:
            return None
        span = speakers.pick(masked, start, cue.start(), mentions, "before")
        if span is None or not _names_a_source(masked, span, mentions):
            continue
        if cue.group("cue").lower() in _NOUNS_TOO and masked.startswith(" of ", cue.end()):
            continue  # "raising fears of winter outages": a noun here
        if cue.group("cue").lower() in _WEAK and not _next_to(masked, span[1], cue.start()):
            continue  # "a firm called Cambridge Analytica": not Trump's words, however near
        content_start = cue.end()
        if cue.group("cue") in {"told", "tells", "telling"}:
            told = _TOLD_OBJECT.match(masked, content_start)
            if told is not None:
                content_start = told.end()
        while content_start < end and masked[content_start] in " ,:":
            content_start += 1
        if masked.startswith("that ", content_start):  # the content, not its conjunction
            content_start += 5
        if len(masked[content_start:end].split()) < 2:  # "Jeff Flake said he would."
            continue
        return Reported(content_start, end, cue.group("cue"), cue.start(), *span)
    return None


def _nested(
    masked: str, outer: Reported, end: int, mentions: Sequence[MentionRef]
) -> Iterator[Reported]:
    """Further statements in the same sentence, with a pronoun or a name right before the
    verb: "Trump said Cruz told him he would quit", "… and she said the plan failed"."""
    at = max(outer.start, outer.cue_start + len(outer.cue))
    for cue in speakers.REPORTING.finditer(masked, at, end):
        span = speakers.adjacent_subject(masked, at, cue.start(), mentions)
        if span is None or masked[span[0] : span[1]].lower() in {"who", "which"}:
            continue
        content_start = cue.end()
        while content_start < end and masked[content_start] in " ,:":
            content_start += 1
        if masked.startswith("that ", content_start):
            content_start += 5
        if len(masked[content_start:end].split()) >= MIN_CONTENT_WORDS:
            yield Reported(content_start, end, cue.group("cue"), cue.start(), *span)
            at = cue.end()


_NOUN_PHRASE_STOP = frozenset(
    [
        "is",
        "was",
        "are",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "must",
        "not",
        "who",
        "which",
        "that",
        "if",
        "when",
        "because",
        "while",
        "where",
    ]
)


def _names_a_source(masked: str, span: tuple[int, int], mentions: Sequence[MentionRef]) -> bool:
    """A mention, a pronoun, or a short noun phrase with no verb in it."""
    if any(m.start == span[0] and m.end == span[1] for m in mentions):
        return True
    words = [w.lower() for w in masked[span[0] : span[1]].split()]
    if len(words) == 1 and words[0] in speakers.PRONOUNS | {"who"}:
        return words[0] != "it"
    if not words or words[0].endswith("ing") or words[0] in speakers.INTRODUCERS:
        return False  # "pointing to bottles of …", "Moreover"
    last = words[-1].strip("’'")
    if last in _DANGLING or last.endswith(("ly", "’s", "'s")):
        return False  # "Immediately after the", "Editor’s", "Some"
    timely = words[0] in _TIME_OPENERS or set(words) <= _TIME_WORDS | _DANGLING  # "Last week"
    return len(words) <= 8 and not _NOUN_PHRASE_STOP & set(words) and not timely


def _next_to(masked: str, subject_end: int, cue_start: int) -> bool:
    """Only adverbs and auxiliaries between a subject and its verb."""
    between = masked[subject_end:cue_start].lower().split()
    return all(w in _AUXILIARIES or w.endswith("ly") for w in between)


_TIME_WORDS = speakers.wordset(
    "week weeks year years month months day days today yesterday tomorrow night morning "
    "afternoon evening monday tuesday wednesday thursday friday saturday sunday time"
)

# verbs that report only with their subject right before them ("Most voters think …",
# not "… including a firm called Cambridge Analytica")
_WEAK = speakers.wordset("called named see sees saw know decided prefer preferred")
_AUXILIARIES = speakers.wordset(
    "has have had is was are were will would can could should may might must do does did "
    "also still not never always even then now already just long previously"
)
_DANGLING = speakers.wordset(
    "the a an of to in for on at by with from some his her their its our this that these "
    "those any each every all often"
)
_TIME_OPENERS = _TIME_WORDS | speakers.wordset("last this next earlier later even every each")
_NOUNS_TOO = speakers.wordset("fears hopes plans claims reports calls doubts supports worries")
