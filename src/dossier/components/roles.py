"""Role phrases: "Russian Foreign Minister", "the President of Serbia", "its president".

A role tells who a person is in this article (head noun and, when written, the country),
and lets a role mention with no name ("The Serbian president explained") be tied to the
holder named elsewhere in the same article.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

ROLE_WORDS = (
    "deputy prime minister",
    "prime minister",
    "foreign minister",
    "defence minister",
    "defense minister",
    "interior minister",
    "finance minister",
    "justice minister",
    "minister of foreign affairs",
    "minister",
    "president",
    "vice president",
    "ambassador",
    "special representative",
    "special envoy",
    "envoy",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "mayor",
    "governor",
    "chancellor",
    "king",
    "queen",
    "emir",
    "commander",
    "general",
    "leader",
    "prosecutor",
    "chief prosecutor",
    "judge",
    "senator",
    "speaker",
    "secretary of state",
    "secretary-general",
    "secretary general",
    "chairman",
    "chairwoman",
    "director",
    "police chief",
    "patriarch",
)
_ROLE_ALT = "|".join(re.escape(w) for w in sorted(ROLE_WORDS, key=len, reverse=True))
ROLE_RE = re.compile(rf"\b(?:{_ROLE_ALT})\b", re.IGNORECASE)

# "Russian Foreign Minister " / "President " right before a name
_TITLE_BEFORE = re.compile(
    rf"(?:\b(?P<det>[Tt]he|[Ii]ts|[Hh]is|[Hh]er) )?(?:(?P<words>(?:[A-Z][\w.-]*\s+){{0,4}}))?"
    rf"(?P<role>(?i:{_ROLE_ALT}))\s+$"
)
# "the President of Serbia, " / "Russian Ambassador to Serbia, " before a name
_APPOSITION_BEFORE = re.compile(r"(?P<phrase>[^,.;:“”\"()]{0,90}),\s*$")
# ", the interior minister," after a name
_APPOSITION_AFTER = re.compile(r"^,\s*(?P<phrase>[^,.;:“”\"()]{3,90})[,.;]")
# a role with no name: "The Serbian president", "the President of Serbia", "the minister"
ROLE_MENTION = re.compile(
    rf"\b(?P<det>[Tt]he) (?P<words>(?:[A-Z][\w-]*\s+|[a-z]+-?\s+){{0,3}}?)"
    rf"(?P<role>(?i:{_ROLE_ALT}))\b"
    rf"(?P<of> of (?:the )?(?P<place>[A-Z][\w-]*(?: [A-Z][\w-]*){{0,3}}))?"
)


@dataclass(frozen=True)
class Role:
    head: str  # lower-cased role words, e.g. "foreign minister"
    country: str | None


CountryOf = Callable[[str], str | None]


def role_in(phrase: str, country_of: CountryOf) -> Role | None:
    """The first role named in ``phrase`` and the first country written in it."""
    found = ROLE_RE.search(phrase)
    if not found:
        return None
    return Role(found.group(0).lower(), first_country(phrase, country_of))


def first_country(phrase: str, country_of: CountryOf) -> str | None:
    words = re.findall(r"[A-Z][\w.-]*(?: [A-Z][\w.-]*)*", phrase)
    for group in words:
        parts = group.split()
        for size in range(len(parts), 0, -1):
            for i in range(len(parts) - size + 1):
                code = country_of(" ".join(parts[i : i + size]))
                if code:
                    return code
    return None


def role_before(text: str, start: int, sentence_start: int, country_of: CountryOf) -> Role | None:
    """A title or apposition just before a name starting at ``start``."""
    before = text[max(sentence_start, start - 120) : start]
    title = _TITLE_BEFORE.search(before)
    if title:
        return Role(title.group("role").lower(), first_country(title.group(0), country_of))
    apposition = _APPOSITION_BEFORE.search(before)
    if apposition:
        return role_in(apposition.group("phrase"), country_of)
    return None


def role_after(text: str, end: int, sentence_end: int, country_of: CountryOf) -> Role | None:
    after = text[end : min(sentence_end, end + 120)]
    apposition = _APPOSITION_AFTER.search(after)
    return role_in(apposition.group("phrase"), country_of) if apposition else None


def compatible(a: Role, b: Role) -> bool:
    """Same office: one head contains the other ("minister" ~ "foreign minister"), and
    the countries agree where both are known."""
    heads = a.head in b.head or b.head in a.head
    return heads and (a.country is None or b.country is None or a.country == b.country)
