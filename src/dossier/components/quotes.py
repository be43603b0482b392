"""The quotes component: who said what, in the article's own words.

Pure: clean text and the article's actor mentions in, typed quotes out.

* **Direct quotes** in every quotation style (“ ” " " « » „ “ ‚ ‘ ’ ‹ › and doubled ''),
  nested quotes inside, a quote split around its cue ("…," he said, "…"), a quote running
  over several paragraphs (an opening mark at each paragraph start, closed only at the
  end), and a missing closing mark (the quote stops at the paragraph end).
* **Speakers** are read by :mod:`.speakers` from the words around the cue and resolved
  to the actor mention at that place; a pronoun goes to the nearest preceding person, a
  relative pronoun to the actor before it. A later quote of the same paragraph with no cue
  of its own, a quote paragraph after a paragraph ending in ":", and a quote paragraph
  right after an attributed one take that speaker. When no speaker can be found, the quote
  is kept with the reason.
* **Partial quotes**: quoted words inside a reported clause ("said the plan was “a
  disaster”") make the clause the attribution (``kind="indirect"``).
* **Indirect speech** with no quotation marks comes from :mod:`.reported`.
* **Scare quotes**: a word or short phrase in quotation marks with no speaker
  ("independence", "peace and stability") is kept apart as ``kind="scare"``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from . import attribution, reported, speakers
from .base import ArticleInput, MentionRef

# opening mark -> the marks that close it (scraped text mixes straight and curly marks)
PAIRS = {"“": "”", "«": "»", "„": "“”", "‚": "‘’", "‘": "’", "‹": "›", '"': '"”', "»": "«"}
SCARE_MAX_WORDS = 4
_PRONOUNS_LOWER = speakers.PRONOUNS
_NOT_SPEAKERS = frozenset(
    [
        "The",
        "A",
        "An",
        "Of",
        "And",
        "But",
        "Or",
        "So",
        "Yet",
        "If",
        "When",
        "While",
        "As",
        "After",
        "Before",
        "Wait",
        "Having",
        "One",
        "This",
        "That",
        "These",
        "Those",
        "There",
        "Here",
        "It",
        "Its",
        "What",
        "Why",
        "How",
        "Who",
        "Where",
        "Yes",
        "No",
        "Oh",
        "Well",
        "Still",
        "Now",
        "Then",
        "Asked",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
    ]
)
_ACCORDING_TO = re.compile(r"\b[Aa]ccording to\s+")


@dataclass(frozen=True)
class Quote:
    kind: str  # direct | indirect | scare
    start: int
    end: int
    text: str
    cue: str | None = None
    cue_start: int | None = None
    speaker_text: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    actor_id: int | None = None
    speaker_name: str | None = None
    speaker_kind: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class QuoteAnalysis:
    article_id: str
    quotes: tuple[Quote, ...]


class QuotesComponent:
    """Pipeline component ``quotes``: direct, indirect and scare quotes with speakers."""

    name: str = "quotes"
    version: str = "5.1"
    requires: tuple[str, ...] = ("text", "mentions")
    assigns: tuple[str, ...] = ("quotes",)

    def __init__(self, **_: object) -> None:
        pass

    def predict(self, articles: Iterable[ArticleInput]) -> Iterator[QuoteAnalysis]:
        for article in articles:
            yield QuoteAnalysis(article.id, tuple(extract(article.text, article.mentions)))


def extract(
    text: str, mentions: tuple[MentionRef, ...] = (), keep: attribution.Keep | None = None
) -> list[Quote]:
    """Direct, indirect and scare quotes. ``keep`` decides which candidate reported
    statements are attributions (default: the packaged attribution model)."""
    found = [q for q in quotations(text) if not _part_of_a_name(text, q, mentions)]
    masked = speakers.mask(text)
    quotes = [
        _attribute(text, masked, q, mentions, found[i - 1] if i else None)
        for i, q in enumerate(found)
    ]
    quotes = _carry_split_quotes(text, quotes)
    quotes = _carry_colon_paragraphs(text, masked, quotes, mentions)
    quotes = _carry_paragraphs(text, quotes)
    # quoted words inside a reported clause ("he said his campaign was about the “ugly
    # truths”") became that clause: one attribution per clause
    embedded: list[Quote] = []
    for q in quotes:
        if q.kind == "indirect" and not any(
            e.start <= q.start and q.end <= e.end for e in embedded
        ):
            embedded = [e for e in embedded if not (q.start <= e.start and e.end <= q.end)]
            embedded.append(q)
    quotes = [q for q in quotes if q.kind != "indirect"]
    cues = {q.cue_start for q in [*quotes, *embedded] if q.cue_start is not None}
    taken = sorted(
        [*[(q.outer_start, q.outer_end) for q in found], *[(e.start, e.end) for e in embedded]]
    )
    indirect = [
        cut
        for r in _reported(text, masked, mentions, keep or attribution.keep)
        if r.cue_start not in cues  # one cue, one attribution
        and (cut := _before_quotations(text, r, taken)) is not None
    ]
    indirect += embedded
    # a few quoted words inside reported speech belong to it ("said that it had begun
    # “to unmask the true nature” of …"): one attribution, not two
    quotes = [
        q
        for q in quotes
        if q.kind == "scare" or q.speaker_text is not None or not _inside_reported(q, indirect)
    ]
    # …unless those quoted words have their own cue and speaker: then they are the quote
    indirect = [r for r in indirect if not any(_same_speaker(q, r) for q in quotes)]
    return sorted([*quotes, *indirect], key=lambda q: q.start)


def _before_quotations(text: str, quote: Quote, taken: list[tuple[int, int]]) -> Quote | None:
    """Reported speech up to the first quotation in it ("she says people may not like the
    answer, but insists Sanders is mounting a “phony attack”": the quotation is attributed
    on its own); None when it starts inside one."""
    end = quote.end
    for a, b in taken:
        if a <= quote.start < b:
            return None
        if quote.start < a < end:
            end = a
    if end == quote.end:
        return quote
    end = quote.start + len(_CLAUSE_TAIL.sub("", text[quote.start : end]))
    if len(text[quote.start : end].split()) < 3:
        return None
    return replace(quote, end=end, text=text[quote.start : end])


# what is left before a quotation once the reported clause is cut there: ", but insists"
_CLAUSE_TAIL = re.compile(r"(?:,\s*(?:(?:and|but|or)\s+)?(?:\w+(?:ed|s|ing)\s*)?)?[\s,;:—–-]*$")


def _same_speaker(quote: Quote, reported: Quote) -> bool:
    inside = reported.start <= quote.start and quote.end <= reported.end
    same = quote.speaker_start == reported.speaker_start and quote.speaker_start is not None
    return inside and same


def _inside_reported(quote: Quote, reported: list[Quote]) -> bool:
    return any(
        r.start <= quote.start
        and quote.end <= r.end
        and (quote.end - quote.start) < 0.8 * (r.end - r.start)
        for r in reported
    )


# -- finding quoted spans ---------------------------------------------------------------


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each outermost quotation, marks excluded."""
    return [(q.start, q.end) for q in quotations(text)]


