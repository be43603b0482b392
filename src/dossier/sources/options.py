"""What a user can tell the readers: format, outlet, field names, size limit."""

from __future__ import annotations

from dataclasses import dataclass, field

from .decode import DEFAULT_MAX_BYTES

RECORD_FIELDS = ("title", "text", "date", "authors", "outlet", "url", "lang")


@dataclass(frozen=True)
class ReadOptions:
    format: str = "auto"
    outlet: str | None = None  # overrides the outlet of every document read
    field_map: dict[str, str] = field(default_factory=dict)  # our field -> input field
    max_bytes: int = DEFAULT_MAX_BYTES

    def source_field(self, name: str) -> str:
        return self.field_map.get(name, name)


def parse_field_map(specs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["text=content", "date=published"]`` -> ``{"text": "content", "date": "published"}``."""
    mapping: dict[str, str] = {}
    for spec in specs:
        ours, sep, theirs = spec.partition("=")
        if not sep or not theirs.strip():
            raise ValueError(f"--field expects OURS=THEIRS, e.g. text=content (got {spec!r})")
        if ours.strip() not in RECORD_FIELDS:
            raise ValueError(f"--field: unknown field {ours!r}; known: {', '.join(RECORD_FIELDS)}")
        mapping[ours.strip()] = theirs.strip()
    return mapping
