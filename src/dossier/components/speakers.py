"""Who speaks a quotation: the speech cue next to it and the words naming the speaker.

The quotes component finds quotation marks; this module reads the words around them the
way a reader does:

* **after the closing mark**, in the same sentence: ``“…,” the senator said`` (the words
  between the mark and the cue name the speaker), or inverted, ``“…,” said Mr. Brown, who…``
  (the words after the cue, up to the first comma or clause);
* **before the opening mark**: ``Michael Demastus, pastor of…, said: “…”`` (the subject of
  the clause that ends in the cue, an introductory phrase such as "On Monday," skipped), or
  a clause ending in a colon with a person as its subject (``Cruz: “…”``).

Inside those words the speaker is, in order: a person mention not governed by a preposition
("a spokesman *for* Trump" is not Trump), a pronoun, another actor mention, or else the noun
phrase itself when it is short ("the Gawker employee", "a source"), left for the caller to
resolve or to report as unresolved.

Abbreviations ("Mr.", "Sen.", "U.S.", initials) are masked before any of this, so their
full stops end neither a sentence nor a speaker's name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .base import MentionRef

CUE_VERBS = (
    "told reporters|pointed out|went on|goes on|shot back|fired back|chimed in|summed up|"
    "put it|puts it|was quoted as saying|is quoted as saying|said of|"
    "said|says|say|told|tells|added|adds|stated|states|explained|explains|noted|notes|"
    "stressed|stresses|emphasi[sz]ed|emphasi[sz]es|declared|declares|announced|announces|"
    "warned|warns|insisted|insists|claimed|claims|argued|argues|wrote|writes|asked|asks|"
    "replied|replies|answered|answers|continued|continues|concluded|confirmed|confirms|"
    "acknowledged|acknowledges|admitted|admits|recalled|recalls|urged|urges|suggested|"
    "suggests|commented|remarked|believes|believed|predicted|predicts|promised|vowed|denied|"
    "rejected|assured|reiterated|maintained|complained|complains|estimated|revealed|reported|"
    "responded|responds|tweeted|tweets|posted|joked|quipped|shouted|yelled|exclaimed|"
    "testified|observed|observes|countered|boasted|bragged|conceded|cautioned|charged|"
    "contended|mused|pleaded|proclaimed|retorted|scoffed|speculated|protested|lamented|"
    "laments|recounted|wondered|whispered|interjected|offered|begins|began|reads|"
    "explaining|adding|saying|noting|telling \\w+|writing|arguing|asking|warning|declaring|"
    "insisting|claiming|stating|tweeting|barked|snapped|echoed|thundered|cried|sighed|laughed|"
    "murmured|muttered|gushed|raved|cracked|teased|marveled|fumed|groused|griped|chided|"
    "scolded|needled|taunted|jabbed|elaborated|confessed|clarified|volunteered|explained|"
    "recalls|cautions|counters|concedes|adds|notes|observes|jokes|quips|muses|boasts|insists"
)
CUE = re.compile(rf"(?<![\w'’-])(?P<cue>{CUE_VERBS})(?![\w'’-])")
# verbs that report what somebody said or thinks when quoted words follow them in the clause
# ("Bolton called Obama's ignorance “disrespectful…”", "he anticipated that … “…”")
REPORTING_VERBS = (
    "called(?: for| on)?|calls(?: for| on)?|accused|accuses|blamed|blames|praised|praises|"
    "described|describes|urged|wanted|wants|agreed|agrees|anticipated|elaborated|confessed|"
    "pledged|pledges|condemned|condemns|criticized|criticised|criticizes|slammed|slams|"
    "blasted|blasts|attacked|attacks|defended|defends|dismissed|dismisses|mocked|mocks|"
    "labeled|labelled|branded|brands|referred to|refers to|characterized|cited|cites|"
    "invoked|invokes|quoted|quotes|demanded|demands|threatened|threatens|questioned|"
    "doubted|disputed|disputes|decried|decries|bemoaned|touted|touts|hailed|hails|"
    "welcomed|thanked|apologized|asserted|asserts|alleged|alleges|expects|expected|hopes|"
    "hoped|thinks|thought|feels|felt|fears|feared|worried|worries|proposed|proposes|"
    "promised|promises|vowed|vows|predicted|predicts|suggested|suggests|insisted|insists|"
    "argued|argues|contended|contends|warned|warns|noted|notes|declared|declares|"
    "announced|announces|acknowledged|admitted|conceded|denied|denies|rejected|rejects|"
    "recalled|recounted|stressed|emphasized|maintained|complained|lamented|boasted|bragged|"
    "pointed out|observed|offered|told|tells|said|says|wrote|writes|asked|asks|"
    "explained|explains|added|adds|stated|states|claimed|claims|insisting|saying|calling|"
    "describing|accusing|arguing|warning|noting|urging|promising|praising|blaming|"
    "criticizing|adding|declaring|referring to|dismissing|labeling|branding|"
    "show|shows|showed|found|finds|endorsed|endorses|declined|declines|supported|supports|"
    "opposed|opposes|refused|refuses|sought|seeks|plans|planned|intends|intended|believe|"
    "think|want|hope|fear|knows|knew|feel|recommended|recommends|estimates|concluded|"
    "concludes|ruled|rules|insist|argue|claim|warn|predict|expect|agree|disagree|disagreed|"
    "questioned|reported|reports|indicated|indicates|signaled|signalled|conceded|admitted|"
    "say|tell|write|note|add|acknowledge|admit|suggest|allege|accuse|contend|maintain|"
    "complain|worry|doubt|recall|estimate|concede|caution|deny|reject|question|point out|"
    "recommend|blame|praise|criticize|urge|demand|support|oppose|believes|thinks|"
    "see|sees|saw|citing|supporting|suggesting|know|showing|backing|backed|pointed to|"
    "expressed|recalling|denounced|denouncing|mentioned|highlighted|questioning|reminded|"
    "discussed|talked about|talks about|spoke about|ask|asking|announcing|hoping|decided|"
    "preferred|prefer|telling|Says|Said"
)
REPORTING = re.compile(rf"(?<![\w'’-])(?P<cue>{REPORTING_VERBS})(?![\w'’-])")


def wordset(words: str) -> frozenset[str]:
    """The space-separated words of ``words`` as a set."""
    return frozenset(words.split())


PRONOUNS = frozenset({"he", "she", "they", "i", "we", "it"})
PERSONAL = frozenset({"he", "she", "i"})
_ADVERBS = wordset(
    "also then later further again categorically flatly firmly repeatedly previously earlier "
    "recently publicly openly simply still once had has have would will has"
)
# a chunk opening with one of these is an introductory phrase, not the speaker
INTRODUCERS = wordset(
    "after before when while as in on at during since until if although though because "
    "speaking asked later earlier meanwhile yet but and so still however instead "
    "with without from for to by about amid among despite following according in even "
    "moreover nevertheless nonetheless indeed also thus therefore furthermore additionally "
    "perhaps maybe now then first second finally instead often sometimes usually immediately "
    "recently around just more"
)
# a speaker's words never open with these
_NOT_OPENERS = wordset(
    "is was are were be been has have had will would can could should may might must do does "
    "did and but or nor of in on at to for with as by from that which who whom whose when "
    "where why how if because so than then not no this these those there here it's what "
    "into onto over under about that's it's there's what's"
)
_RELATIVE = wordset("who which")
_CONTRACTION = re.compile(r"[’'](?:d|s|ve|re|ll)$")
_PASSIVE = wordset("is was are were be been being")
_DETERMINERS = wordset("the a an its his her their")
_QUANTIFIERS = wordset("one some another many several two three four most all both other others")
_GOVERNING = wordset("for of to with from by about against at on behalf in near")
_SHARED_PREPOSITION = wordset("for of to from in near between")
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_TIME = re.compile(
    r"(?:(?:on|late|early|last|this|earlier|later)\s+)?"
    rf"(?:{_DAYS}|today|yesterday|tonight|"
    r"Tonight|Today|Yesterday)(?:\s+(?:night|morning|afternoon|evening))?\s*,?\s*"
)
# a time closing a speaker's words: "The harbour board on Tuesday" (rejected …)
_WHEN = re.compile(
    rf"(?:\s+(?:(?:on|last|this|late|early)\s+(?:{_DAYS}|week|month|year|night|morning|evening)"
    r"|yesterday|today|earlier|later))+$",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(
    r"[,;:()\u2014\u2013]| - |\s(?:in|on|at|during|after|before|when|while|as|who|which|that|"
    r"from|about|via|because|since|referring|adding|saying|noting|told|according)\s"
)
_ABBREVIATION = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|St|Sen|Sens|Rep|Reps|Gov|Gen|Lt|Col|Sgt|Capt|Cmdr|Adm|Maj|Jr|Sr|Inc|"
    r"Co|Corp|Ltd|No|vs|etc|Prof|Rev|Gens|Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec|Ave|Blvd|"
    r"Mt|Ft|[A-Z])\.(?=\S| [A-Za-z0-9])"
)
_INITIALISM = re.compile(r"\b(?:[A-Z]\.){2,}")
SENTENCE_END = re.compile(r"[.!?][”\"’»']*(?=\s|$)|\n")


@dataclass(frozen=True)
class Cue:
    """A speech cue and the speaker it names, as character offsets into the text."""

    cue: str
    cue_start: int
    speaker_start: int
    speaker_end: int
    side: str  # "after" | "inverted" | "before" | "embedded" | "colon"


def mask(text: str) -> str:
    """The text with the full stops of abbreviations and initials replaced by ``\\x00``
    (same length, so offsets stay valid)."""
    chars = list(text)
    for found in _INITIALISM.finditer(text):
        for i in range(found.start(), found.end()):
            if chars[i] == ".":
                chars[i] = "\x00"
    for found in _ABBREVIATION.finditer(text):
        chars[found.end() - 1] = "\x00"
    return "".join(chars)


def sentence_start(masked: str, at: int, floor: int = 0) -> int:
    start = floor
    for found in SENTENCE_END.finditer(masked, floor, at):
        start = found.end()
    return start


def sentence_end(masked: str, at: int, limit: int) -> int:
    found = SENTENCE_END.search(masked, at, limit)
    return found.start() if found else limit


def after(
    masked: str, outer_end: int, limit: int, mentions: Sequence[MentionRef], ended: bool = False
) -> Cue | None:
    """The cue in the sentence right after a closing mark, and its speaker. ``ended``: the
    quotation ends in a full stop, so what follows is a new sentence, an attribution only if
    it is short ("“… ongoing.” Baker said.", not "“… ongoing.” He said the FBI …")."""
    lead = re.match(r"[\s,\u2014\u2013-]*", masked[outer_end:limit])
    begin = outer_end + (lead.end() if lead else 0)
    if begin >= limit or masked[begin] in ".!?":
        return None
    found = _after(masked, begin, limit, mentions)
    if found is None or not ended or not masked[begin].isupper():
        return found
    rest = masked[found.cue_start + len(found.cue) : sentence_end(masked, begin, limit)]
    return found if len(rest.split()) <= 6 and " that " not in f" {rest} " else None


def _after(masked: str, begin: int, limit: int, mentions: Sequence[MentionRef]) -> Cue | None:
    end = sentence_end(masked, begin, limit)
    opening = re.search(r"[“\"«„‘]", masked[begin:end])
    if opening:
        end = begin + opening.start()
    segment = masked[begin:end]
    found = re.match(rf"(?:(?:{'|'.join(sorted(_ADVERBS))})\s+)?", segment)
    skip = found.end() if found else 0
    cue = CUE.match(segment, skip)
    if cue is not None:  # inverted: “…,” said the minister
        return _inverted(masked, begin, segment, cue, mentions)
    cue = CUE.search(segment)
    if cue is None:
        return None
    region = segment[: cue.start()]
    words = region.split()
    while words and words[-1].lower() in _ADVERBS:
        words.pop()
    if not words or len(words) > 30:
        return None
    side = "after"
    if words[0].lower() in _NOT_OPENERS:
        if region.rstrip().endswith(","):  # “…” but to lead, says Evan Tracey
            return _inverted(masked, begin, segment, cue, mentions)
        side = "before"  # “…” in the legislature, he said: only the words next to the cue
    span = pick(masked, begin, begin + cue.start(), mentions, side)
    if span is None:
        return None
    return Cue(cue.group("cue"), begin + cue.start(), *span, "after")


def _inverted(
    masked: str, begin: int, segment: str, cue: re.Match[str], mentions: Sequence[MentionRef]
) -> Cue | None:
    """“…,” said the minister / said Mr. Brown, who…: the speaker follows the cue."""
    rest = cue.end()
    rest += _skip(r"\s+(?:reporters|journalists)\b", segment, rest)
    rest += _skip(r"\s*,?\s*", segment, rest)
    rest += _skip(_TIME.pattern, segment, rest)
    stop = _CLAUSE_END.search(segment, rest)
    np_end = stop.start() if stop else len(segment)
    span = pick(masked, begin + rest, begin + np_end, mentions, "inverted")
    if span is None:
        return None
    return Cue(cue.group("cue"), begin + cue.start(), *span, "inverted")


# what may follow the cue before the opening mark: "said:", "told reporters,", "said that",
# "said in a statement:", "told CNN on Sunday,"
_BEFORE_TAIL = re.compile(
    r"(?:\s+(?:reporters|journalists|that|the \w+(?: \w+)?))?"
    r"(?:,[^“”\"\n]{0,60}?,|\s+[^“”\"\n.;]{0,60}?)?\s*[:,]?\s*"
)


def before(masked: str, outer_start: int, floor: int, mentions: Sequence[MentionRef]) -> Cue | None:
    """The cue ending the clause right before an opening mark, and its speaker."""
    begin = sentence_start(masked, outer_start, floor)
    segment = masked[begin:outer_start]
    for cue in reversed(list(CUE.finditer(segment))):
        if not _BEFORE_TAIL.fullmatch(segment, cue.end()):
            continue
        span = None
        if cue.group("cue").endswith("ing"):
            # "Trump told a rally in Ohio, saying, “…”": the nearest subject before it
            span = _nearest_subject(masked, begin, begin + cue.start(), mentions)
        if span is None:
            span = pick(masked, begin, begin + cue.start(), mentions, "before")
        if span is not None:
            return Cue(cue.group("cue"), begin + cue.start(), *span, "before")
        return None
    # quoted words later in a reported clause: "Bolton called Obama's ignorance “…”"
    for cue in REPORTING.finditer(segment):
        span = pick(masked, begin, begin + cue.start(), mentions, "before")
        if span is None:
            continue
        named = masked[span[0] : span[1]].lower() in PRONOUNS or any(
            m.kind == "person" and m.start == span[0] and m.end == span[1] for m in mentions
        )
        if named:
            return Cue(cue.group("cue"), begin + cue.start(), *span, "embedded")
        break
    if segment.rstrip().endswith(":"):  # "Cruz: “…”" / "The statement from the ministry:"
        colon = begin + len(segment.rstrip()) - 1
        span = pick(masked, begin, colon, mentions, "colon")
        if span is not None:
            return Cue(":", colon, *span, "colon")
    return None


def pick(
    masked: str, start: int, end: int, mentions: Sequence[MentionRef], side: str
) -> tuple[int, int] | None:
    """The speaker's span among the words ``[start, end)`` next to a cue."""
    if side in {"before", "after"}:
        adjacent = adjacent_subject(masked, start, end, mentions)
        if adjacent is not None:
            return adjacent
    chunks = [_without_conjunction(masked, c) for c in _chunks(masked, start, end)]
    chunks = [c for c in chunks if c[1] > c[0]]
    if side in {"before", "colon"}:
        # "On Monday, Lajos Kosa said": skip introductory phrases
        while (
            len(chunks) > 1
            and (
                _first_word(masked, chunks[0]) in INTRODUCERS
                or _first_word(masked, chunks[0]).endswith("ing")  # "Recalling that moment,"
                or _dateline(masked, chunks[0])  # "WASHINGTON (AP) —"
            )
            and not _as_person(masked, chunks[0], mentions)  # "As Andrew Tabler noted,"
        ):
            chunks = chunks[1:]
    if side == "colon":  # "VOTERS CARE MORE - Frank Newport and Jim Harter:"
        chunks = chunks[-1:]
    if side == "after" and len(chunks) > 1 and not masked[start:end].rstrip().endswith(","):
        chunks = chunks[-1:]  # "… show as an anchor, NBC announced": next to the cue
    if not chunks:
        return None
    if side == "before" and len(chunks) > 1:
        # "Perhaps, he said, …" / "South Carolina, Tripp said, …": the subject is next to the cue
        last = chunks[-1]
        words_last = masked[last[0] : last[1]].split()
        near = [m for m in mentions if last[0] <= m.start and m.end <= last[1]]
        relative = words_last[0].lower() in _RELATIVE | {"whose", "where"}
        if (
            (len(words_last) == 1 and words_last[0].lower() in PRONOUNS)
            or (
                near
                and not relative  # "Al-Khateeb, who fled Maarat al-Numan in 2019, said"
                and near[0].kind == "person"
                and len(masked[last[0] : near[0].start].split()) <= 4
            )
            or (  # "…, a man yelled": a short noun phrase next to the cue, not an apposition
                not masked[start:end].rstrip().endswith(",")
                and len(words_last) <= 5
                and (
                    words_last[0].lower() in _DETERMINERS | _QUANTIFIERS
                    or words_last[0][0].isdigit()
                )
            )
        ):
            chunks = [last]
    a, b = chunks[0]
    spans = [(a + w.start(), a + w.end()) for w in re.finditer(r"\S+", masked[a:b])]
    words = [masked[s:e] for s, e in spans]
    first = words[0].lower() if words else ""
    if side in {"inverted", "colon"} and first in PRONOUNS:
        return spans[0]
    if side == "inverted" and first in _NOT_OPENERS:  # said that Pristina would…
        return None
    kept = len(words)
    while kept > 1 and words[kept - 1].lower() in _ADVERBS:
        kept -= 1
    if side != "inverted" and words and words[kept - 1].lower() in _PASSIVE:
        return None  # "the strength of the army was estimated at …": nobody speaks
    if any(ch in masked[a:b] for ch in '“”"«»„'):
        return None
    if kept and words[kept - 1].lower() in PRONOUNS and (side != "colon" or kept == 1):
        return spans[kept - 1]
    inside = [m for m in mentions if a <= m.start and m.end <= b]
    people = [m for m in inside if m.kind == "person" and not governed(masked, a, m.start)]
    if side in {"before", "colon"}:  # the subject comes first: a person near the clause start
        people = [m for m in people if len(masked[a : m.start].split()) <= 6]
    if people:
        return people[0].start, people[0].end
    if side == "colon":
        return None
    others = [m for m in inside if not governed(masked, a, m.start)]
    if (
        others
        and len(masked[a : others[0].start].split()) <= 2
        and not masked[others[0].end : b].strip()  # not "Ukrainian officials", "… to Serbia"
    ):
        return others[0].start, others[0].end
    participle = first.islower() and first.endswith(("ed", "ing"))  # "denounced her record"
    if 1 <= kept <= 8 and first not in _NOT_OPENERS and not participle:
        end_ = a + len(_WHEN.sub("", masked[a : spans[kept - 1][1]]))
        return a, end_  # "Many conservatives" (have said)
    return None


def adjacent_subject(
    masked: str, start: int, end: int, mentions: Sequence[MentionRef]
) -> tuple[int, int] | None:
    """The word or name right before the cue, when it can only be its subject: a pronoun
    ("as he seeks"), a relative pronoun ("Graham, who says"), or a person's name."""
    words = [(start + w.start(), start + w.end()) for w in re.finditer(r"\S+", masked[start:end])]
    while len(words) > 1 and masked[words[-1][0] : words[-1][1]].lower() in _ADVERBS:
        words.pop()
    if not words:
        return None
    a, b = words[-1]
    word = masked[a:b].lower()
    contracted = _CONTRACTION.sub("", word)  # "who’d (previously endorsed)", "she’s"
    if contracted != word and contracted in PRONOUNS | _RELATIVE and contracted != "it":
        return a, a + len(contracted)
    if word in PRONOUNS - {"it"} or (word in _RELATIVE and len(words) > 1):
        return a, b
    person = next((m for m in mentions if m.kind == "person" and m.end == b), None)
    if person is not None and person.start >= start and not governed(masked, start, person.start):
        return person.start, person.end
    return None


def _nearest_subject(
    masked: str, start: int, end: int, mentions: Sequence[MentionRef]
) -> tuple[int, int] | None:
    """The first pronoun or person's name in ``[start, end)``: the subject of the clause
    ("Fiorina endorsed Cruz, saying …" is Fiorina's)."""
    found: list[tuple[int, int]] = [
        (start + w.start(), start + w.end())
        for w in re.finditer(r"\S+", masked[start:end])
        if w.group().lower() in PERSONAL | {"they", "we"}
    ]
    found += [
        (m.start, m.end)
        for m in mentions
        if m.kind == "person"
        and start <= m.start
        and m.end <= end
        and not governed(masked, start, m.start)
    ]
    return min(found) if found else None