@dataclass(frozen=True)
class Quotation:
    """A quotation's words ``[start, end)`` and, with its marks, ``[outer_start, outer_end)``."""

    start: int
    end: int
    outer_start: int
    outer_end: int


def quotations(text: str) -> list[Quotation]:
    marked = _marked_spans(text)
    doubled = [
        Quotation(m.start(1), m.end(1), m.start(), m.end())
        for m in _DOUBLED.finditer(text)
        if not any(q.start <= m.start() < q.end for q in marked)
    ]
    return sorted(marked + doubled, key=lambda q: q.start)


# capitalised words that start a sentence or a title, not a given name
_NOT_NAMES = frozenset(
    {
        *("A", "An", "The", "This", "That", "These", "Those", "Our", "Their", "His", "Her"),
        *("Its", "My", "Your", "In", "On", "At", "Of", "For", "By", "From", "To", "And"),
        *("But", "Or", "As", "So", "If", "When", "While", "After", "Before", "Under", "Over"),
    }
)


def _part_of_a_name(text: str, q: Quotation, mentions: tuple[MentionRef, ...] = ()) -> bool:
    """Marks around part of a name, not around words anybody says or doubts: a short
    stand-in without two letters in a row (“N”, Mexican reports' stand-in for a suspect's
    withheld surname; a grade “A”; “1984”), or a nickname between a given name and a
    surname (Joaquín “El Chapo” Guzmán). With actor mentions, the surname must be in a
    person's mention (the Obama “Justice” Department is a scare quote)."""
    inner = text[q.start : q.end].strip()
    if len(inner) <= 5 and not re.search(r"[^\W\d_]{2}", inner):
        return True
    words = inner.split()
    if len(words) > 3 or inner[-1] in ".,;:!?" or not all(w[:1].isupper() for w in words):
        return False
    before = re.search(r"(\w+)[ \t]+$", text[max(0, q.outer_start - 40) : q.outer_start])
    after = re.match(r"[ \t]+(\w+)", text[q.outer_end : q.outer_end + 40])
    if not (before and after) or not (before.group(1).istitle() and after.group(1).istitle()):
        return False
    if before.group(1) in _NOT_NAMES or after.group(1) in _NOT_NAMES:
        return False
    if not mentions:
        return True
    surname = q.outer_end + after.start(1)
    return any(m.kind == "person" and m.start <= surname < m.end for m in mentions)


