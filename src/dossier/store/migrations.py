"""The SQLite schema as ordered, named migrations, each applied once in its own transaction.

Add a migration by appending a function to ``MIGRATIONS``; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

Migration = Callable[[sqlite3.Connection], None]


def m001_articles(db: sqlite3.Connection) -> None:
    run_script(
        db,
        """
        CREATE TABLE outlets (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            domain TEXT,
            country TEXT,
            lean TEXT
        );
        CREATE INDEX outlets_domain ON outlets(domain);

        CREATE TABLE articles (
            num INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            date TEXT,
            lang TEXT,
            debris TEXT NOT NULL DEFAULT '[]',
            signature BLOB,
            added_at TEXT NOT NULL
        );
        CREATE INDEX articles_date ON articles(date);

        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id),
            source_key TEXT NOT NULL,
            outlet_id INTEGER REFERENCES outlets(id),
            url TEXT,
            origin TEXT NOT NULL,
            format TEXT NOT NULL,
            title TEXT NOT NULL,
            date TEXT,
            authors TEXT NOT NULL DEFAULT '[]',
            ingested_at TEXT NOT NULL,
            UNIQUE (article_id, source_key)
        );
        CREATE INDEX sources_outlet ON sources(outlet_id);

        CREATE TABLE minhash_bands (
            key INTEGER NOT NULL,
            article_id TEXT NOT NULL REFERENCES articles(id)
        );
        CREATE INDEX minhash_bands_key ON minhash_bands(key);

        CREATE TABLE near_duplicates (
            article_id TEXT NOT NULL REFERENCES articles(id),
            other_id TEXT NOT NULL REFERENCES articles(id),
            similarity REAL NOT NULL,
            PRIMARY KEY (article_id, other_id)
        );
        CREATE INDEX near_duplicates_other ON near_duplicates(other_id);

        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, text,
            content='articles', content_rowid='num',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.num, new.title, new.text);
        END;
        CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.num, old.title, old.text);
        END;

        CREATE TABLE ingest_runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            paths TEXT NOT NULL,
            added INTEGER NOT NULL DEFAULT 0,
            duplicates INTEGER NOT NULL DEFAULT 0,
            near_duplicates INTEGER NOT NULL DEFAULT 0,
            rejected INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE rejects (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES ingest_runs(id),
            origin TEXT NOT NULL,
            line INTEGER,
            reason TEXT NOT NULL
        );
        """,
    )


def m002_actors(db: sqlite3.Connection) -> None:
    run_script(
        db,
        """
        CREATE TABLE analyses (
            article_id TEXT NOT NULL REFERENCES articles(id),
            component TEXT NOT NULL,
            version TEXT NOT NULL,
            analysed_at TEXT NOT NULL,
            PRIMARY KEY (article_id, component)
        );
        CREATE TABLE sentences (
            article_id TEXT NOT NULL REFERENCES articles(id),
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            PRIMARY KEY (article_id, start)
        );
        CREATE TABLE actors (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            subkind TEXT,
            curated INTEGER NOT NULL DEFAULT 0,
            UNIQUE (key, kind)
        );
        CREATE TABLE actor_countries (
            actor_id INTEGER NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
            country TEXT NOT NULL,
            PRIMARY KEY (actor_id, country)
        );
        CREATE INDEX actor_countries_country ON actor_countries(country);
        CREATE TABLE actor_keys (
            key TEXT NOT NULL,
            kind TEXT NOT NULL,
            actor_id INTEGER NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
            curated INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (key, kind)
        );
        CREATE TABLE mentions (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id),
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            actor_id INTEGER NOT NULL REFERENCES actors(id),
            role TEXT,
            method TEXT NOT NULL,
            version TEXT NOT NULL
        );
        CREATE INDEX mentions_article ON mentions(article_id);
        CREATE INDEX mentions_actor ON mentions(actor_id, article_id);
        CREATE TABLE curation (
            id INTEGER PRIMARY KEY,
            op TEXT NOT NULL,
            args TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        """,
    )


def m003_quotes(db: sqlite3.Connection) -> None:
    run_script(
        db,
        """
        CREATE TABLE quotes (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id),
            kind TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            quote_key TEXT NOT NULL,
            cue TEXT,
            cue_start INTEGER,
            speaker_text TEXT,
            speaker_start INTEGER,
            speaker_end INTEGER,
            actor_id INTEGER REFERENCES actors(id),
            reason TEXT,
            version TEXT NOT NULL
        );
        CREATE INDEX quotes_article ON quotes(article_id);
        CREATE INDEX quotes_actor ON quotes(actor_id);
        CREATE INDEX quotes_key ON quotes(quote_key);
        """,
    )


def m004_mentions_by_article_actor(db: sqlite3.Connection) -> None:
    """Co-mentions and search facets join mentions on (article, actor)."""
    db.execute("CREATE INDEX mentions_article_actor ON mentions(article_id, actor_id)")


def m005_technique_spans(db: sqlite3.Connection) -> None:
    run_script(
        db,
        """
        CREATE TABLE technique_spans (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id),
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            technique TEXT NOT NULL,
            score REAL NOT NULL,
            evidence TEXT NOT NULL,
            field TEXT NOT NULL DEFAULT 'text',
            version TEXT NOT NULL
        );
        CREATE INDEX technique_spans_article ON technique_spans(article_id);
        CREATE INDEX technique_spans_technique ON technique_spans(technique, score);
        """,
    )


MIGRATIONS: list[Migration] = [
    m001_articles,
    m002_actors,
    m003_quotes,
    m004_mentions_by_article_actor,
    m005_technique_spans,
]


def run_script(db: sqlite3.Connection, script: str) -> None:
    """Execute several statements inside the caller's transaction.

    (``executescript`` would commit first, breaking the migration's atomicity.)
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement[:60]!r}")


def migrate(db: sqlite3.Connection) -> list[str]:
    """Apply every migration not yet applied; returns the names applied now."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in db.execute("SELECT name FROM schema_migrations")}
    applied = []
    for migration in MIGRATIONS:
        name = migration.__name__
        if name in done:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            migration(db)
            db.execute(
                "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                (name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied
