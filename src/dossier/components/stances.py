"""Stances and acts attributed to a named subject, with no speech verb in the clause.

News attribution is wider than speech: "Trump hammered Bush", "Mr. Kasich withdrew his
support", "They have refused to vote on the nominee" attribute a position to a source as
much as "he said" does. This module reads the shape without a parser:

* a **subject**: a person mention, a personal pronoun, a group or institution mention, or
  a short noun phrase followed by an auxiliary or a past form ("The harbour board has …"),
  opening its clause (after the sentence start, a comma or a conjunction), or "who";
* a **verb** right after it (adverbs and auxiliaries aside): a word that can only be a
  verb in that position — a past form ("-ed", an irregular past), a third-person "-s"
  form after a singular subject, a base form after a modal, "-ing" after "is" (a passive,
  "was estimated", names nobody);
* the **content**: what follows the verb, to the end of the clause.

Words that look like verbs but are nouns after a name ("Trump supporters", "Clinton
aides") are listed in :data:`_NOUNS`. These are candidates only: :mod:`.attribution` keeps
those that attribute something ("Trump mocked the plan", not "Trump watched the returns").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .base import MentionRef
from .speakers import wordset

MIN_CONTENT_WORDS = 2


@dataclass(frozen=True)
class Stance:
    start: int
    end: int
    cue: str
    cue_start: int
    speaker_start: int
    speaker_end: int


_CLAUSE_STOP = re.compile(r"[;:(\u2014\u2013]| - |[”\"“]")


def find_all(masked: str, start: int, end: int, mentions: Sequence[MentionRef]) -> list[Stance]:
    """Every subject-verb clause in the sentence ``[start, end)``."""
    out: list[Stance] = []
    for subject in _subjects(masked, start, end, mentions):
        if masked[subject[0] : subject[1]] != "who" and not _opens_clause(
            masked, start, subject[0]
        ):
            continue
        verb = _verb(masked, subject, end)
        if verb is None:
            continue
        content_start = verb[1]
        while content_start < end and masked[content_start] in " ,":
            content_start += 1
        stop = _CLAUSE_STOP.search(masked, content_start, end)
        content_end = stop.start() if stop else end
        content_end = len(masked[:content_end].rstrip(" ,.;"))
        if len(masked[content_start:content_end].split()) < MIN_CONTENT_WORDS:
            continue
        out.append(
            Stance(
                content_start,
                content_end,
                masked[verb[0] : verb[1]],
                verb[0],
                subject[0],
                subject[1],
            )
        )
    return out


def _subjects(
    masked: str, start: int, end: int, mentions: Sequence[MentionRef]
) -> list[tuple[int, int]]:
    found = [
        (m.start, m.end)
        for m in mentions
        if start <= m.start and m.end <= end and m.kind in {"person", "group", "institution"}
    ]
    for word in re.finditer(r"\b(?:he|she|they|we|who|He|She|They|We|I)\b", masked[start:end]):
        found.append((start + word.start(), start + word.end()))
    taken = {b for _, b in found}
    found += [p for p in _phrases(masked, start, end) if p[1] not in taken]
    return sorted(found)


def _phrases(masked: str, start: int, end: int) -> list[tuple[int, int]]:
    """Noun phrases opening a clause and followed by an auxiliary or a past form: "The
    city is seeking", "Federal investigators have no evidence", "The FEC has deadlocked"."""
    out = []
    openings = [start] + [m.end() for m in _CLAUSE_START.finditer(masked, start, end)]
    for opening in openings:
        words: list[re.Match[str]] = []
        for word in _PLAIN_WORD.finditer(masked, opening, end):
            if (
                len(words) == 7
                or masked[words[-1].end() if words else opening : word.start()].strip()
            ):
                break  # only spaces between the words of a phrase
            words.append(word)
        for k, word in enumerate(words):
            text = word.group("w").lower()
            if (
                k
                and _third_person(word.group("w"), words[k - 1].group("w"))
                and k + 1 < len(words)
                and words[k + 1].group("w").lower() in _AUXILIARIES
            ):
                continue  # "Opposition councillors have called": a plural noun, not a verb
            if k and (
                text in _AUXILIARIES
                or text in _IRREGULAR
                or (text.endswith("ed") and text not in _NOT_VERBS)
                or _third_person(word.group("w"), words[k - 1].group("w"))
            ):
                phrase = [w.group("w").lower() for w in words[:k]]
                if _noun_phrase(phrase):
                    out.append((words[0].start(), words[k - 1].end()))
                break
            if k and text in _NOT_VERBS and text not in {"of", "the", "a", "an"}:
                break
    return out


