"""The cleaner removes page debris, keeps every sentence, and accounts for each cut."""

from __future__ import annotations

import re

import pytest

from conftest import shared_path
from dossier.clean import clean_text, normalise_newlines
from dossier.model import CleanText

BODY = [
    "BELGRADE – The city council of Belgrade met on Tuesday to discuss the new bridge.",
    "Councillor Mira Janković said the vote would follow in June, and asked residents to "
    "comment on the plan before Friday.",
    "Subscribers to the city bulletin were told to share the news with neighbours.",
]


def rebuild(result: CleanText) -> str:
    """The original text from the clean text plus the debris records."""
    out, cursor = [], 0
    for item in result.debris:
        out.append(result.text[cursor : item.at])
        out.append(item.text)
        cursor = item.at + len(item.replacement)
    out.append(result.text[cursor:])
    return "".join(out)


def paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p]


def test_widget_and_newsletter_lines_go_body_stays() -> None:
    raw = "\n\n".join(BODY) + (
        "\n\nSubscribe to our newsletter\nSign up here to get the latest news, updates and special "
        "offers delivered directly to your inbox.\nNotify of\nInline Feedbacks\nView all comments\n"
        "Would love your thoughts, please comment.x"
    )
    result = clean_text(raw)
    assert paragraphs(result.text) == BODY
    assert {d.rule for d in result.debris} >= {"newsletter", "comments"}
    assert rebuild(result) == raw


def test_sentence_mentioning_debris_words_is_kept() -> None:
    raw = "Readers can subscribe to our newsletter, the editor said, and share it on Facebook."
    assert clean_text(raw).text == raw


def test_related_list_with_emoji_bullets_goes() -> None:
    raw = (
        f"{BODY[0]}\n\nWe suggest you familiarize yourself with the following related materials:\n\n"
        "🔸 How the bridge was planned ( the report\n\n🔸 Who paid for it ( wrote the Sever\n\n"
        f"{BODY[1]}"
    )
    result = clean_text(raw)
    assert paragraphs(result.text) == BODY[:2]
    assert [d.rule for d in result.debris if d.rule != "whitespace"] == ["related"] * 3


def test_link_remnants_are_cut_inside_kept_lines() -> None:
    raw = "The militia ( report) was disbanded in 2004 (\n\nIndia: “Harbour Guild (” | Dock Union ("
    result = clean_text(raw)
    assert result.text == "The militia was disbanded in 2004\n\nIndia: “Harbour Guild” | Dock Union"
    assert all(d.rule == "link_remnant" for d in result.debris)
    assert rebuild(result) == raw


def test_real_parentheses_stay() -> None:
    raw = "The Harbour Committee (HC) met (for the third time) on 3 May (see below)."
    assert clean_text(raw).text == raw


def test_emoji_bullets_and_whitespace_are_normalised() -> None:
    raw = "  🔸 First  point\u00a0here.  \n\n\n\n▪ Second point.\n"
    result = clean_text(raw)
    assert result.text == "First point here.\n\nSecond point."
    assert rebuild(result) == raw


def test_share_and_comment_count_lines_go() -> None:
    raw = f"{BODY[0]}\nShare this:\nFacebook | Twitter | Telegram\nFollow us on Telegram\n3 comments\n{BODY[1]}"
    result = clean_text(raw)
    assert result.text == f"{BODY[0]}\n{BODY[1]}"


def test_feed_footers_go_body_sentences_about_posts_stay() -> None:
    title = (
        "Harbour cranes in Split " + "stand idle for a third day " * 5
    )  # over 200 characters with the footer
    raw = (
        f"{BODY[0]}\nThe post {title.strip()} appeared first on Adriatic Daily.\n"
        f"{BODY[1]}\nThis article was originally published on the Dalmatia Ledger."
        "\nThe post office in Šibenik reopened on Monday after the strike."
    )
    result = clean_text(raw)
    assert result.text == (
        f"{BODY[0]}\n{BODY[1]}\nThe post office in Šibenik reopened on Monday after the strike."
    )
    assert {d.rule for d in result.debris if d.rule != "whitespace"} == {"syndication"}
    assert rebuild(result) == raw


LINE_RULES = {"newsletter", "comments", "share", "related", "advert", "syndication"}


@pytest.mark.shared
@pytest.mark.parametrize(
    ("name", "debris_lines", "kept"),
    [
        (
            "000_*.txt",
            [
                "Subscribe to our newsletter",
                "Sign up here",
                "Notify of",
                "Inline Feedbacks",
                "View all comments",
                "please comment.x",
            ],
            [],
        ),
        (
            "004_*.txt",
            ["related materials", "🔸", "🔸", "🔸", "🔸", "More on Serbia"],
            [
                "Why war criminals rule a partially recognized state",
                "Sinaloa Cartel",
                "“Al-Shabab”",
                "the sacred land of the Serbs",
                "(@istanbul_wolf)",
                "Hashim Thachi",
            ],
        ),
    ],
)
def test_real_samples_lose_debris_and_keep_every_body_paragraph(
    name: str, debris_lines: list[str], kept: list[str]
) -> None:
    path = next(shared_path("samples").glob(name))
    body = normalise_newlines(path.read_text(encoding="utf-8")).split("\n", 1)[1]
    result = clean_text(body)
    removed_lines = [d for d in result.debris if d.rule in LINE_RULES]
    # exactly the debris lines go, in order, and nothing else goes whole
    assert len(removed_lines) == len(debris_lines)
    for item, marker in zip(removed_lines, debris_lines, strict=True):
        assert marker in item.text, (marker, item.text)
        assert item.text.strip() not in result.text
    # inside kept lines, only short remnants, bullets and spaces are cut
    for item in result.debris:
        if item.rule not in LINE_RULES:
            assert item.rule in {"link_remnant", "emoji_bullet", "whitespace"}
            assert len(item.text.strip()) <= 15, item
            assert not re.search(r"\w{3,}\s+\w{3,}", item.text), item
    for piece in kept:
        assert piece in result.text, piece
    for piece in ("Notify", "comment.x", "🔸", " (\n", "(”", "( prestupniki)"):
        assert piece not in result.text + "\n", piece
    assert rebuild(result) == body


def test_normalise_newlines() -> None:
    assert normalise_newlines("a\r\nb\rc") == "a\nb\nc"
