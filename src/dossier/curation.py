"""Curating actors: merge, split, rename, alias — stored, replayable, exportable as YAML.

Every operation is applied to the database at once *and* logged. The actor keys it
writes are marked curated, so re-analysis (``analyze --force``) resolves mentions
through them and the curation survives. ``export``/``load`` move the log through a YAML
file a team keeps in version control; loading replays it (operations already in effect
change nothing).
"""

from __future__ import annotations

from typing import Any, TextIO

import yaml

from .components.names import name_key, strip_possessive
from .store.actors import ActorStore
from .store.sqlite import now

OPERATIONS = ("merge", "split", "rename", "alias")


class CurationError(ValueError):
    """An actor name that matches no actor, or several: the message lists them."""


def find_actor(actors: ActorStore, name: str) -> int:
    """The actor called ``name`` (any alias or spelling variant), or ``#id``."""
    text = name.strip()
    if text.lstrip("#").isdigit() and actors.actor_row(int(text.lstrip("#"))) is not None:
        return int(text.lstrip("#"))
    found = actors.find_actors(name_key(text))
    if not found and name_key(text):
        found = actors.persons_with_surname(name_key(text))
    if not found:
        found = sorted(
            {
                r[0]
                for r in actors.db.execute(
                    "SELECT DISTINCT actor_id FROM mentions WHERE text = ? COLLATE NOCASE", (text,)
                )
            }
        )
    if len(found) == 1:
        return found[0]
    if not found:
        raise CurationError(f"no actor called {name!r}; see `dossier catalog` for names")
    names = ", ".join(f"#{i} {actors.actor_row(i)['name']}" for i in found)  # type: ignore[index]
    raise CurationError(f"{name!r} is ambiguous: {names}; use #ID")


def _found(actors: ActorStore, name: str) -> tuple[int, Any]:
    actor_id = find_actor(actors, name)
    row = actors.actor_row(actor_id)
    if row is None:
        raise CurationError(f"no actor called {name!r}")
    return actor_id, row


def merge(actors: ActorStore, keep: str, other: str, log: bool = True) -> int:
    keep_id, other_id = find_actor(actors, keep), find_actor(actors, other)
    if keep_id != other_id:
        actors.merge(keep_id, other_id)
        for key, kind in _keys_of(actors, keep_id):
            actors.set_key(key, kind, keep_id, curated=True)
    _log(actors, log, "merge", {"keep": keep, "merge": other})
    return keep_id


def split(actors: ActorStore, name: str, alias: str, log: bool = True) -> int:
    """Give the mentions written as ``alias`` to an actor of their own."""
    source, row = _found(actors, name)
    key = name_key(alias)
    target = actors.actor_by_key(key, row["kind"])
    if target is None or target == source:
        target = (
            actors.db.execute(
                "INSERT INTO actors (key, name, kind, subkind, curated) VALUES (?, ?, ?, ?, 1)",
                (key + f"#split{source}", strip_possessive(alias), row["kind"], row["subkind"]),
            ).lastrowid
            or 0
        )
    actors.set_key(key, row["kind"], int(target), curated=True)
    actors.move_mentions(source, int(target), {key}, name_key)
    _log(actors, log, "split", {"actor": name, "alias": alias})
    return int(target)


def rename(actors: ActorStore, name: str, new: str, log: bool = True) -> int:
    actor_id, row = _found(actors, name)
    actors.rename(actor_id, new)
    actors.set_key(name_key(new), row["kind"], actor_id, curated=True)
    _log(actors, log, "rename", {"actor": name, "name": new})
    return actor_id


def alias(actors: ActorStore, name: str, text: str, log: bool = True) -> int:
    """``text`` names this actor from now on; mentions written so are moved to it."""
    actor_id, row = _found(actors, name)
    key = name_key(text)
    actors.set_key(key, row["kind"], actor_id, curated=True)
    for other in actors.find_actors(key):
        if other != actor_id:
            actors.move_mentions(other, actor_id, {key}, name_key)
    _log(actors, log, "alias", {"actor": name, "alias": text})
    return actor_id


def export(actors: ActorStore, out: TextIO) -> int:
    log = actors.curation_log()
    document = {
        "dossier_curation": 1,
        "operations": [{"op": op, **args} for op, args in log],
    }
    yaml.safe_dump(document, out, allow_unicode=True, sort_keys=False)
    return len(log)


def load(actors: ActorStore, stream: TextIO) -> tuple[int, list[str]]:
    """Replay a curation file; returns (applied, problems)."""
    document = yaml.safe_load(stream) or {}
    if not isinstance(document, dict) or not isinstance(document.get("operations"), list):
        raise CurationError("not a dossier curation file (expected an 'operations' list)")
    applied, problems = 0, []
    for number, item in enumerate(document["operations"], start=1):
        try:
            _apply(actors, item)
            applied += 1
        except (CurationError, KeyError, TypeError) as exc:
            problems.append(f"operation {number} ({item!r}): {exc}")
    return applied, problems


def _apply(actors: ActorStore, item: dict[str, Any]) -> None:
    op = item.get("op")
    if op == "merge":
        merge(actors, item["keep"], item["merge"])
    elif op == "split":
        split(actors, item["actor"], item["alias"])
    elif op == "rename":
        rename(actors, item["actor"], item["name"])
    elif op == "alias":
        alias(actors, item["actor"], item["alias"])
    else:
        raise CurationError(f"unknown operation {op!r}; known: {', '.join(OPERATIONS)}")


def _keys_of(actors: ActorStore, actor_id: int) -> list[tuple[str, str]]:
    rows = actors.db.execute("SELECT key, kind FROM actor_keys WHERE actor_id = ?", (actor_id,))
    return [(r[0], r[1]) for r in rows]


def _log(actors: ActorStore, log: bool, op: str, args: dict[str, Any]) -> None:
    if log:
        actors.record_curation(op, args, now())
