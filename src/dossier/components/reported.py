"""Reported (indirect) speech: who said, thought or claimed what, without quotation marks.

Three speech shapes, tried in this order on each sentence:

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

The first of those shapes that fits a sentence (a headline or transcript line "Name: …"
comes before them all) is followed by the further verbs of the sentence ("… and charged that
…", "Trump said Cruz told him …"), then by every other reporting verb with a subject right
before it, then by the subject-verb clauses of :mod:`.stances`. All are *candidates*, each
with the ``shape`` that found it: :mod:`.attribution` decides which are attributions.

Sentences are found on the masked text (see :func:`speakers.mask`), so "Mr." and "U.S."
end none. Quotation marks are the quotes component's business: this module only reads words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from . import speakers, stances
from .base import MentionRef

MIN_CONTENT_WORDS = 3
# what may follow the speaker named after the cue: ", who…", " on Monday", " in an interview"
_TAIL = re.compile(
    r"\s*(?:[,;(]|\b(?:on|in|at|during|after|before|to|of|from|for|last|this|earlier|late|"
    r"adding|referring|according|when|while|as|today|yesterday|recently|Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|Saturday|Sunday)\b)"
)
_ACCORDING = re.compile(r"\b[Aa]ccording to\s+")
_SENTENCE = re.compile(r"[^\n]+?(?:[.!?][”\"’»']*(?=\s|$)|(?=\n)|$)")
# after "told": the person told, before the content ("told reporters", "told CNN on Sunday")
_TOLD_OBJECT = re.compile(r"\s+(?:reporters|journalists|[A-Z][\w’'.-]*(?: [A-Z][\w’'.-]*){0,3})")
_TRAILING = re.compile(r"[\s.!?;:,]+$")
# a dateline opening the first paragraph: "PRISTINA —", "CULIACÁN, Mexico —", "KYIV (AP) –"
_DATELINE = re.compile(
    r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’. -]{1,40}(?:,\s*[A-Z][\w'’. -]{1,40})?\s*(?:\([\w .]{1,20}\)\s*)?"
    r"[\u2014\u2013-]\s+"
)


@dataclass(frozen=True)
class Reported:
    """One reported statement: its content and the cue and speaker spans, and the shape
    that found it (``colon``, ``last``, ``according``, ``first``, ``nested``, ``stance``)."""

    start: int
    end: int
    cue: str
    cue_start: int
    speaker_start: int
    speaker_end: int
    shape: str = ""
    outer: str = ""


def find(masked: str, mentions: Sequence[MentionRef]) -> Iterator[Reported]:
    """Candidate reported statements in the (masked) text: at most one speech shape per
    sentence, the further verbs of that sentence, and every other subject-verb clause
    (``stance``) for the attribution model to weigh. Each records the cue of the candidate
    whose content holds its own cue (``outer``: "a poll found 51 percent said …")."""
    for found in _SENTENCE.finditer(masked):
        start, end = found.start(), found.end()
        while start < end and masked[start].isspace():
            start += 1
        dateline = _DATELINE.match(masked, start, end) if _paragraph_start(masked, start) else None
        if dateline is not None:  # "MISRATA, Libya — The company …": not the content
            start = dateline.end()
        trailing = _TRAILING.search(masked, start, end)
        content_end = trailing.start() if trailing else end
        if content_end - start < 12:
            continue
        sentence = _sentence_candidates(masked, start, content_end, mentions)
        for candidate in sentence:
            outer = next(
                (
                    o.cue.lower()
                    for o in sentence
                    if o is not candidate and o.start <= candidate.cue_start < o.end
                ),
                "",
            )
            yield replace(candidate, outer=outer) if outer else candidate


def _paragraph_start(masked: str, at: int) -> bool:
    while at > 0 and masked[at - 1] in " \t":
        at -= 1
    return at == 0 or masked[at - 1] == "\n"


def _sentence_candidates(
    masked: str, start: int, end: int, mentions: Sequence[MentionRef]
) -> list[Reported]:
    found = _speech(masked, start, end, mentions)
    cues = {r.cue_start for r in found}
    for verb in _verbs(masked, start, end, mentions, cues):
        cues.add(verb.cue_start)
        found.append(verb)
    for stance in stances.find_all(masked, start, end, mentions):
        subject = stance.speaker_start, stance.speaker_end
        if (
            stance.cue_start not in cues
            and not noun_use(masked, subject, stance.cue, stance.cue_start, mentions)
            and not _ends_a_subject(masked, start, subject, mentions)
        ):
            found.append(
                Reported(
                    stance.start,
                    stance.end,
                    stance.cue,
                    stance.cue_start,
                    stance.speaker_start,
                    stance.speaker_end,
                    "stance",
                )
            )
    return found


def _verbs(
    masked: str, start: int, end: int, mentions: Sequence[MentionRef], taken: set[int]
) -> Iterator[Reported]:
    """Every other reporting verb of the sentence with a subject right before it."""
    for cue in speakers.REPORTING.finditer(masked, start, end):
        if cue.start() in taken:
            continue
        span = subject_before(masked, start, cue.start(), mentions)
        if span is None or noun_use(masked, span, cue.group("cue"), cue.start(), mentions):
            continue
        if not agrees(masked, span, cue, mentions) or _qualifies(masked, span, cue, end):
            continue
        content_start = _content_start(masked, cue, end)
        if len(masked[content_start:end].split()) >= MIN_CONTENT_WORDS:
            yield Reported(content_start, end, cue.group("cue"), cue.start(), *span, "verb")


def _speech(masked: str, start: int, end: int, mentions: Sequence[MentionRef]) -> list[Reported]:
    for shape, read in _SHAPES:
        found = read(masked, start, end, mentions)
        if found is not None:
            first = replace(found, shape=shape)
            return [first, *_nested(masked, first, end, mentions)]
    return []


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
    """ "According to X, content.", "Since May, according to X, content." and "content,
    according to X." (or without the comma); X is the noun phrase up to the next comma."""
    found = _ACCORDING.search(masked, start, end)
    if found is None:
        return None
    stop = re.search(r"[,;]", masked[found.end() : end])
    np_end = found.end() + stop.start() if stop else end
    span = speakers.pick(masked, found.end(), np_end, mentions, "inverted")
    if span is None or not _names_a_source(masked, span, mentions):
        phrase = masked[found.end() : np_end].rstrip(" .")
        if not phrase or len(phrase.split()) > 15:
            return None
        span = found.end(), found.end() + len(phrase)
    after = masked[np_end + 1 : end] if stop else ""
    if found.start() == start:  # "According to X, content."
        if len(after.split()) < MIN_CONTENT_WORDS:
            return None
        content = np_end + 1 + len(after) - len(after.lstrip())
        return Reported(content, end, "according to", found.start(), *span)
    if len(after.split()) >= MIN_CONTENT_WORDS:  # "Since May, according to X, forces have…"
        return Reported(start, end, "according to", found.start(), *span)
    content_end = masked.rfind(",", start, found.start())
    if content_end < 0:  # "Clinton leads by 271 delegates according to a count by …"
        content_end = len(masked[: found.start()].rstrip())
    if len(masked[start:content_end].split()) < MIN_CONTENT_WORDS:
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
        if (
            not agrees(masked, span, cue, mentions)
            or noun_use(masked, span, cue.group("cue"), cue.start(), mentions)
            or _qualifies(masked, span, cue, end)
        ):
            continue
        if cue.group("cue").lower() in _WEAK and not _next_to(masked, span[1], cue.start()):
            continue  # "a firm called Cambridge Analytica": not Trump's words, however near
        content_start = _content_start(masked, cue, end)
        if len(masked[content_start:end].split()) < 2:  # "Jeff Flake said he would."
            continue
        return Reported(content_start, end, cue.group("cue"), cue.start(), *span)
    return None


