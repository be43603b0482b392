"""Every input format reads into the same article fields."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from conftest import article_text
from dossier import Catalog, ReadOptions

BODY = article_text("Novi Sad")


def _only(catalog: Catalog) -> dict:  # type: ignore[type-arg]
    articles = list(catalog.articles())
    assert len(articles) == 1, [a.title for a in articles]
    return articles[0].to_dict()


def test_txt_takes_title_from_first_line(catalog: Catalog, write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", "Ferry schedule changes in Novi Sad\n\n" + BODY)
    catalog.ingest([path])
    record = _only(catalog)
    assert record["title"] == "Ferry schedule changes in Novi Sad"
    assert record["text"].startswith("In Novi Sad, council member number 0")
    assert record["sources"][0]["format"] == "txt"


def test_markdown_drops_heading_marks_and_link_targets(catalog: Catalog, write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.md", "# Ferry news\n\nSee [the report](https://x.example/r) now.\n\n" + BODY)
    catalog.ingest([path])
    record = _only(catalog)
    assert record["title"] == "Ferry news"
    assert "See the report now." in record["text"]


def test_html_extracts_main_text_and_metadata(catalog: Catalog, write) -> None:  # type: ignore[no-untyped-def]
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY.split("\n\n"))
    page = (
        "<html><head><title>Ferry news | Danube Post</title>"
        '<meta property="og:site_name" content="Danube Post">'
        '<meta name="author" content="Jelena Marić">'
        '<meta property="article:published_time" content="2024-03-05T10:00:00Z">'
        "</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>Ferry news</h1>{paragraphs}</article>"
        "<footer>Copyright Danube Post. All rights reserved.</footer></body></html>"
    )
    catalog.ingest([write("page.html", page)])
    record = _only(catalog)
    assert record["title"] == "Ferry news"
    assert record["outlet"] == "Danube Post"
    assert record["authors"] == ["Jelena Marić"]
    assert record["date"] == "2024-03-05"
    assert "council member number 7" in record["text"]
    assert "Copyright" not in record["text"] and "Home" not in record["text"]


def test_jsonl_records_with_field_mapping(catalog: Catalog, write) -> None:  # type: ignore[no-untyped-def]
    line = {
        "headline": "Ferry news",
        "content": BODY,
        "published": "5 March 2024",
        "byline": "By Ana Ilić and Marko Perić",
        "source": "Danube Post",
        "link": "https://www.danubepost.example/ferry",
    }
    path = write("r.jsonl", json.dumps(line) + "\n")
    options = ReadOptions(
        field_map={
            "title": "headline",
            "text": "content",
            "date": "published",
            "authors": "byline",
            "outlet": "source",
            "url": "link",
        }
    )
    catalog.ingest([path], options)
    record = _only(catalog)
    assert record["title"] == "Ferry news"
    assert record["date"] == "2024-03-05"
    assert record["authors"] == ["Ana Ilić", "Marko Perić"]
    assert record["outlet"] == "Danube Post"
    assert catalog.store.outlets()[0].domain == "danubepost.example"


def test_json_array_and_csv(catalog: Catalog, write) -> None:  # type: ignore[no-untyped-def]
    records = [
        {"title": "One", "text": article_text("Niš")},
        {"title": "Two", "text": article_text("Kragujevac")},
    ]
    write("a.json", json.dumps(records))
    write(
        "b.csv",
        'title,text,outlet\n"Three, quoted","'
        + article_text("Subotica").replace('"', '""')
        + '",Sever\n',
    )
    report = catalog.ingest([write.folder])
    assert report.added == 3
    assert {a.title for a in catalog.articles()} == {"One", "Two", "Three, quoted"}


def test_rss_takes_full_content_over_summary(catalog: Catalog, write) -> None:  # type: ignore[no-untyped-def]
    content = "".join(f"<p>{p}</p>" for p in BODY.split("\n\n"))
    rss = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Balkan Wire</title><link>https://balkanwire.example/</link>
<item><title>Ferry news</title><link>https://balkanwire.example/ferry</link>
<pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate><dc:creator>Ana Ilić</dc:creator>
<description>Short summary.</description>
<content:encoded><![CDATA[{content}]]></content:encoded></item></channel></rss>"""
    catalog.ingest([write("wire.rss", rss)])
    record = _only(catalog)
    assert record["outlet"] == "Balkan Wire"
    assert record["url"] == "https://balkanwire.example/ferry"
    assert record["date"] == "2024-03-05"
    assert record["authors"] == ["Ana Ilić"]
    assert "council member number 7" in record["text"]
    assert record["text"].count("\n\n") == 7


def test_atom_feed(catalog: Catalog, write) -> None:  # type: ignore[no-untyped-def]
    content = "".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in BODY.split("\n\n"))
    atom = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Sahel Monitor</title>
<entry><title>Ferry news</title><link href="https://sahel.example/a"/>
<published>2024-03-05T10:00:00Z</published><author><name>Awa Traoré</name></author>
<summary>Short.</summary><content type="html">{content}</content></entry></feed>"""
    catalog.ingest([write("feed.atom", atom)])
    record = _only(catalog)
    assert record["outlet"] == "Sahel Monitor"
    assert record["authors"] == ["Awa Traoré"]
    assert "council member number 7" in record["text"]


def test_gzip_and_legacy_encodings(catalog: Catalog, write) -> None:  # type: ignore[no-untyped-def]
    cyrillic = "Скупштина града Новог Сада\n\n" + " ".join(
        f"Градско веће је у уторак {i}. пута разговарало о новом мосту преко Дунава."
        for i in range(12)
    )
    write("sr.txt", cyrillic, encoding="cp1251")
    write("uk.txt", "\ufeffKyiv ferry\n\n" + article_text("Kyiv"), encoding="utf-16-le")
    write(
        "fr.txt",
        "Lyon: le maire élu\n\n" + article_text("Lyon, où François a déjà parlé"),
        encoding="latin-1",
    )
    write("gz.txt.gz", gzip.compress(("Zipped\n\n" + article_text("Bor")).encode()))
    report = catalog.ingest([write.folder])
    assert report.rejected == []
    titles = {a.title for a in catalog.articles()}
    assert titles == {"Скупштина града Новог Сада", "Kyiv ferry", "Lyon: le maire élu", "Zipped"}
    texts = " ".join(a.text for a in catalog.articles())
    assert "Дунава" in texts and "François a déjà" in texts


def test_stdin_is_read_with_format_sniffing(db_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    from dossier.cli import cli

    line = json.dumps({"title": "From stdin", "text": BODY}) + "\n"
    result = runner.invoke(cli, ["ingest", "-", "--db", str(db_path)], input=line)
    assert result.exit_code == 0, result.output
    with Catalog.open(db_path) as catalog:
        assert [a.title for a in catalog.articles()] == ["From stdin"]