# ''As some newspapers write quotes,'' with two apostrophes on each side
_DOUBLED = re.compile(r"''(?=\S)([^\n]+?)(?<=\S)''")


def _marked_spans(text: str) -> list[Quotation]:
    spans: list[Quotation] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in PAIRS and _opens(text, i):
            end, resume = _closing(text, i)
            if end > i + 1:
                spans.append(Quotation(i + 1, end, i, resume))
            i = resume
        else:
            i += 1
    return spans


def _opens(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if after.isspace():
        return False
    if text[i] in "‘'\"":  # also apostrophes and straight quotes: need a non-letter before
        return not before.isalnum()
    return True


def _closing(text: str, start: int) -> tuple[int, int]:
    """Where the quote opened at ``start`` ends (exclusive) and where to resume scanning."""
    opener = text[start]
    closers = PAIRS[opener]
    depth, i = 1, start + 1
    paragraph_end = _paragraph_end(text, start)
    while i < len(text):
        ch = text[i]
        if i >= paragraph_end:
            continued = _continues(text, i, opener)
            if continued is None:
                return paragraph_end, paragraph_end  # missing closing mark
            i, paragraph_end = continued, _paragraph_end(text, continued)
            continue
        if ch in closers and _closes(text, i):
            depth -= 1
            if depth == 0:
                return i, i + 1
        elif ch == opener:
            depth += 1
        i += 1
    return len(text), len(text)


def _closes(text: str, i: int) -> bool:
    if text[i] == "’":  # an apostrophe inside a word is not a closing mark
        after = text[i + 1] if i + 1 < len(text) else " "
        return not after.isalpha()
    return True


def _continues(text: str, at: int, opener: str) -> int | None:
    """A quote running on: the next paragraph starts with the same opening mark."""
    nxt = at
    while nxt < len(text) and text[nxt] in "\n ":
        nxt += 1
    if nxt < len(text) and text[nxt] == opener and "\n" in text[at : nxt + 1]:
        return nxt + 1
    return None


def _paragraph_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end < 0 else end


# -- attribution ------------------------------------------------------------------------


def _attribute(
    text: str,
    masked: str,
    quotation: Quotation,
    mentions: tuple[MentionRef, ...],
    previous: Quotation | None = None,
) -> Quote:
    start, end = quotation.start, quotation.end
    quoted = text[start:end]
    paragraph = _paragraph_start(text, start)
    if previous is not None:  # the words before this quote start after the previous one
        paragraph = max(paragraph, previous.outer_end)
    limit = min(quotation.outer_end + 240, _paragraph_end(text, quotation.outer_end))
    ended = quoted.rstrip()[-1:] in {".", "!", "?"}
    found = speakers.after(masked, quotation.outer_end, limit, mentions, ended) or speakers.before(
        masked, quotation.outer_start, paragraph, mentions
    )
    short = len(quoted.split()) <= SCARE_MAX_WORDS
    if found is None:
        sentence = speakers.sentence_start(masked, quotation.outer_start, paragraph)
        according = _ACCORDING_TO.search(masked, sentence, quotation.outer_start)
        if according:
            stop = re.search(r"[,;:]", masked[according.end() : quotation.outer_start])
            np_end = according.end() + stop.start() if stop else quotation.outer_start
            span = speakers.pick(masked, according.end(), np_end, mentions, "inverted")
            if span is not None:
                quote = _with_speaker(
                    Quote(
                        "direct",
                        start,
                        end,
                        quoted,
                        cue="according to",
                        cue_start=according.start(),
                    ),
                    text,
                    *span,
                    mentions,
                )
                return _unless_label(quote, short, "according")
        kind = "scare" if short else "direct"
        return Quote(kind, start, end, quoted, reason="no speech cue next to the quote")
    kind = "direct"
    if found.side in {"before", "embedded"}:
        clause = _embedding_clause(masked, found, quotation)
        if clause is not None:  # said the plan was “a disaster”: reported speech
            kind, (start, end) = "indirect", clause
            quoted, short = text[start:end], False
    elif found.side in {"after", "inverted"}:
        lead = _leading_words(masked, quotation, paragraph)
        if lead is not None:  # Trump's plan may be “strategic,” said Ann Lee: her sentence
            kind, start = "indirect", lead
            quoted, short = text[start:end], False
    quote = _with_speaker(
        Quote(kind, start, end, quoted, cue=found.cue, cue_start=found.cue_start),
        text,
        found.speaker_start,
        found.speaker_end,
        mentions,
    )
    return _unless_label(quote, short, found.side)


def _leading_words(masked: str, quotation: Quotation, floor: int) -> int | None:
    """Where the sentence a quotation ends starts, when unquoted words come before it."""
    begin = speakers.sentence_start(masked, quotation.outer_start, floor)
    lead = masked[begin : quotation.outer_start]
    if len(lead.split()) < 2 or lead.rstrip().endswith((":", ",")) or "\n" in lead:
        return None
    return begin + len(lead) - len(lead.lstrip())


_LIGHT_TAIL = re.compile(
    r"\s*(?:(?:reporters|journalists|that|in a statement|in an interview|on Twitter|"
    r"on \w+day|\w+day)\b\s*)*[:,]?\s*"
)


def _embedding_clause(
    masked: str, found: speakers.Cue, quotation: Quotation
) -> tuple[int, int] | None:
    """The reported clause a quotation sits in, when words come between its cue and it."""
    cue_end = found.cue_start + len(found.cue)
    tail = masked[cue_end : quotation.outer_start]
    if _LIGHT_TAIL.fullmatch(tail) or tail.rstrip().endswith((":", ",")):
        return None
    start = reported.words_reported(masked, cue_end, quotation.outer_start)
    limit = _paragraph_end(masked, start)
    stop = speakers.SENTENCE_END.search(masked, max(quotation.end - 1, start), limit)
    end = stop.end() if stop else limit
    return start, len(masked[:end].rstrip().removesuffix("."))


def _unless_label(quote: Quote, short: bool, side: str) -> Quote:
    """“Kosovo declared “independence”": a label in marks, not somebody's words."""
    if not short or side in {"after", "inverted"}:
        return quote
    if quote.speaker_kind == "person" or (quote.speaker_text or "").lower() in _PRONOUNS_LOWER:
        return quote
    return Quote(
        "scare", quote.start, quote.end, quote.text, reason="short, and no person speaks it"
    )


def _with_speaker(
    quote: Quote, text: str, start: int, end: int, mentions: tuple[MentionRef, ...]
) -> Quote:
    while end > start and text[end - 1] in ".,’'":
        end -= 1
    if text[start:end] in _NOT_SPEAKERS - {"It"}:
        return replace(quote, reason=f"{text[start:end]!r} is not a speaker")
    mention, whole = _mention_at(mentions, start, end, text)
    if mention is None or mention.kind != "person":
        # "Russian Ambassador to Serbia, Alexander Botsan-Kharchenko": the name follows
        # (after "according to", only as an apposition closed by a comma: not "According
        # to the schedule published Thursday, Thiel is to speak")
        apposition = (quote.cue or "").lower() == "according to"
        named = next(
            (
                m
                for m in mentions
                if m.kind == "person"
                and end <= m.start <= end + 3
                and text[end : m.start].strip() in {",", ""}
                and (not apposition or text[m.end : m.end + 1] == ",")
            ),
            None,
        )
        if named is not None:
            mention, end, whole = named, named.end, True
    if mention is not None and whole and start <= mention.start and mention.end <= end:
        start, end = mention.start, mention.end  # the name itself, not the words around it
    speaker_text = text[start:end]
    if mention is None and speaker_text.lower() in {"he", "she"}:
        mention = _previous_person(mentions, start)
    if mention is None and speaker_text.lower() in {"who", "which"}:
        mention = _antecedent(text, mentions, start)
    quote = replace(quote, speaker_text=speaker_text, speaker_start=start, speaker_end=end)
    if speaker_text == "I":
        # outside quotation marks the first person is the writer ("when I spoke to him"),
        # not the last person named
        return replace(quote, reason=f"speaker {speaker_text!r} is the writer")
    if mention is None:
        return replace(quote, reason=f"speaker {speaker_text!r} is not a known actor")
    return replace(
        quote, actor_id=mention.actor_id, speaker_name=mention.name, speaker_kind=mention.kind
    )


def _mention_at(
    mentions: tuple[MentionRef, ...], start: int, end: int, text: str = ""
) -> tuple[MentionRef | None, bool]:
    """The actor the speaker's words ``[start, end)`` name, and whether they name it alone
    (so the speaker is the name itself, not the words around it).

    A person anywhere in them ("Former ambassador Branislav Kostić"); else an actor ending
    the phrase, its head ("The Ukrainian Navy", "Mexico’s Defence Ministry", "The Kosovo
    Energy Corporation (KEK)"); else one modifying it from the front, which the phrase
    speaks for ("Indonesia’s search and rescue agency", "Ukrainian officials", "An EU
    spokesperson in Brussels": the words stay the speaker when they make a noun phrase, the
    actor is the country or the body). An actor further inside speaks for
    nobody: "the peacekeeping mission in Kosovo" is not Kosovo, nor "a spokesman for Ana
    Horvat" Ana Horvat."""
    inside = [
        m
        for m in mentions
        if m.start < end and start < m.end and not speakers.governed(text, start, m.start)
    ]
    people = [m for m in inside if m.kind == "person"]
    if people:
        return people[-1], True
    for m in reversed(inside):
        if _HEAD_TAIL.fullmatch(text, min(m.end, end), end):
            return m, True
    if inside and _front(text, start, inside[0].start):
        # a clean noun phrase stays the speaker; words that run on into a clause ("the
        # Labor Department announced it") were never the speaker's: the name alone is
        return inside[0], not _noun_tail(text[min(inside[0].end, end) : end])
    return None, False


def _noun_tail(words: str) -> bool:
    """The words after a name that make a noun phrase with it: "’s search and rescue
    agency", " officials", " spokesperson in Brussels", not " announced it"."""
    tail = words.split()
    if not tail or len(tail) > 6:
        return False
    for k, raw in enumerate(tail):
        word = raw.lower().strip(",")
        last = k == len(tail) - 1
        if word in {"and", "or"} and not last and tail[k + 1].islower():
            continue  # "search and rescue agency"
        if word in _TAIL_STOPS or (word.endswith("ed") and last):
            return False
    return True


_TAIL_STOPS = speakers.wordset(
    "it he she they we i who which that is was are were has have had will would and or but "
    "said says later also even told"
)


def _front(text: str, start: int, at: int) -> bool:
    """Nothing but an article between the phrase's start and ``at``."""
    return all(w.lower() in {"the", "a", "an"} for w in text[start:at].split())


# what may follow the name heading a speaker's words: an acronym in brackets
_HEAD_TAIL = re.compile(r"\s*(?:\([^()]{1,15}\))?\s*")


def _antecedent(text: str, mentions: tuple[MentionRef, ...], at: int) -> MentionRef | None:
    """ "Lindsey Graham, who says …": the actor a relative pronoun stands for (the nearest
    before it in the sentence, a person if there is one)."""
    sentence = speakers.sentence_start(text, at, max(0, at - 300))
    before = [m for m in mentions if sentence <= m.start and m.end <= at]
    people = [m for m in before if m.kind == "person"]
    chosen = people or before
    return chosen[-1] if chosen else None


def _previous_person(mentions: tuple[MentionRef, ...], at: int) -> MentionRef | None:
    people = [m for m in mentions if m.kind == "person" and m.end <= at]
    return people[-1] if people else None


def _carry_split_quotes(text: str, quotes: list[Quote]) -> list[Quote]:
    """“A,” he said, “B.”: a later quote of the paragraph with no cue of its own has the
    speaker of the quote before it."""
    out: list[Quote] = []
    for quote in quotes:
        # the quote before, passing over labels in marks (“Meet the Press”) in between
        prev = next((q for q in reversed(out) if q.kind != "scare"), None)
        if (
            prev is not None
            and quote.speaker_text is None
            and prev.speaker_text is not None
            and prev.kind in {"direct", "indirect"}  # indirect: a partial quote's clause
            and (
                _opens_sentence(text, quote.start)
                or _TRAILING_MARKS.sub("", text[prev.end : quote.start]).endswith((",", ":"))
            )
            and quote.start - prev.end < 300
            and "\n" not in text[prev.end : quote.start]  # “A,” he said. “B.”
        ):
            quote = _inherit(quote, prev)
        out.append(quote)
    return out


def _carry_paragraphs(text: str, quotes: list[Quote]) -> list[Quote]:
    """A paragraph that is nothing but a quotation, with no cue, continues the quotation
    that ended the paragraph before: “…,” Ms. Hughes said.¶“Those days are gone.”"""
    out: list[Quote] = []
    for quote in quotes:
        prev = next((q for q in reversed(out) if q.kind != "scare"), None)
        if (
            quote.speaker_text is None
            and quote.kind == "direct"
            and prev is not None
            and prev.kind in {"direct", "indirect"}
            and prev.speaker_text is not None
            and _starts_paragraph(text, _mark_start(text, quote.start))
            and _paragraph_end(text, quote.start) - quote.end <= 2  # the whole paragraph
            and text.count("\n\n", prev.end, quote.start) == 1  # right after prev's paragraph
        ):
            quote = _inherit(quote, prev)
        out.append(quote)
    return out


def _mark_start(text: str, start: int) -> int:
    at = start
    while at > 0 and text[at - 1] in "“\"«„‘'":
        at -= 1
    return at


def _opens_sentence(text: str, start: int) -> bool:
    """“Marco gets it.”: a short quote standing as a sentence of its own is not a label."""
    before = _TRAILING_MARKS.sub("", text[max(0, start - 200) : start])
    return not before or before[-1] in ".!?:"


_TRAILING_MARKS = re.compile(r"[\s”\"’'»“‘«„]+$")


def _carry_colon_paragraphs(
    text: str, masked: str, quotes: list[Quote], mentions: tuple[MentionRef, ...]
) -> list[Quote]:
    """A quote paragraph after "He also rejected the suggestion …:" is that speaker's."""
    out = []
    for quote in quotes:
        if quote.speaker_text is None and _starts_paragraph(text, quote.start - 1):
            lead = masked[: quote.start - 1].rstrip()
            if lead.endswith(":"):
                begin = speakers.sentence_start(masked, len(lead) - 1)
                span = speakers.pick(masked, begin, len(lead) - 1, mentions, "colon")
                if span is not None:
                    quote = _with_speaker(
                        replace(
                            quote, kind="direct", cue=":", cue_start=len(lead) - 1, reason=None
                        ),
                        text,
                        *span,
                        mentions,
                    )
        out.append(quote)
    return out


def _inherit(quote: Quote, prev: Quote) -> Quote:
    return replace(
        quote,
        kind="direct",
        cue=prev.cue,
        speaker_text=prev.speaker_text,
        speaker_start=prev.speaker_start,
        speaker_end=prev.speaker_end,
        actor_id=prev.actor_id,
        speaker_name=prev.speaker_name,
        speaker_kind=prev.speaker_kind,
        reason=prev.reason,
    )


def _reported(
    text: str, masked: str, mentions: tuple[MentionRef, ...], keep: attribution.Keep
) -> Iterator[Quote]:
    for found in reported.find(masked, mentions):
        if not keep(masked, found, mentions):
            continue
        quote = Quote(
            "indirect",
            found.start,
            found.end,
            text[found.start : found.end],
            cue=text[found.cue_start : found.cue_start + len(found.cue)],
            cue_start=found.cue_start,
        )
        resolved = _with_speaker(quote, text, found.speaker_start, found.speaker_end, mentions)
        if resolved.speaker_text and resolved.speaker_text not in _NOT_SPEAKERS - {"It"}:
            yield resolved


def _paragraph_start(text: str, at: int) -> int:
    cut = text.rfind("\n\n", 0, at)
    return 0 if cut < 0 else cut + 2


def _starts_paragraph(text: str, at: int) -> bool:
    return at == 0 or text[max(0, at - 2) : at] == "\n\n"