def _nested(
    masked: str, outer: Reported, end: int, mentions: Sequence[MentionRef]
) -> Iterator[Reported]:
    """Further statements in the same sentence, each verb with the subject right before it:
    "Trump said Cruz told him he would quit", "…, and a few lawmakers have called for …",
    "Clinton suggested that … and charged that …" (the subject of the verb before)."""
    at = max(outer.start, outer.cue_start + len(outer.cue))
    speaker = (outer.speaker_start, outer.speaker_end)
    for cue in speakers.REPORTING.finditer(masked, at, end):
        span = subject_before(masked, at, cue.start(), mentions, speaker)
        if span is None or masked[span[0] : span[1]].lower() in {"who", "which"}:
            continue
        if not agrees(masked, span, cue, mentions) or noun_use(
            masked, span, cue.group("cue"), cue.start(), mentions
        ):
            continue
        content_start = _content_start(masked, cue, end)
        if len(masked[content_start:end].split()) >= MIN_CONTENT_WORDS:
            yield Reported(content_start, end, cue.group("cue"), cue.start(), *span, "nested")
            at, speaker = cue.end(), span


def _qualifies(masked: str, span: tuple[int, int], cue: re.Match[str], end: int) -> bool:
    """A participle right after its noun that qualifies it: "The views expressed in this
    article are his own" reports nothing."""
    return (
        not masked[span[1] : cue.start()].strip()
        and cue.group("cue").endswith("ed")
        and stances.reduced_relative(masked, cue.end(), end)
    )


def _content_start(masked: str, cue: re.Match[str], end: int) -> int:
    content_start = cue.end()
    if cue.group("cue") in {"told", "tells", "telling"}:
        told = _TOLD_OBJECT.match(masked, content_start)
        if told is not None:
            content_start = told.end()
    return words_reported(masked, content_start, end)


def words_reported(masked: str, at: int, end: int) -> int:
    """Where the reported words begin after a cue ending at ``at``: punctuation, a time or
    place aside before "that" ("said on Monday that …"; not "said in a town that voted …")
    and "that" itself are no part of them."""
    while at < end and masked[at] in " ,:":
        at += 1
    aside = _ASIDE_THEN_THAT.match(masked, at, end)
    if aside is not None and not _VERB_FIRST.match(masked, aside.end()):
        return aside.end()
    if masked.startswith("that ", at):  # the content, not its conjunction
        at += 5
    return at


_VERB_FIRST = re.compile(r"(?:[a-z]+ed|is|was|are|were|has|had|have|will|would|could)\b")
_ASIDE_THEN_THAT = re.compile(
    r"(?:on|in|at|during|last|this|earlier|late|early|yesterday|today)\b"
    r"(?:(?!--)[^,.;:!?\n–—]){0,35}?,?\s+that\s+"
)


def subject_before(
    masked: str,
    start: int,
    cue_start: int,
    mentions: Sequence[MentionRef],
    previous: tuple[int, int] | None = None,
) -> tuple[int, int] | None:
    """The subject of the verb at ``cue_start``, read backwards from it: auxiliaries and
    adverbs aside, a pronoun or a mention ending there, or a short noun phrase opening its
    clause ("…, and a few Republican lawmakers have called for"); after "and"/"but", the
    subject of the verb before (``previous``)."""
    words = [
        (start + w.start(), start + w.end()) for w in re.finditer(r"\S+", masked[start:cue_start])
    ]
    while words and _helper(masked[words[-1][0] : words[-1][1]]):
        words.pop()
    if not words:
        return None
    last = masked[words[-1][0] : words[-1][1]].lower().strip(",—–-")
    if last in {"and", "but", "or"}:
        return previous
    head_end = words[-1][1]
    adjacent = speakers.adjacent_subject(masked, start, head_end, mentions)
    if adjacent is not None:
        return adjacent
    mention = next((m for m in mentions if m.end == head_end and m.start >= start), None)
    if mention is not None and not speakers.governed(masked, start, mention.start):
        return mention.start, mention.end
    first = len(words)
    while first > 0:
        word = masked[words[first - 1][0] : words[first - 1][1]]
        if word.lower() in _CLAUSE_OPENERS or word[-1] in ",;:(—–":
            break
        first -= 1
    if first == len(words):
        return None
    span = words[first][0], head_end
    if len(words) - first > 8 or not _names_a_source(masked, span, mentions):
        return None
    if _ends_a_subject(masked, start, span, mentions):
        return None
    return span


