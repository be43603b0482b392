"""Persuasion techniques: the trained model and the cues, through the real pipeline and CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import shared_path
from dossier import Catalog
from dossier.cli import cli
from dossier.components.base import ArticleInput
from dossier.components.quotes import QuotesComponent
from dossier.components.techniques import TechniquesComponent, find_spans
from dossier.components.techniques_model import TECHNIQUES

pytestmark = pytest.mark.slow

LOADED = (
    "Traitors and so-called experts want to destroy our glorious nation. They are liars and "
    "criminals, the worst enemies our sacred homeland has ever seen! Only a fool would trust "
    "them. The corrupt elite will ruin everything we love, and the shameful “reform” they sell "
    "is a disaster."
)


def test_spans_have_known_techniques_scores_and_exact_offsets() -> None:
    spans = find_spans(ArticleInput("x", "A title about a glorious nation", LOADED))
    assert spans, "a text this loaded should carry some technique"
    for span in spans:
        assert span.technique in TECHNIQUES
        assert 0 <= span.score <= 1
        source = LOADED if span.field == "text" else "A title about a glorious nation"
        assert 0 <= span.start < span.end <= len(source)
    reform = [s for s in spans if LOADED[s.start : s.end] == "reform" and s.field == "text"]
    assert reform and reform[0].technique == "Doubt" and "scare quote" in reform[0].evidence


def test_the_so_called_cue_takes_a_quoted_phrase_whole() -> None:
    text = "Critics slammed the so-called “peace plan” as surrender. The so-called experts agreed."
    cues = {
        text[s.start : s.end]
        for s in find_spans(ArticleInput("x", "", text))
        if "cue" in s.evidence
    }
    assert {"so-called “peace plan”", "so-called experts"} <= cues


def test_predict_entry_point_offsets_are_into_the_files_as_given(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "ptc"
    folder.mkdir()
    raw = "Headline  with   spaces\r\n\r\n" + LOADED + "\r\n"  # Windows line ends kept
    (folder / "article111.txt").write_bytes(raw.encode("utf-8"))
    out = tmp_path / "pred.tsv"
    result = runner.invoke(cli, ["techniques", "predict", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines and all(parts[0] == "111" and parts[1] in TECHNIQUES for parts in lines)
    assert any(raw[int(s) : int(e)] == "so-called experts" for _, _, s, e in lines)
    spans = tmp_path / "spans.tsv"
    spans.write_text("111\t?\t25\t45\n111\tDoubt\t30\t40\n", encoding="utf-8")
    out2 = tmp_path / "tc.tsv"
    runner.invoke(
        cli, ["techniques", "predict", str(folder), "--out", str(out2), "--spans", str(spans)]
    )
    classified = [line.split("\t") for line in out2.read_text(encoding="utf-8").splitlines()]
    assert [(c[0], c[2], c[3]) for c in classified] == [("111", "25", "45"), ("111", "30", "40")]
    assert all(c[1] in TECHNIQUES for c in classified)


def test_predict_entry_point_leaves_bare_scare_quotes_to_the_catalog(
    tmp_path: Path, runner
) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Council minutes\n\nThe council met on Tuesday to discuss the “independent” audit of "
        "the harbour accounts. Its report is due in March, the clerk said.\n"
    )
    folder = tmp_path / "ptc"
    folder.mkdir()
    (folder / "article7.txt").write_text(text, encoding="utf-8")
    catalog_spans = find_spans(ArticleInput("7", "", text))
    bare = [s for s in catalog_spans if s.evidence == "scare quote"]
    assert [text[s.start : s.end] for s in bare] == ["independent"]  # the catalog marks it
    out = tmp_path / "pred.tsv"
    result = runner.invoke(cli, ["techniques", "predict", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = {tuple(line.split("\t")[1:]) for line in out.read_text().splitlines()}
    expected = {
        (s.technique, str(s.start), str(s.end))
        for s in catalog_spans
        if s.evidence != "scare quote"
    }
    assert written == expected  # the model's spans and cues, without the bare quote


@pytest.mark.shared
def test_real_samples_flag_the_loaded_words_and_scare_quotes(tmp_path: Path) -> None:
    folder = shared_path("samples")
    with Catalog.open(tmp_path / "t.db") as catalog:
        catalog.ingest([folder])
        catalog.analyze()
        flagged: dict[str, set[str]] = {}
        for article in catalog.articles():
            for span in catalog.technique_spans(article.id, threshold=0.0):
                source = article.text if span["field"] == "text" else article.title
                flagged.setdefault(span["technique"], set()).add(
                    source[span["start"] : span["end"]]
                )
                if span["field"] == "text":  # nothing in the debris: it is gone before analysis
                    assert "Notify" not in source[span["start"] : span["end"]]
    doubt = flagged.get("Doubt", set())
    assert {"independence", "peace and stability"} <= doubt
    loaded = " | ".join(
        flagged.get("Loaded_Language", set()) | flagged.get("Name_Calling,Labeling", set())
    )
    assert "deep state" in loaded or "deep-state" in loaded
    assert "Occupied" in loaded
    flag = " | ".join(flagged.get("Flag-Waving", set()) | flagged.get("Loaded_Language", set()))
    assert "sacred land" in flag


def test_stats_by_outlet_and_month_cli(tmp_path: Path, runner, write) -> None:  # type: ignore[no-untyped-def]
    record = {
        "title": "Glorious nation",
        "text": LOADED,
        "outlet": "Patriot Daily",
        "date": "2024-05-02",
    }
    write("a.jsonl", json.dumps(record) + "\n")
    db = str(tmp_path / "s.db")
    assert runner.invoke(cli, ["ingest", str(write.folder), "--db", db]).exit_code == 0
    rows = json.loads(
        runner.invoke(cli, ["techniques", "stats", "--db", db, "--json", "--threshold", "0"]).output
    )
    assert rows and {r["group"] for r in rows} == {"Patriot Daily"}
    months = json.loads(
        runner.invoke(
            cli, ["techniques", "stats", "--by", "month", "--db", db, "--json", "--threshold", "0"]
        ).output
    )
    assert {r["group"] for r in months} == {"2024-05"}
    shown = runner.invoke(
        cli,
        [
            "show",
            json.loads(runner.invoke(cli, ["search", "nation", "--db", db, "--json"]).stdout)[0][
                "id"
            ],
            "--db",
            db,
        ],
    )
    assert "persuasion techniques" in shown.output


def test_encoder_gives_one_vector_per_word_piece_with_offsets() -> None:
    from dossier.components import encoder

    model = encoder.load()
    if model is None:
        pytest.skip("the MiniLM packages are not installed")
    texts = ["The so-called “reform” is a disaster.", "", "Short."]
    first, empty, short = model.encode(texts)
    assert first.vectors.shape == (len(first.starts), encoder.DIM)
    assert empty.vectors.shape == (0, encoder.DIM)
    pieces = [texts[0][s:e] for s, e in zip(first.starts, first.ends, strict=True)]
    assert "reform" in pieces and "disaster" in pieces
    again = model.encode(texts[:1])[0]  # deterministic, and independent of the batch
    assert np_allclose(again.vectors, first.vectors)
    assert not np_allclose(short.vectors[:1], first.vectors[:1])


def test_contextual_classifier_sees_the_sentence_of_the_span() -> None:
    from dossier.components.techniques_model import load, make_doc

    model = load()
    if not model.contextual:
        pytest.skip("no contextual classifier: MiniLM packages or model arrays missing")
    text = "They call it a reform. It is the worst disaster this city has ever seen!"
    doc = make_doc(text)
    start = text.index("the worst disaster")
    end = start + len("the worst disaster this city has ever seen")
    context = model.context(doc)
    assert context is not None
    with_context = model.class_probs(doc, start, end, None, context)
    without = model.class_probs(doc, start, end, None, None)
    assert abs(float(with_context.sum()) - 1.0) < 1e-6
    assert not np_allclose(with_context, without)  # the contextual head is in use
    assert context.done == {1}  # only the span's sentence was encoded
    technique, p = model.classify(text, start, end)
    assert technique in TECHNIQUES and 0 < p <= 1


def np_allclose(a: object, b: object) -> bool:
    import numpy as np

    return bool(np.allclose(np.asarray(a), np.asarray(b), atol=1e-5))


def test_encoder_batches_group_similar_lengths_and_cover_every_window() -> None:
    from dossier.components.encoder import BATCH, PAD_WASTE, _batches

    lengths = [5, 80, 6, 7, 90, 85, 4, *([20] * 40)]
    groups = _batches(lengths)
    assert sorted(j for g in groups for j in g) == list(range(len(lengths)))
    for group in groups:
        assert len(group) <= BATCH
        longest = max(lengths[j] for j in group)
        waste = 1 - sum(lengths[j] for j in group) / (len(group) * longest)
        assert waste <= PAD_WASTE
    assert not any({0, 1} <= set(g) for g in groups)  # 5 and 80 pieces are not padded together


def _tagger():  # type: ignore[no-untyped-def]
    from dossier.components import tagger

    loaded = tagger.load()
    if loaded is None:
        pytest.skip("the fine-tuned tagger or the MiniLM packages are not installed")
    return loaded


def test_tagger_windows_hold_whole_sentences_in_order() -> None:
    from dossier.components.tagger import MAX_PIECES, windows
    from dossier.components.techniques_model import make_doc

    tagger = _tagger()
    long_sentence = " ".join(["word"] * (MAX_PIECES + 30)) + "."
    text = "A headline\n\nFirst sentence here. Second one!\n" + long_sentence + "\nLast line."
    doc = make_doc(text)
    wins = windows(doc, tagger.tokenizer)
    starts = [s for w in wins for s in w.starts]
    assert starts == sorted(starts)  # every piece once, in text order
    assert all(0 < len(w.ids) <= MAX_PIECES for w in wins)
    pieces = [text[s:e] for w in wins for s, e in zip(w.starts, w.ends, strict=True)]
    assert pieces[:2] == ["a", "headline"] or pieces[:2] == ["A", "headline"]
    assert pieces.count("word") == MAX_PIECES + 30
    only_last = windows(doc, tagger.tokenizer, [len(doc.sents) - 1])
    assert [text[s:e] for s, e in zip(only_last[0].starts, only_last[0].ends, strict=True)] == [
        "Last",
        "line",
        ".",
    ]


def test_token_scores_per_distinct_word_equal_the_sum_over_feature_strings() -> None:
    """The runtime's span-tagger sums (weights looked up once per distinct word) are the
    sums over the feature strings the tagger was trained on, token for token."""
    from dossier.components.techniques_model import load, make_doc, token_feature_parts

    model = load("fast")
    texts = [
        LOADED,
        "Headline: the so-called “peace plan” is a disgrace!\n\nMr. Ortiz, 61, said so - "
        "the worst, greatest and most shameful deal. Is it? 'No,' he said.\n\nA. B. C.",
        "one",
        "Word word word word. Word! WORD?",
    ]
    for text in texts:
        doc = make_doc(text)
        expected = model._weight_sums(token_feature_parts(doc)[0])
        got = model.own_sums.sums(doc)
        assert got.shape == expected.shape and np_allclose(got, expected)
    assert model.own_sums.sums(make_doc("")).shape == (0,)


def test_span_features_find_the_tokens_inside_and_around_any_span() -> None:
    """The classifier's span features (tokens found by bisection) are those of a plain
    scan over every token, for spans on, inside and between tokens."""
    from dossier.components.techniques_text import make_doc, span_features

    text = "Headline!\n\nThe “so-called” elite, Mr. Ortiz said, is a disgrace.  Is it?\n'No.'"
    doc = make_doc(text)
    toks = doc.tokens

    def scanned(start: int, end: int) -> tuple[list[str], int, int]:
        inside = [t.lower for t in toks if t.start >= start and t.end <= end]
        i0 = next((i for i, t in enumerate(toks) if t.end > start), len(toks))
        i1 = next((i for i, t in enumerate(toks) if t.start >= end), len(toks))
        return inside, i0, i1

    for start in range(len(text)):
        for end in range(start + 1, len(text) + 1):
            feats = span_features(doc, start, end)
            inside, i0, i1 = scanned(start, end)
            if inside:
                assert f"first={inside[0]}" in feats and f"last={inside[-1]}" in feats
            assert f"L1={toks[i0 - 1].lower if i0 > 0 else '<d>'}" in feats
            assert f"R1={toks[i1].lower if i1 < len(toks) else '</d>'}" in feats


def test_tagger_marks_loaded_words_above_plain_reporting() -> None:
    from dossier.components.techniques_model import make_doc

    tagger = _tagger()
    plain = make_doc("The council met on Tuesday in the town hall to discuss the budget.")
    loaded = make_doc(LOADED)
    p_plain, p_loaded = tagger.token_probs(plain), tagger.token_probs(loaded)
    assert p_plain.shape == (len(plain.tokens),) and p_loaded.shape == (len(loaded.tokens),)
    assert ((p_loaded >= 0) & (p_loaded <= 1)).all()
    assert p_loaded.max() > 0.5 > p_plain.max()
    assert np_allclose(tagger.token_probs(loaded), p_loaded)  # deterministic
    skipped = tagger.token_probs(loaded, [1])  # one sentence tagged, the rest left at 0
    first = [i for i, t in enumerate(loaded.tokens) if t.sent == 0]
    assert not skipped[first].any() and skipped.any()


def test_model_mixes_the_tagger_in_and_decodes_with_its_thresholds() -> None:
    from dossier.components.techniques_model import load, make_doc

    model = load()
    if model.piece_tagger() is None:
        pytest.skip("the fine-tuned tagger is not installed")
    doc = make_doc(LOADED)
    stacked = model.stacked_probs(doc)
    mixed = model.token_probs(doc)
    assert mixed.shape == stacked.shape and not np_allclose(mixed, stacked)
    assert model.decoding()["threshold"] == model.tagger_decoding["threshold"]


def test_learned_mix_reads_both_taggers_and_their_neighbours_within_the_sentence() -> None:
    import numpy as np

    from dossier.components.techniques_model import TechniquesModel, make_doc, mix_features

    doc = make_doc("Lies everywhere. The vote was calm and the count was fair.")
    n = len(doc.tokens)
    tuned = np.linspace(0.1, 0.9, n)
    stacked = np.full(n, 0.5)
    x = mix_features(doc, tuned, stacked)
    assert x.shape == (n, 14)  # per tagger: token, 4 neighbours, sentence max and mean
    first = [i for i, t in enumerate(doc.tokens) if t.sent == 0]
    last = first[-1]
    assert x[last, 3] < -5 and x[last + 1, 2] < -5  # no neighbour across the full stop
    assert x[0, 5] == pytest.approx(x[last, 5]) and x[0, 5] < x[last + 1, 5]  # sentence max
    base = {"si_dim": 2, "tc_dim": 2, "threshold": 0.5, "max_gap": 1, "labels": ["Doubt"]}
    arrays = {k: np.zeros(2, np.float32) for k in ("si_w", "si_b", "tc_w", "tc_b")}
    mean = TechniquesModel(arrays, {**base, "tagger_weight": 0.25})
    assert np_allclose(mean.mix(doc, tuned, stacked), 0.25 * tuned + 0.75 * stacked)
    only_tuned = [1.0] + [0.0] * 13  # a learned mix that copies the fine-tuned tagger
    learned = TechniquesModel(
        arrays, {**base, "tagger_weight": 0.25, "tagger_mix": {"weights": only_tuned, "bias": 0}}
    )
    assert np_allclose(learned.mix(doc, tuned, stacked), tuned)


def test_fast_mode_leaves_out_the_minilm_networks_and_is_stored_as_its_own_version(
    tmp_path: Path, runner, write
) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    from dossier.components.techniques import TechniquesComponent
    from dossier.components.techniques_model import load

    fast = load("fast")
    assert fast.piece_tagger() is None and not fast.contextual
    assert fast is load("fast") and fast is not load()
    assert load() is load("full")  # one model a mode: settings made on one reach all callers
    spans = find_spans(ArticleInput("x", "", LOADED), mode="fast")
    assert spans and all(LOADED[s.start : s.end].strip() for s in spans)
    write("a.txt", "Glorious nation\n\n" + LOADED)
    db = str(tmp_path / "f.db")
    ingest = ["ingest", str(write.folder), "--db", db, "--techniques", "fast"]
    assert runner.invoke(cli, ingest).exit_code == 0

    def versions() -> set[str]:
        with sqlite3.connect(db) as con:
            return {r[0] for r in con.execute("SELECT DISTINCT version FROM technique_spans")}

    full_version = TechniquesComponent.version
    assert versions() == {f"{full_version}-fast"}
    again = runner.invoke(cli, ["analyze", "--db", db, "--only", "techniques", "--json"])
    report = json.loads(again.stdout)
    assert report["analysed"] == {"techniques": 1}  # full mode: stale
    assert report["seconds"]["techniques"] > 0
    assert versions() == {full_version}
    assert "hint" not in again.stderr  # one article says nothing about the CPU


def test_a_slow_full_model_suggests_the_fast_mode(
    tmp_path: Path, runner, write, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import dossier.cli

    write("a.txt", "Glorious nation\n\n" + LOADED)
    db = str(tmp_path / "h.db")
    assert runner.invoke(cli, ["ingest", str(write.folder), "--db", db]).exit_code == 0
    monkeypatch.setattr(dossier.cli, "SLOW_TECHNIQUES_MIN", 1)
    monkeypatch.setattr(dossier.cli, "SLOW_TECHNIQUES_RATE", 1e9)  # any CPU is "slow"
    redo = ["analyze", "--db", db, "--only", "techniques", "--force"]
    full = runner.invoke(cli, redo)
    assert full.exit_code == 0 and full.stdout.startswith("analysed techniques: 1 (")
    assert "--techniques fast is about ten times faster" in full.stderr
    fast = runner.invoke(cli, [*redo, "--techniques", "fast"])
    assert fast.exit_code == 0 and "hint" not in fast.stderr
    wrong = runner.invoke(cli, ["analyze", "--db", db, "--techniques", "fastest"])
    assert wrong.exit_code == 2 and "fastest" in wrong.output


def test_numpy_blas_runs_on_one_thread_while_spans_are_found_and_is_restored_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from threadpoolctl import threadpool_info

    from dossier.components import techniques

    def blas_threads() -> list[int]:
        return [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]

    before = blas_threads()
    if not before:
        pytest.skip("NumPy has no BLAS thread pool here")
    seen: list[list[int]] = []
    inner = techniques._article_spans

    def spy(*args: object) -> list[techniques.TechniqueSpan]:
        seen.append(blas_threads())
        return inner(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(techniques, "_article_spans", spy)
    assert find_spans(ArticleInput("x", "", LOADED))
    assert seen == [[1] * len(before)]
    assert blas_threads() == before


def test_two_worker_processes_give_the_same_spans_as_one() -> None:
    from dossier.components.techniques import TechniquesComponent

    articles = [
        ArticleInput(str(i), f"Headline {i}", LOADED if i % 2 else "A calm report on trade.")
        for i in range(6)
    ]
    one = list(TechniquesComponent(n_process=1).predict(articles))
    two = list(TechniquesComponent(n_process=2).predict(articles))
    assert [a.article_id for a in two] == [str(i) for i in range(6)]
    assert [[(s.start, s.end, s.technique) for s in a.spans] for a in two] == [
        [(s.start, s.end, s.technique) for s in a.spans] for a in one
    ]
    assert [s.score for a in two for s in a.spans] == pytest.approx(
        [s.score for a in one for s in a.spans], abs=1e-3
    )


def test_analysis_takes_the_stored_scare_quotes_and_finds_what_find_spans_finds(
    tmp_path: Path, write
) -> None:  # type: ignore[no-untyped-def]
    record = {"title": "Glorious nation", "text": LOADED, "outlet": "Patriot Daily"}
    write("a.jsonl", json.dumps(record) + "\n")
    with Catalog.open(tmp_path / "q.db") as catalog:
        catalog.ingest([write.folder])
        catalog.analyze()
        (article,) = catalog.articles()
        stored = [
            (s["start"], s["end"], s["technique"], s["evidence"], s["field"])
            for s in catalog.technique_spans(article.id, threshold=0.0)
        ]
        db = catalog.store.db
        scare = [
            (r["start"], r["end"])
            for r in db.execute("SELECT start, end FROM quotes WHERE kind = 'scare'")
        ]
        # the quotes component stored the scare quote the techniques component turned to Doubt
        assert scare and (LOADED.index("reform"), LOADED.index("reform") + 6) in scare
        # the stored scare quotes are what the techniques component reads
        start = LOADED.index("glorious nation")
        db.execute(
            "INSERT INTO quotes (article_id, kind, start, end, text, quote_key, version)"
            " VALUES (?, 'scare', ?, ?, 'glorious nation', 'k', ?)",
            (article.id, start, start + 15, QuotesComponent.version),
        )
        db.execute("DELETE FROM analyses WHERE component = 'techniques'")
        catalog.analyze("techniques")
        doubts = {
            (s["start"], s["evidence"])
            for s in catalog.technique_spans(article.id, threshold=0.0)
            if s["technique"] == "Doubt"
        }
        assert any(at == start and "scare quote" in ev for at, ev in doubts)
        # and with nothing stored for quotes, the component finds the same scare quotes itself
        db.execute("DELETE FROM quotes")
        db.execute("DELETE FROM analyses WHERE component IN ('quotes', 'techniques')")
        catalog.analyze("techniques")
        again = [
            (s["start"], s["end"], s["technique"], s["evidence"], s["field"])
            for s in catalog.technique_spans(article.id, threshold=0.0)
        ]
    alone = find_spans(ArticleInput(article.id, article.title, article.text))
    assert sorted(stored) == sorted(again)
    assert sorted(stored) == sorted(
        (s.start, s.end, s.technique, s.evidence, s.field) for s in alone
    )


def test_new_quotes_make_the_techniques_read_from_the_old_ones_stale(tmp_path: Path, write) -> None:  # type: ignore[no-untyped-def]
    from dossier.analysis import dependents

    assert dependents("actors") == ("quotes", "techniques")
    assert dependents("quotes") == ("techniques",) and dependents("techniques") == ()
    write("a.txt", "Glorious nation\n\n" + LOADED)
    with Catalog.open(tmp_path / "d.db") as catalog:
        catalog.ingest([write.folder])
        catalog.analyze()
        (article,) = catalog.articles()
        db = catalog.store.db
        # a span the techniques component once took from a scare quote that is gone now
        db.execute(
            "INSERT INTO technique_spans (article_id, start, end, technique, score, evidence,"
            " field, version) VALUES (?, 0, 8, 'Doubt', 0.7, 'scare quote', 'text', ?)",
            (article.id, TechniquesComponent.version),
        )
        db.execute("UPDATE analyses SET version = '0' WHERE component = 'quotes'")
        report = catalog.analyze()
        assert report.analysed == {"actors": 0, "quotes": 1, "techniques": 1}
        spans = catalog.technique_spans(article.id, threshold=0.0)
        assert not any(s["start"] == 0 and s["end"] == 8 for s in spans)


def test_stats_count_articles_without_an_outlet_and_read_technique_names_loosely(
    tmp_path: Path, runner, write
) -> None:  # type: ignore[no-untyped-def]
    write("a.txt", "Glorious nation\n\n" + LOADED)  # a text file: no outlet, no date
    db = str(tmp_path / "o.db")
    assert runner.invoke(cli, ["ingest", str(write.folder), "--db", db]).exit_code == 0
    base = ["techniques", "stats", "--db", db, "--threshold", "0"]
    rows = json.loads(runner.invoke(cli, [*base, "--json"]).stdout)
    assert rows and {r["group"] for r in rows} == {None}
    text = runner.invoke(cli, base).output
    assert text.startswith("(no outlet)")
    doubt = json.loads(runner.invoke(cli, [*base, "--technique", "doubt", "--json"]).stdout)
    assert doubt and {r["technique"] for r in doubt} == {"Doubt"}
    bad = runner.invoke(cli, [*base, "--technique", "no-such"])
    assert bad.exit_code == 1 and "unknown technique 'no-such'" in bad.output
    none = runner.invoke(cli, ["techniques", "stats", "--db", db, "--threshold", "1.1"])
    assert none.exit_code == 0 and "No technique spans scoring 1.1 or more" in none.output