def _chunks(masked: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut at commas, dashes and brackets, each piece stripped."""
    pieces: list[tuple[int, int]] = []
    at = start
    for found in re.finditer(r"[,;()\u2014\u2013]| - ", masked[start:end]):
        pieces.append((at, start + found.start()))
        at = start + found.end()
    pieces.append((at, end))
    out = []
    for a, b in pieces:
        while a < b and masked[a].isspace():
            a += 1
        while b > a and (masked[b - 1].isspace() or masked[b - 1] in ".’'"):
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def _as_person(masked: str, chunk: tuple[int, int], mentions: Sequence[MentionRef]) -> bool:
    words = masked[chunk[0] : chunk[1]].split()
    if not words or words[0].lower() != "as":
        return False
    after_as = chunk[0] + len(words[0]) + 1
    return any(m.kind == "person" and m.start == after_as for m in mentions)


def _dateline(masked: str, chunk: tuple[int, int]) -> bool:
    letters = [c for c in masked[chunk[0] : chunk[1]] if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def _without_conjunction(masked: str, chunk: tuple[int, int]) -> tuple[int, int]:
    """ "And North Carolina's Ada Fisher" -> "North Carolina's Ada Fisher"."""
    found = _CONJUNCTION.match(masked, chunk[0], chunk[1])
    return (found.end(), chunk[1]) if found else chunk


_CONJUNCTION = re.compile(r"(?:and|but|so|yet|or|And|But|So|Yet|Or)\s+")


def _first_word(masked: str, chunk: tuple[int, int]) -> str:
    words = masked[chunk[0] : chunk[1]].split()
    return words[0].lower() if words else ""


def governed(masked: str, chunk_start: int, at: int) -> bool:
    """A mention right after "for", "of", "to"…: "a spokesman for Trump" is not Trump."""
    before = masked[chunk_start:at].split() if chunk_start < at else []
    if len(before) > 1 and before[-1].lower() in _DETERMINERS:
        before.pop()  # "the strength of the Kosovo Liberation Army"
    if len(before) > 2 and before[-1].lower() in {"and", "or"}:
        # "the towns of Leskovac and Prokuplje": the second of a pair shares its preposition
        pair = before[:-1]
        while len(pair) > 1 and pair[-1][:1].isupper():
            pair.pop()
        if len(pair) < len(before) - 1 and pair[-1].lower() in _SHARED_PREPOSITION:
            return True
    # "One pastor supporting Mr. Cruz": the object of a verb, not the speaker
    return bool(before) and (before[-1].lower() in _GOVERNING or before[-1].endswith("ing"))


def _skip(pattern: str, text: str, at: int) -> int:
    found = re.compile(pattern).match(text, at)
    return found.end() - at if found else 0