def _ends_a_subject(
    masked: str, start: int, span: tuple[int, int], mentions: Sequence[MentionRef]
) -> bool:
    """A mention governed by a preposition that only ends the subject: "Officials in the
    towns of Drniš and Knin said" is not Knin's."""
    return any(
        (m.start, m.end) == span and speakers.governed(masked, start, m.start) for m in mentions
    )


def agrees(
    masked: str, span: tuple[int, int], cue: re.Match[str], mentions: Sequence[MentionRef]
) -> bool:
    """The cue is a verb agreeing with the word before it, not a noun: "Trump support for
    …", "his 36 percent support" and "they wants" are not reports; "Trump supports", "they
    support", "aides to Sanders insist" and "Trump will support" are."""
    before = [w for w in masked[span[0] : cue.start()].split()]
    if not before or any(_helper(w) for w in before[-3:]):
        return True
    verb = cue.group("cue").split()[0].lower()
    if verb.endswith(("ed", "ing")) or verb in _PAST:
        return True
    word = before[-1].lower()
    third = verb.endswith("s") and not verb.endswith("ss")
    if word in _NOUN_MARKERS or word.endswith(("’s", "'s")):
        return False
    if word in {"he", "she", "it"}:
        return third
    if word in {"they", "we", "i", "you"}:
        return not third
    end = span[0] + masked[span[0] : cue.start()].rstrip().__len__()
    person = next((m for m in mentions if m.kind == "person" and m.end == end), None)
    if person is not None and not speakers.governed(masked, span[0], person.start):
        return third
    return True


_NOUN_MARKERS = speakers.wordset("the a an his her their its our my your percent whose")
_PAST = speakers.wordset("said told wrote thought felt saw knew found sought")


def _helper(word: str) -> bool:
    """An auxiliary, adverb or negation between a subject and its verb."""
    lower = word.lower()
    return (
        lower in _AUXILIARIES
        or lower in {"not", "never", "n’t", "n't"}
        or (lower.endswith("ly") and len(lower) > 4)
        or lower.removesuffix("n’t").removesuffix("n't") in _AUXILIARIES
    )


_CLAUSE_OPENERS = speakers.wordset(
    "and but that because when while as after before if since so although though once "
    "until unless whether where then yet"
)


_SHAPES: tuple[
    tuple[str, Callable[[str, int, int, Sequence[MentionRef]], Reported | None]], ...
] = (
    ("colon", _colon_lead),
    ("last", _source_last),
    ("according", _according),
    ("first", _source_first),
)

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
# words that are nouns as often as verbs
_NOUNS_TOO = speakers.wordset(
    "fears hopes plans claims reports calls doubts supports worries support attacks attack "
    "backing pledges question questions praise showing states rules demands promises "
    "threats offers"
)
# of those, the ones only people do: their subject is a pronoun or a person
_PERSONAL_NOUNS = speakers.wordset(
    "support attacks attack backing pledges question questions praise demands promises "
    "threats offers"
)
_PREPOSITIONS = speakers.wordset(
    "of for from among in on against by at with over about within across behind during near under"
)


def noun_use(
    masked: str, span: tuple[int, int], cue: str, cue_start: int, mentions: Sequence[MentionRef]
) -> bool:
    """A cue that is a noun here: "raising fears of outages", "his support among
    Latinos", "the Paris attacks", "in all five states" — a word of :data:`_NOUNS_TOO`
    followed by a preposition, or not right after a pronoun, a person or an auxiliary."""
    word, cue_end = cue.lower(), cue_start + len(cue)
    if word not in _NOUNS_TOO:
        return False
    following = masked[cue_end : cue_end + 20].split()
    after = following[0].lower().strip(",.") if following else ""
    if after in _PREPOSITIONS and not (after == "for" and word in {"hopes", "calls"}):
        return True
    if word in {"states", "rules"} and not (following and following[0] == "that"):
        return True
    if word not in _PERSONAL_NOUNS:
        return False
    before = masked[span[0] : cue_start].split()
    if before and (_helper(before[-1]) or before[-1].lower() in speakers.PRONOUNS | {"who"}):
        return False
    end = span[0] + len(masked[span[0] : cue_start].rstrip())
    return not any(m.kind == "person" and m.end == end for m in mentions)
