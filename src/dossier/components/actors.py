"""The actors component: entity mentions in an article, resolved within the article.

Text in, typed results out (no database). spaCy finds sentences and entities (our
gazetteer's EntityRuler runs before its NER, so "Kosovo Liberation Army" is one group,
not the place Kosovo). Then, inside each article:

* people are clustered by name: a full name opens a cluster; a surname alone (or title +
  surname, "President Vučić") joins the nearest preceding cluster with that surname
  (the nearest following when none precedes). Two people who share a surname stay
  apart because each surname-only mention goes to the *nearest* full name only;
* a person's role and country come from the words around the name ("Russian Foreign
  Minister Sergei Lavrov", "the President of Serbia, Aleksandar Vučić");
* a role with no name ("The Serbian president") is tied to the person in the article
  holding a compatible role, nearest first; with no such person it is left out;
* groups, institutions, countries and places are keyed by name; an acronym written in
  parentheses after a name ("Kosovo Liberation Army (KLA)") joins that name.

Across articles, the catalog matches these per-article clusters to actors by key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from .base import ArticleInput
from .gazetteer import Entry, Gazetteer
from .names import name_key, name_parts, strip_possessive
from .nlp import Entity, Parsed, parse
from .roles import ROLE_MENTION, ROLE_WORDS, Role, compatible, role_after, role_before, role_in

_GROUP_HEADS = {
    "army": "armed_group",
    "brigade": "armed_group",
    "militia": "armed_group",
    "front": "armed_group",
    "battalion": "armed_group",
    "cartel": "criminal_organisation",
    "gang": "criminal_organisation",
    "clan": "criminal_organisation",
    "mafia": "criminal_organisation",
    "party": "party",
    "movement": "movement",
    "alliance": "party",
}
_TRAILING = " \t“”\"«»'‘’(,;:–-"
_TITLE_RIGHT_BEFORE = re.compile(
    r"\b(?:President|Prime Minister|Minister|Ambassador|General|Mayor|Governor|Chancellor"
    r"|Senator|Judge|Commander|Mr\.?|Mrs\.?|Ms\.?|Dr\.?) $"
)
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:[Ii]n|[Nn]ear|[Oo]utside|[Aa]round|(?:towns?|cit(?:y|ies)|villages?|municipalit(?:y|ies)"
    r"|regions?|districts?) of)(?: the)? (?:[A-ZČĆŠŽĐ][\w-]+(?: [A-ZČĆŠŽĐ][\w-]+)?(?:, | and ))*$"
)
_GENERIC_WORDS = frozenset(
    {w for role in ROLE_WORDS for w in role.split()}
    | set(
        [
            "interior",
            "defence",
            "defense",
            "foreign",
            "finance",
            "justice",
            "government",
            "ministry",
            "police",
            "army",
            "parliament",
            "court",
            "council",
            "city",
            "state",
            "citizens",
            "loading",
            "advertisement",
            "cookies",
            "subscribe",
            "breaking",
            "update",
            "live",
            "video",
            "photo",
            "opinion",
            "editorial",
            "analysis",
        ]
    )
)
_DATELINE = re.compile(r"^(?P<place>[A-ZÀ-Ž][A-ZÀ-Ž .'-]{2,40}?)(?:,[^–—\n]{0,40})?\s+[–—-]\s")
_JUNK = re.compile(r"[@#/\\|]|https?:|^\W|\.\w{1,3}$|^\d+$")
_ACRONYM_AFTER = re.compile(r"^\s*\((?P<acr>[A-ZÇ][A-Za-zÇË]{1,9})\)")


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    text: str
    name: str  # the article's canonical name for this actor
    kind: str  # person | group | institution | country | place
    subkind: str | None
    countries: tuple[str, ...]
    key: str  # name key of ``name``: how the catalog finds the actor
    method: str  # ner | gazetteer | role | surname
    role: str | None = None
    surname_only: bool = False


@dataclass(frozen=True)
class ActorAnalysis:
    article_id: str
    sentences: tuple[tuple[int, int], ...]
    mentions: tuple[ActorMention, ...]


@dataclass
class _Cluster:
    name: str
    kind: str
    subkind: str | None
    countries: set[str] = field(default_factory=set)
    roles: list[tuple[int, Role]] = field(default_factory=list)
    mentions: list[tuple[int, int, str, str]] = field(
        default_factory=list
    )  # start, end, text, method
    surname_only: bool = False

    @property
    def key(self) -> str:
        return name_key(self.name)


class ActorsComponent:
    """Pipeline component ``actors``: sentences and resolved actor mentions per article."""

    name: str = "actors"
    version: str = "2"
    requires: tuple[str, ...] = ("text",)
    assigns: tuple[str, ...] = ("sentences", "mentions")

    def __init__(
        self, gazetteer: Gazetteer, model: str = "md", n_process: int = 1, **_: object
    ) -> None:
        self.gazetteer = gazetteer
        self.model = model
        self.n_process = n_process

    def predict(self, articles: Iterable[ArticleInput]) -> Iterator[ActorAnalysis]:
        pairs = ((a.text, a.id) for a in articles)
        for doc, article_id in parse(pairs, self.gazetteer, self.model, self.n_process):
            yield ActorAnalysis(article_id, doc.sentences, tuple(resolve(doc, self.gazetteer)))


def resolve(doc: Parsed, gazetteer: Gazetteer) -> list[ActorMention]:
    """All actor mentions of one parsed article, resolved within the article."""
    people: list[_Cluster] = []
    others: dict[tuple[str, str], _Cluster] = {}
    acronyms: dict[str, _Cluster] = {}
    entities = list(_entities(doc, gazetteer))
    known = {part for e in entities if e.label == "PERSON" for part in name_parts(e.text)}
    known |= gazetteer.person_surnames
    person_ents: list[Entity] = []
    for ent in entities:
        if _place_in_context(doc.text, ent, gazetteer, entities):
            ent = replace(ent, label="GPE")
        elif _is_person(doc.text, ent, known):
            person_ents.append(ent)
            continue
        cluster = _other_cluster(ent, gazetteer, others, acronyms)
        if cluster is not None:
            cluster.mentions.append((ent.start, ent.end, ent.text, _method(ent)))
            _note_acronym(doc.text, ent, cluster, acronyms)
    _cluster_people(doc, person_ents, people, gazetteer)
    _attach_role_mentions(doc, people, gazetteer)
    _officials_of_the_dateline(doc.text, people, gazetteer)
    return sorted(_emit([*people, *others.values()]), key=lambda m: m.start)


def _officials_of_the_dateline(text: str, people: list[_Cluster], gazetteer: Gazetteer) -> None:
    """A person holding an office ("Interior Minister X") with no country written beside
    the name serves, in local news, the country of the dateline ("PRISTINA – …")."""
    found = _DATELINE.match(text)
    if not found:
        return
    name = found.group("place").strip()
    country = gazetteer.country(name.title()) or (
        place.country if (place := gazetteer.place(name.title())) else None
    )
    if country is None:
        return
    for cluster in people:
        if cluster.roles and not cluster.countries:
            cluster.countries.add(country)


def _place_in_context(text: str, ent: Entity, gazetteer: Gazetteer, entities: list[Entity]) -> bool:
    """A town NER took for a person or an organisation ("the towns of Leskovac and
    Prokuplje"): a name our place list knows, written where only a place fits, after a
    locative preposition or in a list that one opens. A surname shared with a place
    ("Lincoln") stays a person when the article names that person in full or our list of
    public figures has it, and a name after "the" is a modifier ("in the Obama
    administration", Obama being also a town in Japan)."""
    if ent.ident or ent.label not in {"PERSON", "ORG"} or gazetteer.place(ent.text) is None:
        return False
    before = text[max(0, ent.start - 80) : ent.start]
    if not _LOCATIVE_BEFORE.search(before) or before.endswith(("the ", "The ")):
        return False  # "in the Obama administration": a name as a modifier, not a town
    parts = set(name_parts(ent.text))
    if parts & gazetteer.person_surnames:
        return False
    return not any(
        e.label == "PERSON" and e.text != ent.text and parts <= set(name_parts(e.text))
        for e in entities
    )


def _is_person(text: str, ent: Entity, known_parts: set[str]) -> bool:
    """PERSON, or a name NER mislabelled: a part of a person's name in this article
    ("Vučić" tagged ORG next to "Aleksandar Vučić"), or right after a title ("President X")."""
    if ent.ident:
        return ent.ident.startswith("actor:p")
    if ent.text.isupper():
        return False
    if ent.label == "PERSON":
        return True
    if ent.label not in {"ORG", "GPE", "LOC", "NORP"} or len(ent.text.split()) > 3:
        return False
    parts = name_parts(ent.text)
    if parts and set(parts) <= known_parts:
        return True
    return bool(_TITLE_RIGHT_BEFORE.search(text[max(0, ent.start - 40) : ent.start]))


def _entities(doc: Parsed, gazetteer: Gazetteer) -> Iterable[Entity]:
    for ent in _joined_places(doc, gazetteer):
        text = strip_possessive(ent.text.split("\n", 1)[0]).rstrip(_TRAILING)
        if text != ent.text:
            ent = replace(ent, text=text, end=ent.start + len(text))
        if len(text) < 2 or _JUNK.search(text) or _generic(text, ent.label):
            continue
        if ent.label in {"PERSON", "ORG"} and text == text.lower():
            continue
        yield ent


def _joined_places(doc: Parsed, gazetteer: Gazetteer) -> list[Entity]:
    """NER splits some place names in two ("Baja" + "California"); two places with only a
    space between them are one name (a comma between them makes "Niš, Serbia" two, and a
    country stays itself: "U.S. Capitol")."""
    joined: list[Entity] = []
    for ent in doc.entities:
        last = joined[-1] if joined else None
        if (
            last is not None
            and {last.label, ent.label} <= {"GPE", "LOC"}
            and not last.ident
            and not ent.ident
            and doc.text[last.end : ent.start] == " "
            and not gazetteer.country(last.text)
            and not gazetteer.country(ent.text)
        ):
            joined[-1] = replace(last, end=ent.end, text=doc.text[last.start : ent.end])
        else:
            joined.append(ent)
    return joined


def _generic(text: str, label: str) -> bool:
    """A lone common word NER took for a name: "Interior" (of Interior Minister), "Loading"."""
    return label in {"ORG", "PERSON"} and " " not in text and text.lower() in _GENERIC_WORDS


def _method(ent: Entity) -> str:
    if ent.label == "NORP":
        return "demonym"
    return "gazetteer" if ent.ident else "ner"


def _other_cluster(
    ent: Entity,
    gazetteer: Gazetteer,
    others: dict[tuple[str, str], _Cluster],
    acronyms: dict[str, _Cluster],
) -> _Cluster | None:
    if ent.text in acronyms:
        return acronyms[ent.text]
    name, kind, subkind, countries = _classify(ent, gazetteer)
    if kind is None:
        return None
    slot = (name_key(name), kind)
    cluster = others.get(slot)
    if cluster is None:
        cluster = others[slot] = _Cluster(name, kind, subkind, set(countries))
    return cluster


def _classify(
    ent: Entity, gazetteer: Gazetteer
) -> tuple[str, str | None, str | None, tuple[str, ...]]:
    text = ent.text
    if ent.ident.startswith("country:"):
        code = ent.ident.split(":", 1)[1]
        return gazetteer.country_name(code), "country", None, (code,)
    if ent.label == "NORP":
        demonym = gazetteer.demonym(text)
        if demonym is None:
            return text, None, None, ()
        return gazetteer.country_name(demonym), "country", None, (demonym,)
    entry = _entry(ent, gazetteer)
    if entry is not None:
        return entry.name, entry.kind, entry.subkind, entry.countries
    if text.isupper() and len(text) > 4 and gazetteer.place(text.title()):
        ent = replace(ent, label="GPE")  # an all-caps dateline ("SARAJEVO –"), not an acronym
        text = text.title()
    if ent.label in {"GPE", "LOC", "FAC"}:
        country = gazetteer.country(text)
        if country:
            return gazetteer.country_name(country), "country", None, (country,)
        place = gazetteer.place(text)
        if place is not None:
            return place.name, "place", None, (place.country,)
        return _drop_the(text), "place", None, ()
    if ent.label == "ORG":
        return _drop_the(text), *_org_kind(text), _countries_in(text, gazetteer)
    return text, None, None, ()


def _entry(ent: Entity, gazetteer: Gazetteer) -> Entry | None:
    if ent.ident.startswith("actor:"):
        return gazetteer.entries.get(ent.ident.split(":", 1)[1])
    return gazetteer.entry(ent.text)


def _org_kind(name: str) -> tuple[str, str | None]:
    for word in reversed(name.lower().split()):
        if word in _GROUP_HEADS:
            return "group", _GROUP_HEADS[word]
    return "institution", None


def _countries_in(name: str, gazetteer: Gazetteer) -> tuple[str, ...]:
    found = []
    for word in re.findall(r"[A-Z][\w-]+", name):
        code = gazetteer.country(word) or gazetteer.demonym(word)
        if code and code not in found:
            found.append(code)
    return tuple(found)


def _drop_the(text: str) -> str:
    return text[4:] if text.lower().startswith("the ") else text


def _note_acronym(text: str, ent: Entity, cluster: _Cluster, acronyms: dict[str, _Cluster]) -> None:
    found = _ACRONYM_AFTER.match(text, ent.end)
    if found and cluster.kind in {"group", "institution"}:
        acronyms[found.group("acr")] = cluster


def _cluster_people(
    doc: Parsed, ents: list[Entity], people: list[_Cluster], gazetteer: Gazetteer
) -> None:
    singles = []
    for ent in ents:
        parts = name_parts(ent.text)
        if not parts:
            continue
        if len(parts) == 1:
            singles.append(ent)
            continue
        cluster = next((c for c in people if name_parts(c.name) == parts), None)
        if cluster is None:
            entry = gazetteer.entry(ent.text)
            name = entry.name if entry and entry.kind == "person" else ent.text
            cluster = _Cluster(name, "person", None, set(entry.countries if entry else ()))
            people.append(cluster)
        _add_person_mention(doc, ent, cluster, "ner", gazetteer)
    for ent in singles:
        cluster = _nearest_by_surname(people, name_parts(ent.text)[0], ent.start)
        if cluster is None:
            entry = gazetteer.entry(ent.text)
            if entry is not None and entry.kind == "person":
                cluster = _Cluster(entry.name, "person", None, set(entry.countries))
            else:
                cluster = _Cluster(ent.text, "person", None, surname_only=True)
            people.append(cluster)
        _add_person_mention(doc, ent, cluster, "surname", gazetteer)


def _nearest_by_surname(people: list[_Cluster], part: str, at: int) -> _Cluster | None:
    candidates = [c for c in people if not c.surname_only and part in name_parts(c.name)[-2:]]
    candidates += [c for c in people if c.surname_only and name_parts(c.name) == [part]]
    before = [
        (max(s for s, *_ in c.mentions if s < at), c)
        for c in candidates
        if any(s < at for s, *_ in c.mentions)
    ]
    if before:
        return max(before, key=lambda pair: pair[0])[1]
    after = [(min(s for s, *_ in c.mentions), c) for c in candidates if c.mentions]
    return min(after, key=lambda pair: pair[0])[1] if after else None


def _add_person_mention(
    doc: Parsed, ent: Entity, cluster: _Cluster, method: str, gazetteer: Gazetteer
) -> None:
    cluster.mentions.append((ent.start, ent.end, ent.text, method))
    start, end = doc.sentence_at(ent.start)
    # words about this person start after the previous name in the sentence
    floor = max(
        [
            start,
            *(e.end for e in doc.entities if start <= e.end <= ent.start and e.label == "PERSON"),
        ]
    )
    role = role_before(doc.text, ent.start, floor, _country_of(gazetteer)) or role_after(
        doc.text, ent.end, end, _country_of(gazetteer)
    )
    if role is not None:
        cluster.roles.append((ent.start, role))
        if role.country:
            cluster.countries.add(role.country)


def _country_of(gazetteer: Gazetteer):  # type: ignore[no-untyped-def]
    return lambda text: gazetteer.country(text) or gazetteer.demonym(text)


def _attach_role_mentions(doc: Parsed, people: list[_Cluster], gazetteer: Gazetteer) -> None:
    taken = [(s, e) for c in people for s, e, *_ in c.mentions]
    for found in ROLE_MENTION.finditer(doc.text):
        start, end = found.start(), found.end()
        if found.group("of") and not _country_of(gazetteer)(found.group("place")):
            end = found.end("role")
        if any(s < end and start < e for s, e in taken) or _names_follow(doc.text, end, taken):
            continue
        role = role_in(doc.text[start:end], _country_of(gazetteer))
        holder = _holder(people, role, start) if role else None
        if holder is not None:
            holder.mentions.append((start, end, doc.text[start:end], "role"))


def _names_follow(text: str, end: int, taken: list[tuple[int, int]]) -> bool:
    """A title right before a name ("the President of Serbia, Aleksandar Vučić")."""
    gap = re.match(r"[\s,]{0,3}", text[end:])
    nxt = end + (gap.end() if gap else 0)
    return any(s == nxt for s, _ in taken)


def _holder(people: list[_Cluster], role: Role, at: int) -> _Cluster | None:
    scored = []
    for cluster in people:
        for position, held in cluster.roles:
            if compatible(role, held):
                scored.append((0 if position < at else 1, abs(at - position), cluster))
    return min(scored, key=lambda t: (t[0], t[1]))[2] if scored else None


def _emit(clusters: list[_Cluster]) -> Iterator[ActorMention]:
    for cluster in clusters:
        role = cluster.roles[0][1].head if cluster.roles else None
        for start, end, text, method in cluster.mentions:
            yield ActorMention(
                start=start,
                end=end,
                text=text,
                name=cluster.name,
                kind=cluster.kind,
                subkind=cluster.subkind,
                countries=tuple(sorted(cluster.countries)),
                key=cluster.key,
                method=method,
                role=role,
                surname_only=cluster.surname_only,
            )
