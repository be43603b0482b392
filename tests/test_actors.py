"""Actors: resolved from real models on real text, catalogued by country, curated."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import EXAMPLES, shared_path
from dossier import Catalog
from dossier.cli import cli
from dossier.components.actors import ActorsComponent
from dossier.components.names import name_key

pytestmark = pytest.mark.slow

ARTICLE = """BELGRADE – Serbian Interior Minister Dragan Petrović met the Mayor of Niš, Milena Kovač, on Monday. The Serbian interior minister said the Kosovo Liberation Army (KLA) veterans' march would be watched.

Petrović told reporters that NATO and the European Union had been informed. Kovač said Niš would host the talks.

Ana Petrović, a teacher from Novi Sad, said the march worried her. Petrović added that her school stayed open."""


@pytest.fixture(scope="module")
def samples_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalog]:
    folder = shared_path("samples")
    db = tmp_path_factory.mktemp("samples") / "s.db"
    with Catalog.open(db) as catalog:
        catalog.ingest([folder])
        catalog.analyze()
        yield catalog


def _names(catalog: Catalog) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {
        actor.name: (actor.subkind or actor.kind, actor.countries)
        for group in catalog.catalog()
        for actor in group.actors
    }


@pytest.mark.shared
@pytest.mark.parametrize(
    ("name", "kind", "country"),
    [
        ("Aleksandar Vučić", "person", "RS"),
        ("Sergei Lavrov", "person", "RU"),
        ("Richard Grenell", "person", "US"),
        ("Hashim Thaçi", "person", "XK"),
        ("Alexander Botsan-Kharchenko", "person", "RU"),
        ("Kosovo Liberation Army", "armed_group", "XK"),
        ("Sinaloa Cartel", "criminal_organisation", "MX"),
        ("Al-Shabab", "armed_group", "SO"),
        ("Hayat Tahrir al-Sham", "armed_group", "SY"),
        ("Grey Wolves", "movement", "TR"),
        ("NATO", "international_organisation", None),
        ("European Union", "international_organisation", None),
        ("UN Security Council", "international_organisation", None),
        ("Belgrade", "place", "RS"),
        ("Pristina", "place", "XK"),
    ],
)
def test_real_samples_yield_the_actors_a_careful_reader_finds(
    samples_db: Catalog, name: str, kind: str, country: str | None
) -> None:
    found = _names(samples_db)
    assert name in found, sorted(found)
    assert found[name][0] == kind
    if country:
        assert country in found[name][1]


@pytest.mark.shared
def test_vucic_is_also_the_president_of_serbia_and_thachi_is_thaci(samples_db: Catalog) -> None:
    vucic = samples_db.actor("Vucic")
    texts = {t for t, _ in vucic.aliases}
    assert {"the President of Serbia", "The Serbian president", "Vučić"} <= texts
    assert vucic.actor.articles == 2
    thaci = samples_db.actor("Hashim Thaci")
    assert thaci.actor.name == "Hashim Thaçi" and thaci.actor.articles == 2
    assert {t for t, _ in thaci.aliases} == {"Hashim Thachi"}
    assert samples_db.actor("Lavrov").actor.name == "Sergei Lavrov"


@pytest.mark.shared
def test_no_actor_is_made_of_debris(samples_db: Catalog) -> None:
    for name in _names(samples_db):
        assert not any(junk in name for junk in ("comment", "Notify", "Feedback", "newsletter"))


def test_roles_surnames_and_shared_surnames_resolve_within_an_article(write, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    write("a.txt", "March in Niš\n\n" + ARTICLE)
    with Catalog.open(db_path) as catalog:
        catalog.ingest([write.folder])
        catalog.analyze()
        mentions = catalog.article_mentions(next(catalog.articles()).id)
        by_text: dict[str, set[str]] = {}
        for m in mentions:
            by_text.setdefault(m["text"], set()).add(m["name"])
        assert by_text["The Serbian interior minister"] == {"Dragan Petrović"}
        # "Petrović" goes to the nearest preceding full name: Dragan first, then Ana
        firsts = [m["name"] for m in mentions if m["text"] == "Petrović"]
        assert firsts == ["Dragan Petrović", "Ana Petrović"]
        assert by_text["KLA"] == {"Kosovo Liberation Army"}
        assert catalog.actor("Dragan Petrovic").actor.countries == ("RS",)
        assert catalog.actor("Kovač").actor.name == "Milena Kovač"


def test_analyze_redoes_only_what_is_stale(write, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    write("a.txt", "March in Niš\n\n" + ARTICLE)
    with Catalog.open(db_path) as catalog:
        catalog.ingest([write.folder])
        every = {"actors": 1, "quotes": 1, "techniques": 1}
        assert catalog.analyze().analysed == every
        assert catalog.analyze().analysed == {"actors": 0, "quotes": 0, "techniques": 0}
        catalog.store.db.execute("UPDATE analyses SET version = 'old' WHERE component = 'actors'")
        # new mentions make what was computed from the old ones stale too
        assert catalog.analyze().analysed == every
        assert catalog.analyze(only="quotes").analysed == {"quotes": 0}
        assert catalog.analyze(force=True).analysed == every
        rows = catalog.store.db.execute("SELECT DISTINCT version FROM mentions").fetchall()
        assert [r[0] for r in rows] == [ActorsComponent.version]


def test_curation_survives_reanalysis_and_round_trips_as_yaml(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "c.db")
    folder = tmp_path / "ex"
    shutil.copytree(EXAMPLES, folder)
    assert runner.invoke(cli, ["ingest", str(folder), "--db", db]).exit_code == 0
    with Catalog.open(db) as catalog:
        people = [a for g in catalog.catalog(kind="person") for a in g.actors]
        first, second = people[0].name, people[1].name
    for args in (
        ["merge", first, second],
        ["rename", first, "Merged Person"],
        ["alias", "Merged Person", "The Twins"],
    ):
        result = runner.invoke(cli, ["actors", *args, "--db", db])
        assert result.exit_code == 0, result.output
    exported = runner.invoke(cli, ["actors", "export", "--db", db])
    assert "op: merge" in exported.output and "Merged Person" in exported.output
    assert runner.invoke(cli, ["analyze", "--force", "--db", db]).exit_code == 0
    profile = json.loads(
        runner.invoke(cli, ["actor", "Merged Person", "--db", db, "--json"]).output
    )
    texts = {a["text"] for a in profile["aliases"]}
    assert {name_key(t) for t in texts} >= {name_key(first)} | {name_key(second)} or len(texts) >= 2
    # a fresh catalog gets the same curation from the YAML file
    other = str(tmp_path / "d.db")
    runner.invoke(cli, ["ingest", str(folder), "--db", other])
    yaml_file = tmp_path / "curation.yaml"
    yaml_file.write_text(exported.output.split("exported")[0], encoding="utf-8")
    imported = runner.invoke(cli, ["actors", "import", str(yaml_file), "--db", other])
    assert "applied 3 operations" in imported.output, imported.output
    assert json.loads(
        runner.invoke(cli, ["actor", "Merged Person", "--db", other, "--json"]).output
    )


def test_catalog_and_actor_json_are_stable(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "c.db")
    runner.invoke(cli, ["ingest", str(EXAMPLES), "--db", db])
    groups = json.loads(runner.invoke(cli, ["catalog", "--db", db, "--json"]).stdout)
    assert set(groups[0]) == {"country", "name", "actors"}
    actor = groups[0]["actors"][0]
    assert set(actor) == {
        "id",
        "name",
        "kind",
        "subkind",
        "countries",
        "articles",
        "mentions",
        "first_seen",
        "last_seen",
    }
    profile = json.loads(
        runner.invoke(cli, ["actor", f"#{actor['id']}", "--db", db, "--json"]).output
    )
    assert set(profile) >= {"aliases", "roles", "articles", "outlets", "co_mentioned"}
    serbia = json.loads(
        runner.invoke(cli, ["catalog", "--country", "rs", "--db", db, "--json"]).output
    )
    assert [g["country"] for g in serbia] == ["RS"]
    missing = runner.invoke(cli, ["actor", "Nobody Atall", "--db", db])
    assert missing.exit_code == 1 and "no actor called" in missing.output


def test_curation_file_errors_are_reported(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.yaml"
    bad.write_text("just: text\n", encoding="utf-8")
    result = runner.invoke(cli, ["actors", "import", str(bad), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1 and "not a dossier curation file" in result.output


def test_towns_ner_takes_for_people_are_places_and_split_place_names_join() -> None:
    from dossier.components.actors import resolve
    from dossier.components.gazetteer import Gazetteer
    from dossier.components.nlp import parse

    gazetteer = Gazetteer()
    text = (
        "Authorities in the nearby towns of Leskovac and Prokuplje said they were "
        "considering similar measures. The Baja California state government said on "
        "Monday it would send inspectors. Abraham Lincoln's heirs met in Lincoln."
    )
    ((doc, _),) = parse([(text, None)], gazetteer)
    kinds = {(m.text, m.kind, m.countries) for m in resolve(doc, gazetteer)}
    assert ("Leskovac", "place", ("RS",)) in kinds
    assert ("Prokuplje", "place", ("RS",)) in kinds
    assert ("Baja California", "place", ()) in kinds  # not Baja, Hungary
    assert not any(m[0] == "Baja" for m in kinds)
    # the surname of a person the article names in full stays that person's
    assert all(kind == "person" for t, kind, _ in kinds if t == "Lincoln")