def _third_person(word: str, before: str) -> bool:
    """ "(The lawsuit) contests": a lower-case "-s" form after a singular word."""
    return (
        word.islower()
        and word.endswith("s")
        and not word.endswith(("ss", "us", "is", "ous"))
        and not before.lower().endswith("s")
        and word not in _NOUNS
        and word not in _NOT_VERBS
    )


def _noun_phrase(words: list[str]) -> bool:
    if not words or words[0] in _NOT_VERBS - _DETERMINERS or words[-1] in _NOT_VERBS:
        return False
    if any(w in _AUXILIARIES for w in words):  # "…, had published": no subject at all
        return False
    return not any(w.endswith("ly") or w.endswith("ing") for w in words[1:])


_CLAUSE_START = re.compile(
    r"(?:[,;]|\b(?:that|and|but|because|while|when|although|though|since|if|And|But)) (?=\w)"
)
_PLAIN_WORD = re.compile(r"(?P<w>[A-Za-z][A-Za-z’'-]*)(?![\w’'-])")
_DETERMINERS = wordset("the a an this that these those his her their its our all some many most")


def _opens_clause(masked: str, start: int, at: int) -> bool:
    before = masked[start:at].rstrip()
    if not before:
        return True
    if before[-1] in ",;":
        return True
    words = before.split()
    return words[-1].lower() in _CLAUSE_OPENERS


def _verb(masked: str, subject: tuple[int, int], end: int) -> tuple[int, int] | None:
    """The verb right after the subject, adverbs, auxiliaries and "not" passed over."""
    plural = masked[subject[0] : subject[1]].lower() in {"they", "we", "i"}
    aux: str | None = None
    at = subject[1]
    contraction = _CONTRACTION.match(masked, at, end)
    if contraction is not None and (plural or masked[subject[0] : subject[1]].lower() in _PRONOUNS):
        # "who’d previously endorsed", "she’s been" (after a name, "’s" is a possessive)
        aux, at = "has", contraction.end()
    for _ in range(6):
        word = _NEXT_WORD.match(masked, at, end)
        if word is None:
            return None
        text, at = word.group(1).lower(), word.end()
        if text in _ADVERBS or (text.endswith("ly") and len(text) > 4):
            continue
        negated = text.removesuffix("n’t").removesuffix("n't")
        if text in _AUXILIARIES or (
            negated != text and (negated in _AUXILIARIES or negated in {"ca", "wo"})
        ):
            aux = "do" if negated in {"ca", "wo"} else negated
            continue
        if text in {"not", "never"} and aux:
            continue
        if aux is None and reduced_relative(masked, word.end(1), end):
            return None  # "The views expressed in this article are his own"
        return (word.start(1), word.end(1)) if _is_verb(text, aux, plural) else None
    return None


