"""Quotes: every quotation style, split and running quotes, speakers, scare quotes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import shared_path
from dossier import Catalog
from dossier.cli import cli
from dossier.components import attribution, reported, speakers
from dossier.components.base import MentionRef
from dossier.components.quotes import extract, quoted_spans


def person(text: str, name: str, actor_id: int, at: str, nth: int = 0) -> MentionRef:
    start = -1
    for _ in range(nth + 1):
        start = text.index(at, start + 1)
    return MentionRef(start, start + len(at), at, actor_id, name, "person")


@pytest.mark.parametrize(
    ("open_", "close"),
    [
        ("“", "”"),
        ('"', '"'),
        ("«", "»"),
        ("„", "“"),
        ("„", "”"),
        ("‚", "‘"),
        ("‘", "’"),
        ("‹", "›"),
    ],
)
def test_every_quotation_style_is_found(open_: str, close: str) -> None:
    text = f"Mayor Ana Ilić said: {open_}The bridge will open in May, whatever it costs.{close} Then she left."
    spans = quoted_spans(text)
    assert [text[s:e] for s, e in spans] == ["The bridge will open in May, whatever it costs."]


def test_apostrophes_do_not_close_single_quotes() -> None:
    text = "He said: ‘Serbia’s answer is the city’s answer, and it won’t change.’ Done."
    assert [text[s:e] for s, e in quoted_spans(text)] == [
        "Serbia’s answer is the city’s answer, and it won’t change."
    ]


def test_nested_quotes_stay_inside_the_outer_quote() -> None:
    text = (
        "“It is clear. If you want an answer, the answer is “no.” We will be careful. ” she said."
    )
    spans = quoted_spans(text)
    assert len(spans) == 1 and text[spans[0][0] : spans[0][1]].endswith("careful. ")


def test_quote_over_several_paragraphs_and_a_missing_closing_mark() -> None:
    text = "“First part of the statement goes here.\n\n“Second part continues it.” he said.\n\n“Never closed and the paragraph ends\n\nNext paragraph."
    spans = [text[s:e] for s, e in quoted_spans(text)]
    assert spans[0].startswith("First part") and spans[0].endswith("continues it.")
    assert spans[1] == "Never closed and the paragraph ends"


def test_split_quote_takes_its_speaker_for_both_parts() -> None:
    text = "Milena Kovač spoke in Niš. “The water is safe,” Kovač said, “and the tests prove it.”"
    mentions = (
        person(text, "Milena Kovač", 7, "Milena Kovač"),
        person(text, "Milena Kovač", 7, "Kovač", 1),
    )
    quotes = [q for q in extract(text, mentions) if q.kind == "direct"]
    assert [q.text for q in quotes] == ["The water is safe,", "and the tests prove it."]
    assert {q.actor_id for q in quotes} == {7}
    assert {q.cue for q in quotes} == {"said"}


def test_role_inverted_cue_and_pronoun_speakers() -> None:
    text = (
        "Interior Minister Dragan Petrović visited Kraljevo. “We will rebuild every house in the valley,” "
        "said the minister. He added that the army would help."
    )
    mentions = (
        person(text, "Dragan Petrović", 3, "Dragan Petrović"),
        person(text, "Dragan Petrović", 3, "the minister"),
    )
    quotes = extract(text, mentions)
    direct = next(q for q in quotes if q.kind == "direct")
    assert (direct.speaker_text, direct.actor_id, direct.cue) == ("the minister", 3, "said")
    indirect = next(q for q in quotes if q.kind == "indirect")
    assert indirect.text == "the army would help"
    assert (indirect.speaker_text, indirect.actor_id) == ("He", 3)


def test_according_to_and_scare_quotes() -> None:
    text = (
        "According to Ambassador Ivo Lukić, the talks “went better than anyone expected this week.” "
        "Critics called the plan a “reform” that brings “peace and stability” to nobody."
    )
    mentions = (person(text, "Ivo Lukić", 5, "Ivo Lukić"),)
    quotes = extract(text, mentions)
    kinds = {q.text: q.kind for q in quotes}
    assert kinds["reform"] == kinds["peace and stability"] == "scare"
    quoted = next(q for q in quotes if q.text.startswith("went better"))
    assert (quoted.kind, quoted.cue, quoted.actor_id) == ("direct", "according to", 5)


def test_parts_of_names_in_marks_are_not_quotes() -> None:
    text = (
        "Troops detained a suspect identified only as Jesús Alberto “N” near Navolato. "
        "Police said Ramón “El Tigre” Salas had fled. Critics called it a “ceasefire”."
    )
    quotes = extract(text, ())
    assert [q.text for q in quotes if q.kind == "scare"] == ["ceasefire"]
    assert not any(q.text in {"N", "El Tigre"} for q in quotes)
    # with actor mentions, a nickname needs a person's surname after it
    text = "Ramón “El Tigre” Salas met the Obama “Justice” Department."
    mentions = (person(text, "Ramón Salas", 1, "Salas"), person(text, "Obama", 2, "Obama"))
    assert [q.text for q in extract(text, mentions) if q.kind == "scare"] == ["Justice"]


def test_an_unknown_speaker_is_left_unresolved_with_a_reason() -> None:
    text = "“The harbour will close for good at the end of the summer season,” a source said."
    quote = extract(text, ())[0]
    assert quote.kind == "direct" and quote.actor_id is None and quote.reason


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = shared_path("samples")
    db = tmp_path_factory.mktemp("q") / "q.db"
    with Catalog.open(db) as catalog:
        catalog.ingest([folder])
        catalog.analyze()
    return db


@pytest.mark.slow
@pytest.mark.shared
def test_real_samples_attribute_quotes_to_the_right_people(samples: Path) -> None:
    with Catalog.open(samples) as catalog:
        by_vucic = catalog.quotes(actor="Vucic", kinds=("direct",))
        assert len(by_vucic) == 2
        assert by_vucic[0].speaker_text == "the President of Serbia"
        assert by_vucic[1].text.startswith("It is clear what our answer will be")
        grenell = catalog.quotes(actor="Grenell", kinds=("indirect",))
        assert any(q.text.startswith("Pristina would stop") for q in grenell)
        ambassador = catalog.quotes(actor="Botsan-Kharchenko")
        assert [q.text for q in ambassador] == ["have not canceled any areas of cooperation."]
        assert ambassador[0].cue == "according to"
        scare = {q.text for q in catalog.quotes(kinds=("scare",))}
        assert {"Kosovo Question", "independence", "peace", "stability"} <= scare
        spoken = {q.text for q in catalog.quotes()}
        assert not spoken & {"Kosovo Question", "independence", "peace", "stability"}


@pytest.mark.slow
@pytest.mark.shared
def test_quotes_cli_json_and_csv(samples: Path, runner) -> None:  # type: ignore[no-untyped-def]
    records = json.loads(runner.invoke(cli, ["quotes", "--db", str(samples), "--json"]).stdout)
    keys = {
        "article_id",
        "kind",
        "text",
        "start",
        "end",
        "cue",
        "speaker_text",
        "speaker_start",
        "speaker_end",
        "speaker",
        "reason",
        "title",
        "origin",
        "outlet",
        "date",
        "appears_in",
        "first_appearance",
    }
    assert set(records[0]) == keys
    with Catalog.open(samples) as catalog:
        for r in records:
            assert catalog.article(r["article_id"]).text[r["start"] : r["end"]] == r["text"]
    about = json.loads(
        runner.invoke(cli, ["quotes", "--about", "Kosovo", "--db", str(samples), "--json"]).output
    )
    assert about and all(r["speaker"] is None or r["speaker"]["name"] != "Kosovo" for r in about)
    table = runner.invoke(cli, ["quotes", "--db", str(samples), "--csv"]).output
    assert table.startswith("date,outlet,article_id,kind,speaker")
    profile = json.loads(
        runner.invoke(cli, ["actor", "Vučić", "--db", str(samples), "--json"]).output
    )
    assert len(profile["quotes_by"]) >= 3


def test_doubled_apostrophe_quotes_take_their_speaker() -> None:
    text = (
        "Mr. Kamp was upbeat.\n\n''We are almost at permanent presence,'' Mr. Kamp said. "
        "''More is being decided than anyone imagined.''"
    )
    mentions = (person(text, "Tomas Kamp", 4, "Mr. Kamp", 1),)
    quotes = [q for q in extract(text, mentions) if q.kind == "direct"]
    assert [q.text for q in quotes] == [
        "We are almost at permanent presence,",
        "More is being decided than anyone imagined.",
    ]
    assert {(q.speaker_text, q.actor_id) for q in quotes} == {("Mr. Kamp", 4)}


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("“The port stays open,” the harbour master said.", "the harbour master"),
        (
            "“The port stays open,” said conservative activist Ana Horvat, who runs a shop.",
            "Ana Horvat",
        ),
        (
            "“The port stays open,” Ana Horvat, an analyst at a bank in Split, wrote in a note.",
            "Ana Horvat",
        ),
        ("Speaking in Split on Monday, Ana Horvat said: “The port stays open.”", "Ana Horvat"),
        ("The port, she said, “stays open until the storm has passed.”", "she"),
        ("“The port stays open,” a spokesman for Ana Horvat said.", "a spokesman for Ana Horvat"),
    ],
)
def test_speakers_are_read_from_the_words_around_the_cue(sentence: str, speaker: str) -> None:
    mentions = (
        (person(sentence, "Ana Horvat", 2, "Ana Horvat"),) if "Ana Horvat" in sentence else ()
    )
    quote = next(q for q in extract(sentence, mentions) if q.kind in {"direct", "indirect"})
    assert quote.speaker_text == speaker
    assert quote.actor_id == (2 if speaker == "Ana Horvat" else None)


def test_quoted_words_inside_a_reported_clause_make_one_indirect_quote() -> None:
    text = "Horvat said the new bridge was “a waste of money” and would never be finished."
    mentions = (person(text, "Ana Horvat", 2, "Horvat"),)
    quotes = extract(text, mentions)
    assert [(q.kind, q.text, q.actor_id) for q in quotes] == [
        ("indirect", "the new bridge was “a waste of money” and would never be finished", 2)
    ]
    text = "Horvat said on Monday that no power cuts were expected “for now”."
    mentions = (person(text, "Ana Horvat", 2, "Horvat"),)
    assert [q.text for q in extract(text, mentions)] == ["no power cuts were expected “for now”"]


def test_unattributed_quotations_are_listed_only_on_request(
    tmp_path: Path,
    runner,
    write,  # type: ignore[no-untyped-def]
) -> None:
    folder = tmp_path / "in"
    write(
        folder / "a.txt",
        "Harbour news\n\nThe sign at the gate read: nothing.\n\n"
        "“Nobody knows who wrote this long sentence on the wall of the old harbour.”\n\n"
        "“The port stays open all winter,” said Ana Horvat, the harbour master of Split.",
    )
    db = str(tmp_path / "c.db")
    assert runner.invoke(cli, ["ingest", str(folder), "--db", db]).exit_code == 0
    listed = json.loads(runner.invoke(cli, ["quotes", "--db", db, "--json"]).stdout)
    assert [q["text"] for q in listed] == ["The port stays open all winter,"]
    everything = json.loads(
        runner.invoke(cli, ["quotes", "--db", db, "--json", "--unattributed"]).output
    )
    unknown = [q for q in everything if q["speaker_text"] is None]
    assert len(everything) == 2 and unknown[0]["reason"]


@pytest.mark.parametrize(
    ("sentence", "speaker", "content"),
    [
        (
            "Mr. Horvat's aides said he intended to stay in Split until the vote.",
            "Mr. Horvat's aides",
            "he intended to stay in Split until the vote",
        ),
        (
            "The harbour will stay open all winter, said Ana Horvat, the harbour master.",
            "Ana Horvat",
            "The harbour will stay open all winter",
        ),
        (
            "Now, she said, the ferries and the fishing boats don't mix much.",
            "she",
            "Now, she said, the ferries and the fishing boats don't mix much",
        ),
        (
            "According to the port authority, the new quay will be finished in May.",
            "the port authority",
            "the new quay will be finished in May",
        ),
        (
            "Six in ten voters in Split say the ferry fares are too high.",
            "Six in ten voters in Split",
            "the ferry fares are too high",
        ),
        (
            "Ana Horvat, who says the quay is safe, met the mayor.",
            "who",
            "the quay is safe, met the mayor",
        ),
    ],
)
def test_reported_speech_shapes(sentence: str, speaker: str, content: str) -> None:
    mentions = (
        (person(sentence, "Ana Horvat", 2, "Ana Horvat"),) if "Ana Horvat" in sentence else ()
    )
    reported = [q for q in extract(sentence, mentions) if q.kind == "indirect"]
    assert (reported[0].speaker_text, reported[0].text) == (speaker, content)
    if speaker in {"Ana Horvat", "who"}:
        assert reported[0].actor_id == 2


@pytest.mark.parametrize(
    "sentence",
    [
        "At the end of the war in 1999, the strength of the army was estimated at twenty thousand.",
        "A third of the voters, 33%, say they feel that way.",
        "Moreover, the bridge that opened last year carries more traffic than planned.",
    ],
)
def test_sentences_that_report_nobody_give_no_speaker(sentence: str) -> None:
    reported = [q for q in extract(sentence) if q.kind == "indirect"]
    assert all(
        q.speaker_text not in {"Moreover", "they", "the strength of the army"} for q in reported
    )
    assert not any(q.speaker_text == "they" and "A third" in q.text for q in reported)


def test_transcript_and_headline_lines_belong_to_the_name_before_the_colon() -> None:
    text = (
        "Partial transcript as follows:\n\n"
        "MARKO HORVAT: The ferry fares will go up again in the spring, and nobody likes it.\n\n"
        "Ana Horvat: New quay in Split will be finished in May\n\nThe harbour is busy."
    )
    start = text.index("Ana Horvat")
    mentions = (MentionRef(start, start + 10, "Ana Horvat", 2, "Ana Horvat", "person"),)
    reported = {q.speaker_text: q for q in extract(text, mentions) if q.kind == "indirect"}
    assert reported["MARKO HORVAT"].text.startswith("The ferry fares will go up")
    assert reported["Ana Horvat"].text == "New quay in Split will be finished in May"
    assert reported["Ana Horvat"].actor_id == 2


def everything(*_: object) -> bool:
    return True


def candidates(sentence: str, mentions: tuple[MentionRef, ...] = ()) -> list[tuple[str, str, str]]:
    """(speaker, cue, content) of every candidate reported statement, the model aside."""
    quotes = extract(sentence, mentions, keep=everything)
    return [(q.speaker_text or "", q.cue or "", q.text) for q in quotes if q.kind == "indirect"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a noun-phrase subject and a verb with no speech in it
        (
            "The harbour board has rejected the plan to extend the quay.",
            ("The harbour board", "rejected", "the plan to extend the quay"),
        ),
        # a relative pronoun with a contraction
        (
            "The mayor, who’d previously backed the ferry company, changed course.",
            ("who", "backed", "the ferry company, changed course"),
        ),
        # the second verb of a coordination has the first one's subject
        (
            "Ana Horvat suggested that the fares were too high and argued that the port should pay.",
            ("Ana Horvat", "argued", "the port should pay"),
        ),
    ],
)
def test_stances_and_further_verbs_are_candidates(
    sentence: str, expected: tuple[str, str, str]
) -> None:
    mentions = (
        (person(sentence, "Ana Horvat", 2, "Ana Horvat"),) if "Ana Horvat" in sentence else ()
    )
    assert expected in candidates(sentence, mentions)


@pytest.mark.parametrize(
    "sentence",
    [
        "Ana Horvat support for the new quay grew after the storm in the spring.",
        "The ferry strike and the Split attacks on tourists dominated the week in the islands.",
        "Turnout was low in all five states that voted on the harbour question this year.",
    ],
)
def test_cue_words_used_as_nouns_are_not_reports(sentence: str) -> None:
    mentions = (
        (person(sentence, "Ana Horvat", 2, "Ana Horvat"),) if "Ana Horvat" in sentence else ()
    )
    cues = {cue for _, cue, _ in candidates(sentence, mentions)}
    assert not cues & {"support", "attacks", "states"}


def test_according_to_names_the_whole_phrase_and_the_whole_sentence() -> None:
    text = "According to the schedule published Thursday, Ana Horvat will open the quay in May."
    mentions = (person(text, "Ana Horvat", 2, "Ana Horvat"),)
    found = next(q for q in extract(text, mentions) if q.cue == "According to")
    assert found.speaker_text == "the schedule published Thursday" and found.actor_id is None
    text = "Since May, according to the harbour office, the ferries have run half empty."
    found = next(q for q in extract(text) if q.cue == "according to")
    assert found.speaker_text == "the harbour office"
    assert found.text == text.rstrip(".")


def test_a_participle_cue_belongs_to_the_subject_of_the_clause() -> None:
    text = "Ana Horvat endorsed Marko Kovač, saying he “knows every street of the old town”."
    mentions = (
        person(text, "Ana Horvat", 2, "Ana Horvat"),
        person(text, "Marko Kovač", 3, "Marko Kovač"),
    )
    quoted = [q for q in extract(text, mentions) if "knows every street" in q.text]
    assert quoted and all(q.actor_id == 2 for q in quoted)


def test_the_packaged_attribution_model_keeps_plain_speech() -> None:
    model = attribution.packaged()
    assert model is not None and 0.0 < model.threshold < 1.0
    text = "Ana Horvat said the ferry fares would go up again in the spring."
    mentions = (person(text, "Ana Horvat", 2, "Ana Horvat"),)
    reported = [q for q in extract(text, mentions) if q.kind == "indirect"]
    assert [(q.speaker_text, q.text) for q in reported] == [
        ("Ana Horvat", "the ferry fares would go up again in the spring")
    ]
    assert attribution.hashed(["cue=said"]) == attribution.hashed(["cue=said"])


def test_a_candidate_inside_another_records_the_outer_cue() -> None:
    text = "A harbour survey found that most ferry passengers said the fares were too high."
    found = {c.cue: c for c in reported.find(speakers.mask(text), ())}
    assert found["said"].outer == "found" and found["found"].outer == ""


def mention(text: str, at: str, actor_id: int, kind: str) -> MentionRef:
    start = text.index(at)
    return MentionRef(start, start + len(at), at, actor_id, at, kind)


@pytest.mark.parametrize(
    ("sentence", "places", "speaker", "actor"),
    [
        # a country modifying the speaker's words from the front: the words stay, the
        # country is the actor they speak for
        (
            "The ferry was towed to Split, Croatia’s coast guard agency said.",
            ["Croatia"],
            "Croatia’s coast guard agency",
            "Croatia",
        ),
        (
            "Croatian officials said the ferry would be towed to Split.",
            ["Croatian"],
            "Croatian officials",
            "Croatian",
        ),
        # a place inside the phrase speaks for nobody
        (
            "An EU spokesperson in Brussels said the talks would resume in May.",
            ["Brussels"],
            "An EU spokesperson in Brussels",
            None,
        ),
        (
            "An EU spokesperson in Brussels said the talks would resume in May.",
            ["EU", "Brussels"],
            "An EU spokesperson in Brussels",
            "EU",
        ),
        (
            "Officials in the towns of Šibenik and Zadar said they were considering similar measures.",
            ["Šibenik", "Zadar"],
            "Officials in the towns of Šibenik and Zadar",
            None,
        ),
        # a name heading the phrase is the speaker itself
        (
            "The Croatian Navy said the ferry would be towed to Split.",
            ["Croatian Navy"],
            "Croatian Navy",
            "Croatian Navy",
        ),
        ("Croatia said the ferry would be towed to Split.", ["Croatia"], "Croatia", "Croatia"),
    ],
)
def test_a_place_in_the_speakers_words_speaks_only_as_their_head_or_front(
    sentence: str, places: list[str], speaker: str, actor: str | None
) -> None:
    mentions = tuple(
        mention(sentence, p, k, "institution" if p in {"Croatian Navy", "EU"} else "country")
        for k, p in enumerate(places, 1)
    )
    reported = [q for q in extract(sentence, mentions) if q.kind == "indirect"]
    assert reported[0].speaker_text == speaker
    assert reported[0].speaker_name == actor


def test_a_name_in_a_relative_clause_or_a_pair_after_a_preposition_is_not_the_speaker() -> None:
    text = (
        "Luka Babić, who fled Knin in 1995, said the group had registered 300 new families. "
        "Authorities in the towns of Drniš and Knin said they had no more room."
    )
    # a place typed as a person, as a named-entity model sometimes does
    mentions = (
        person(text, "Luka Babić", 1, "Luka Babić"),
        person(text, "Knin", 2, "Knin"),
        person(text, "Knin", 2, "Knin", nth=1),
    )
    speakers_ = {q.speaker_text for q in extract(text, mentions) if q.kind == "indirect"}
    assert "Knin" not in speakers_
    assert "Luka Babić" in speakers_


def test_a_dateline_is_no_part_of_a_reported_statement() -> None:
    text = "SPLIT, Croatia — Ferries to the islands were cancelled on Monday, port officials said."
    reported = [q for q in extract(text, ()) if q.kind == "indirect"]
    assert (reported[0].speaker_text, reported[0].text) == (
        "port officials",
        "Ferries to the islands were cancelled on Monday",
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "In Split, several hundred dock workers gathered near the harbour for a short protest.",
        "Opposition councillors have called for an extraordinary session of the city assembly.",
        "Engineers had found corrosion in two of the quay’s main supports during an inspection.",
    ],
)
def test_plural_nouns_and_numbers_are_not_verbs(sentence: str) -> None:
    cues = {cue for _, cue, _ in candidates(sentence)}
    assert not cues & {"hundred", "councillors", "supports"}


def test_an_auxiliary_after_an_apposition_is_no_subject() -> None:
    text = "Marko Horvat, 34, whose channel has 40,000 subscribers, had published the contracts."
    assert all(speaker != "had" for speaker, _, _ in candidates(text))


@pytest.mark.parametrize(
    ("sentence", "reports"),
    [
        ("The views expressed in this article are his own and not those of the paper.", False),
        ("The plan unveiled in May was rejected by the harbour board.", False),
        ("Ana Horvat claimed in a speech on Monday that the harbour was safe.", True),
        ("Ana Horvat warned in Split the harbour was not safe.", True),
        ("The report published Thursday said the harbour was safe.", True),
    ],
)
def test_a_participle_qualifying_its_noun_reports_nothing(sentence: str, reports: bool) -> None:
    mentions = (
        (person(sentence, "Ana Horvat", 2, "Ana Horvat"),) if "Ana Horvat" in sentence else ()
    )
    assert bool(candidates(sentence, mentions)) == reports


def test_the_first_person_outside_quotes_is_the_writer_not_the_last_person_named() -> None:
    text = (
        "Former ambassador Luka Babić put it plainly when I spoke to him this week about the "
        "harbour and the plans for the quay."
    )
    mentions = (person(text, "Luka Babić", 1, "Luka Babić"),)
    first_person = [q for q in extract(text, mentions, keep=everything) if q.speaker_text == "I"]
    assert first_person and all(q.actor_id is None for q in first_person)
    assert "writer" in (first_person[0].reason or "")


@pytest.mark.parametrize(
    ("sentence", "speaker", "content"),
    [
        (
            "The harbour board on Tuesday rejected the ministry’s plan for the quay.",
            "The harbour board",
            "the ministry’s plan for the quay",
        ),
        (
            "The report published Thursday said the quay was unsafe.",
            "The report published Thursday",
            "the quay was unsafe",
        ),
        ("The mayor said on Monday that the quay was unsafe.", "The mayor", "the quay was unsafe"),
        (
            "The mayor said in the town that voted for him the quay was unsafe.",
            "The mayor",
            "in the town that voted for him the quay was unsafe",
        ),
    ],
)
def test_a_time_aside_is_neither_speaker_nor_content(
    sentence: str, speaker: str, content: str
) -> None:
    assert candidates(sentence) == [(speaker, candidates(sentence)[0][1], content)]
