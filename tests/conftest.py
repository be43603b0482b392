from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from dossier import Catalog

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DOSSIER_SHARED", ROOT.parent / "shared"))
EXAMPLES = ROOT / "examples"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test when it is absent (a user's clone)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present (../shared is only beside developers' clones)")
    return path


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "catalog.db"


@pytest.fixture
def catalog(db_path: Path) -> Iterator[Catalog]:
    with Catalog.open(db_path) as opened:
        yield opened


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def write(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write a file under a fresh input folder: write("a.txt", "text") or bytes."""
    folder = tmp_path / "in"
    folder.mkdir()

    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode(encoding) if isinstance(content, str) else content
        path.write_bytes(data)
        return path

    _write.folder = folder  # type: ignore[attr-defined]
    return _write


def article_text(topic: str, sentences: int = 8) -> str:
    """A distinct invented article body of several paragraphs about ``topic``."""
    paragraphs = []
    for i in range(sentences):
        paragraphs.append(
            f"In {topic}, council member number {i} of the invented Harbour Committee said on "
            f"day {i + 3} that the {topic} ferry schedule would change for reason {i * 7 + 1}."
        )
    return "\n\n".join(paragraphs)