def reduced_relative(masked: str, at: int, end: int) -> bool:
    """A participle that qualifies its subject rather than being its verb: a preposition
    or a time right after it and the clause's own verb (is, was, said…) before any
    subject ("The plan unveiled in May was rejected", "The report published Thursday
    said"; not "Kovač claimed in May that it was")."""
    words = masked[at:end].split()[:9]
    if not words or words[0].lower() not in _PARTICIPLE_PREPOSITIONS:
        return False
    for k, word in enumerate(words[1:], 1):
        bare = word.lower().strip(".,;:")
        if word[-1] in ",;:" or bare in _SUBJECT_WORDS or (k > 1 and bare in _DETERMINERS):
            return False  # "Kovač warned in Split the harbour was …": a subject of its own
        if bare in _CLAUSE_VERBS:
            return True
    return False


_PARTICIPLE_PREPOSITIONS = wordset(
    "in by at on for during from with under last yesterday monday tuesday wednesday "
    "thursday friday saturday sunday"
)
# the clause's own verb after a qualifying participle ("The report published Thursday said")
_CLAUSE_VERBS = wordset("is are was were said says found shows showed")
_SUBJECT_WORDS = wordset("that he she they it we i who which you")
_PRONOUNS = wordset("who he she")
_CONTRACTION = re.compile(r"[’'](?:d|s|ve|re|ll)(?![\w’'-])")
_NEXT_WORD = re.compile(r"\s+([A-Za-z’'-]+)(?![\w’'-])")


def _is_verb(word: str, aux: str | None, plural: bool) -> bool:
    if word in _NOT_VERBS or word in _NOUNS or not word.isalpha():
        return False
    if aux in _MODALS:
        return True
    if aux in _BE:  # "is seeking"; "was estimated" is a passive: its subject says nothing
        return word.endswith("ing")
    if aux in _HAVE:
        return word.endswith(("ed", "en", "wn")) or word in _IRREGULAR
    if word.endswith("ed") or word in _IRREGULAR:
        return True
    if plural:
        return len(word) > 2
    return word.endswith("s") and not word.endswith(("ss", "us", "is", "ous"))


_CLAUSE_OPENERS = wordset(
    "and but that because when while as after before if since so although though once "
    "until unless whether where then yet"
)
_ADVERBS = wordset(
    "also still never already just now then recently once again later soon even often "
    "first finally quickly repeatedly previously since ultimately eventually instead too "
    "reportedly apparently clearly"
)
_MODALS = wordset("will would can could should may might must shall do does did")
_BE = wordset("is was are were been be being")
_HAVE = wordset("has have had")
_AUXILIARIES = _MODALS | _BE | _HAVE
_IRREGULAR = wordset(
    "said told made gave given took taken saw seen spent put led won lost met sent went "
    "gone came become became began begun brought thought found held kept left ran set "
    "spoke spoken wrote written got gotten knew known felt heard meant paid stood struck "
    "sought taught threw thrown understood withdrew withdrawn drew drawn chose chosen "
    "fought hit cut let quit rose fell broke broken built bought caught dealt forgot "
    "hid hung laid lent overcame rode shook shot sold stuck swore tore wore undertook "
    "oversaw foresaw mistook bore sat upheld overtook beat"
)
_NOT_VERBS = wordset(
    "the a an this that these those his her their its our my your and or but of in on at "
    "to for with from by as is was are were who whom whose which what when where why how "
    "not no nor so than then there here it he she they we you i me him them us its also "
    "all any each every some many much more most both either neither other another such "
    "own same via per into onto upon over under about against between among through "
    "during after before since until unless while if because although though whether yes "
    "jr sr hundred sacred naked wicked beloved rugged kindred"
)
# "-s" and "-ed" words that after a name are nouns or adjectives ("Trump supporters")
_NOUNS = wordset(
    "supporters allies aides officials voters campaigns advisers advisors staffers "
    "critics opponents backers fans delegates donors followers rivals surrogates "
    "administrations policies plans remarks comments statements news states years days "
    "times weeks months friends sons daughters parents children associates lawyers "
    "attorneys spokesmen spokeswomen advocates loyalists partisans operatives forces "
    "troops agents members leaders employees workers people ads emails"
)
