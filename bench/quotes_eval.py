"""Score dossier's quote attribution against PolNeAR (brat Source / Cue / Content attributions).

Usage::

    .venv/bin/python bench/quotes_eval.py [--data DIR] [--n 100 | --all] [--spread]
                                          [--workdir DIR] [--out FIGURES.json]
    .venv/bin/python bench/quotes_eval.py --predictions quotes.json --articles export.jsonl

Everything goes through the command line, as the held-out split will be scored: the first N
PolNeAR articles by sorted file name (the first 120 are all Breitbart; ``--spread`` takes N
evenly spaced over the sorted list instead, covering every outlet) are written as ``.txt``
files whose first line is a synthetic title ``polnear <file id>`` (so the whole original
text is the body), then ``dossier ingest DIR --db DB`` and ``dossier quotes --db DB --json``
run in subprocesses and ``dossier export --db DB`` supplies the clean text each quote's
offsets refer to (falling back to ``dossier show ID --json``). With ``--predictions`` (a
``quotes --json`` list) and ``--articles`` (``export`` JSONL or a JSON list of
``{"id", "text", "origin" | "sources"}``) nothing is run and those files are scored. Without
the data or a working CLI the script says so and exits 0.

Gold (``attributions/*.ann``): ``E`` lines join ``Attribution`` (or ``Attribution-no-source``)
with ``Content`` (one or more, possibly discontinuous ``a b;c d`` spans), ``Cue`` and
``Source``; ``Discuss`` / ``Discard`` marks are ignored. An article annotated by several
annotators (``<id>_<annotator>.ann``) is scored against the first file in sorted order.
Attributions without a Source cannot be scored with a speaker, so they are left out of recall;
a prediction whose content matches only such an attribution is *neutral* (left out of the
precision counts too, and reported).

Gold kind, from the quotation marks in and next to the Content (no PolNeAR attribute says it):

* **direct**: the Content starts or ends at, or right next to (spaces aside), a quotation
  mark (“ ” " « » „ ‚ ‘ ’ ‹ ›, the NYT's doubled '' counting as one, an apostrophe between
  letters as none) *and* at least half of its word tokens lie inside quotation marks
  ("he said: “…”", "“…,” she said");
* **partial**: some but fewer than half of its tokens are quoted ("said the plan was
  “a disaster”"), or quoted tokens without a mark at either edge;
* **indirect**: no quoted token at all.

The *indirect* rows pool partial and indirect gold (reported speech carrying a few quoted
words); a recall-only *partial* row and an *indirect, speech cue* row (gold cues such as said,
told, according to, wrote, ":"; PolNeAR also annotates beliefs and stances like "thinks",
"wants", "mocked") break it down.

Matching. Predicted offsets (clean text) are mapped to the original PolNeAR text by aligning
the ``\\S+`` token sequences of both with ``difflib.SequenceMatcher``: a character inside a
matched token maps exactly, one outside moves to the nearest matched token. Content and
speaker tokens are ``\\w+`` tokens of the original text overlapping the span. A prediction
(scare quotes are dropped) is correct for a gold attribution with a Source when

* **content**: it covers ≥ 50% of the gold Content's tokens, or it is a *fragment* (at
  least half of its own tokens inside the Content) and the fragments with the right speaker
  together cover ≥ 50% of it: PolNeAR annotates a quote split around its cue
  ("“…,” he said. “…”") as one discontinuous Content while dossier emits one quote per part;
  and
* **speaker**: its speaker span shares a token with the gold Source span, or (a different
  mention of the same speaker) the predicted ``speaker_text`` or resolved ``speaker.name``
  shares a word with the gold Source text, function words and titles aside ("he" = "he",
  "Clinton" = "Hillary Clinton"). No predicted speaker is never right.

Precision of a kind = correct predictions of that predicted kind / its non-neutral
predictions; recall = gold attributions of that gold kind matched by a correct prediction /
gold attributions of that kind (matching does not require the kinds to agree). The
*content-only* figures drop the speaker condition, separating detection from attribution.
Misses and false positives are printed with a likely cause, and counted by cause.
"""

from __future__ import annotations

import argparse
import bisect
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared/data/polnear-train"
DEFAULT_DOSSIER = ROOT / ".venv/bin/dossier"
TITLE_PREFIX = "polnear "
TIMEOUT = 6 * 3600
CONTENT_SHARE = 0.5
DIRECT_TARGET = (0.90, 0.85)  # precision, recall with the right speaker
INDIRECT_F1_TARGET = 0.6

_WORD = re.compile(r"\w+")
_NONSPACE = re.compile(r"\S+")
_OPENING = frozenset("“«„‚‹‘")
_CLOSING = frozenset("”»›’")
_AMBIGUOUS = frozenset("\"'")
_QUOTE_MARKS = _OPENING | _CLOSING | _AMBIGUOUS
_EDGE_PUNCT = " \t\n,.;:!?—–-()"
_SPEECH_CUE = re.compile(
    r"^\W*:\W*$|\b(?:said|say|says|saying|told|tell|tells|telling|according|wrote|write|writes|"
    r"writing|added|adding|add|adds|asked|asks|asking|noted|noting|notes|announced|announcing|"
    r"argued|argues|explained|explains|tweeted|tweets|stated|states|statement|claimed|claims|"
    r"declared|warned|warns|insisted|insists|replied|responded|continued|acknowledged|"
    r"interview|testified|reported|reports|quoted|told reporters)\b",
    re.IGNORECASE,
)
_NAME_STOPWORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "and",
        "or",
        "mr",
        "mrs",
        "ms",
        "dr",
        "s",
        "sen",
        "rep",
        "gov",
        "pres",
        "president",
        "senator",
        "representative",
        "governor",
        "former",
        "for",
        "in",
        "on",
        "at",
        "to",
        "by",
        "from",
        "his",
        "her",
        "their",
        "its",
        "our",
        "this",
        "that",
        "these",
        "those",
        "who",
        "which",
        "some",
        "many",
        "other",
        "others",
        "one",
        "two",
    ]
)

Segments = tuple[tuple[int, int], ...]
T = TypeVar("T")


# -- text helpers ---------------------------------------------------------------------------


class WordIndex:
    """The ``\\w+`` tokens of a text, and which of them a set of character spans touches."""

    def __init__(self, text: str) -> None:
        self.spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        self.starts = [a for a, _ in self.spans]
        self.ends = [b for _, b in self.spans]

    def tokens(self, segments: Iterable[tuple[int, int]]) -> frozenset[int]:
        found: set[int] = set()
        for a, b in segments:
            if b <= a:
                continue
            first = bisect.bisect_right(self.ends, a)  # first token ending after a
            last = bisect.bisect_left(self.starts, b)  # tokens starting before b
            found.update(range(first, last))
        return frozenset(found)


class OffsetMap:
    """Clean-text character offsets to original-text offsets, through aligned ``\\S+`` tokens."""

    def __init__(self, clean: str, original: str) -> None:
        self.clean = [(m.start(), m.end()) for m in _NONSPACE.finditer(clean)]
        self.original = [(m.start(), m.end()) for m in _NONSPACE.finditer(original)]
        self.clean_starts = [a for a, _ in self.clean]
        self.clean_ends = [b for _, b in self.clean]
        matcher = SequenceMatcher(
            None,
            [clean[a:b] for a, b in self.clean],
            [original[a:b] for a, b in self.original],
            autojunk=False,
        )
        self.to_original: list[int | None] = [None] * len(self.clean)
        matched = 0
        for block in matcher.get_matching_blocks():
            for k in range(block.size):
                self.to_original[block.a + k] = block.b + k
            matched += block.size
        self.coverage = matched / len(self.clean) if self.clean else 1.0

    def start(self, offset: int) -> int | None:
        """Where a span starting at clean ``offset`` starts in the original."""
        i = bisect.bisect_right(self.clean_ends, offset)  # first token ending after offset
        if i < len(self.clean) and self.clean[i][0] <= offset:
            j = self.to_original[i]
            if j is not None:
                return self.original[j][0] + offset - self.clean[i][0]
            i += 1
        while i < len(self.clean):
            j = self.to_original[i]
            if j is not None:
                return self.original[j][0]
            i += 1
        return None

    def end(self, offset: int) -> int | None:
        """Where a span ending (exclusive) at clean ``offset`` ends in the original."""
        i = bisect.bisect_left(self.clean_starts, offset) - 1  # last token starting before it
        if i >= 0 and offset <= self.clean[i][1]:
            j = self.to_original[i]
            if j is not None:
                return self.original[j][0] + offset - self.clean[i][0]
            i -= 1
        while i >= 0:
            j = self.to_original[i]
            if j is not None:
                return self.original[j][1]
            i -= 1
        return None

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        a, b = self.start(start), self.end(end)
        if a is None or b is None or b <= a:
            return None
        return a, b


def stored_articles(conn: Any) -> Iterator[tuple[dict[str, Any], tuple[Any, ...]]]:
    """Every article of a kept database (``id``, ``text``, first ``origin``) with its actor
    mentions as the quotes component takes them; ``conn`` has ``sqlite3.Row`` rows."""
    from dossier.components.base import MentionRef

    rows = conn.execute(
        "SELECT a.id, a.text, (SELECT s.origin FROM sources s WHERE s.article_id = a.id"
        " ORDER BY s.id LIMIT 1) AS origin FROM articles a ORDER BY a.id"
    ).fetchall()
    for row in rows:
        mentions = tuple(
            MentionRef(m["start"], m["end"], m["text"], m["actor_id"], m["name"], m["kind"])
            for m in conn.execute(
                "SELECT m.start, m.end, m.text, ac.id AS actor_id, ac.name, ac.kind FROM"
                " mentions m JOIN actors ac ON ac.id = m.actor_id WHERE m.article_id = ?"
                " ORDER BY m.start",
                (row["id"],),
            )
        )
        yield {"id": row["id"], "text": row["text"], "origin": row["origin"]}, mentions


def quote_record(q: Any, row: Any) -> dict[str, Any]:
    """A quote found in process as the record ``dossier quotes --json`` gives (the fields
    the scoring reads); ``row``: the article's ``id`` and ``origin``."""
    return {
        "article_id": row["id"],
        "kind": q.kind,
        "text": q.text,
        "start": q.start,
        "end": q.end,
        "cue": q.cue,
        "speaker_text": q.speaker_text,
        "speaker_start": q.speaker_start,
        "speaker_end": q.speaker_end,
        "speaker": {"name": q.speaker_name} if q.speaker_name else None,
        "reason": q.reason,
        "origin": row["origin"],
    }


def is_quote_mark(text: str, i: int) -> bool:
    if i < 0 or i >= len(text) or text[i] not in _QUOTE_MARKS:
        return False
    if text[i] in "'’":  # an apostrophe inside a word (don’t, Trump’s) is no quotation mark
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if before.isalnum() and after.isalnum():
            return False
    return True


def mark_direction(text: str, i: int) -> int:
    """+1 for an opening quotation mark at i, -1 for a closing one (a doubled '' is one mark)."""
    char = text[i]
    if char in _OPENING:
        return 1
    if char in _CLOSING:
        return -1
    j = i + 1
    while j < len(text) and text[j] == char:
        j += 1
    before = text[i - 1] if i > 0 else " "
    after = text[j] if j < len(text) else " "
    if before.isspace() or before in "([{—–-/":
        return 1
    if after.isspace() or after in ".,;:!?)]}—–-":
        return -1
    return -1 if before.isalnum() else 1


def quoted_tokens(text: str, segments: Segments, words: WordIndex) -> tuple[int, int, bool]:
    """(tokens of the segments, of them inside quotation marks, a mark at an edge)."""
    start, end = segments[0][0], segments[-1][1]
    before = start - 1
    while before >= 0 and text[before] in " \t":
        before -= 1
    after = end
    while after < len(text) and text[after] in " \t":
        after += 1
    first = start
    while first < end and text[first] in _EDGE_PUNCT:
        first += 1
    last = end - 1
    while last > first and text[last] in _EDGE_PUNCT:
        last -= 1
    edge = any(is_quote_mark(text, i) for i in (before, first, last, after))
    depth = 1 if is_quote_mark(text, before) and mark_direction(text, before) > 0 else 0
    quoted = total = 0
    token_starts = {words.spans[t][0] for t in words.tokens(segments)}
    for a, b in segments:
        for i in range(a, b):
            if i in token_starts:
                total += 1
                quoted += depth > 0
            elif is_quote_mark(text, i) and not (i > a and text[i - 1] == text[i] in _AMBIGUOUS):
                depth = max(0, depth + mark_direction(text, i))
    return total, quoted, edge


def shorten(text: str, width: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def name_words(text: str | None) -> set[str]:
    if not text:
        return set()
    return {w.lower() for w in _WORD.findall(text) if w.lower() not in _NAME_STOPWORDS}


# -- gold -------------------------------------------------------------------------------------


@dataclass
class Gold:
    doc: str
    event: str
    content: Segments
    content_text: str
    source: Segments | None
    source_text: str
    cue_text: str
    kind: str = "indirect"  # direct | partial | indirect
    tokens: frozenset[int] = frozenset()
    source_tokens: frozenset[int] = frozenset()

    @property
    def row(self) -> str:
        return "direct" if self.kind == "direct" else "indirect"

    @property
    def speech_cue(self) -> bool:
        return bool(_SPEECH_CUE.search(self.cue_text))


@dataclass
class Doc:
    stem: str
    text: str
    ann: Path
    words: WordIndex
    gold: list[Gold] = field(default_factory=list)


def parse_segments(raw: str) -> Segments:
    segments = []
    for part in raw.split(";"):
        a, b = part.split()
        segments.append((int(a), int(b)))
    return tuple(sorted(segments))


def load_doc(stem: str, text_path: Path, ann: Path) -> Doc:
    text = text_path.read_text(encoding="utf-8")
    doc = Doc(stem, text, ann, WordIndex(text))
    spans: dict[str, tuple[str, Segments]] = {}
    events: list[tuple[str, dict[str, list[str]]]] = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        ident, body = parts[0], parts[1]
        if ident.startswith("T"):
            label, _, raw = body.partition(" ")
            try:
                spans[ident] = (label, parse_segments(raw))
            except ValueError:
                continue
        elif ident.startswith("E"):
            roles: dict[str, list[str]] = defaultdict(list)
            for argument in body.split():
                role, _, target = argument.partition(":")
                roles[role.rstrip("0123456789")].append(target)
            events.append((ident, roles))
    for ident, roles in events:
        contents = [spans[t][1] for t in roles.get("Content", []) if t in spans]
        if not contents:
            continue
        content = tuple(sorted(s for segs in contents for s in segs))
        sources = [spans[t][1] for t in roles.get("Source", []) if t in spans]
        source = tuple(sorted(s for segs in sources for s in segs)) if sources else None
        cues = [spans[t][1] for t in roles.get("Cue", []) if t in spans]
        gold = Gold(
            doc=stem,
            event=ident,
            content=content,
            content_text=" ".join(text[a:b] for a, b in content),
            source=source,
            source_text=" ".join(text[a:b] for a, b in source) if source else "",
            cue_text=" ".join(text[a:b] for segs in cues for a, b in segs),
        )
        gold.tokens = doc.words.tokens(content)
        gold.source_tokens = doc.words.tokens(source) if source else frozenset()
        if not gold.tokens:
            continue
        total, quoted, edge = quoted_tokens(text, content, doc.words)
        if edge and quoted * 2 >= total:
            gold.kind = "direct"
        elif quoted:
            gold.kind = "partial"
        doc.gold.append(gold)
    return doc


def sample(data: Path, n: int | None, spread: bool = False) -> list[tuple[str, Path, Path]]:
    """(file id, text path, annotation path) of the first n annotated texts by file name, or
    with ``spread`` n of them evenly spaced over that order."""
    annotations: dict[str, list[Path]] = defaultdict(list)
    for ann in sorted((data / "attributions").glob("*.ann")):
        stem = ann.stem.rsplit("_", 1)[0]
        annotations[stem].append(ann)
    chosen = []
    for text_path in sorted((data / "text").glob("*.txt")):
        anns = annotations.get(text_path.stem)
        if anns:
            chosen.append((text_path.stem, text_path, anns[0]))
    if n is None or n >= len(chosen):
        return chosen
    if spread:
        return [chosen[i * len(chosen) // n] for i in range(n)]
    return chosen[:n]


# -- predictions ------------------------------------------------------------------------------


@dataclass
class Prediction:
    doc: str
    index: int
    kind: str
    text: str
    content: tuple[int, int] | None  # original-text offsets
    speaker: tuple[int, int] | None
    speaker_text: str | None
    speaker_name: str | None
    cue: str | None
    reason: str | None
    tokens: frozenset[int] = frozenset()
    speaker_tokens: frozenset[int] = frozenset()


def origin_stem(origin: Any) -> str | None:
    if not isinstance(origin, str) or not origin:
        return None
    return Path(origin).stem


def article_origins(article: dict[str, Any]) -> list[str]:
    stems = []
    for origin in [article.get("origin")] + [
        s.get("origin") for s in article.get("sources") or [] if isinstance(s, dict)
    ]:
        stem = origin_stem(origin)
        if stem and stem not in stems:
            stems.append(stem)
    return stems


def load_predictions(
    quotes: list[dict[str, Any]],
    articles: dict[str, dict[str, Any]],
    docs: dict[str, Doc],
) -> tuple[list[Prediction], dict[str, str], Counter[str]]:
    """Predictions mapped onto the original texts, the article id of each scored doc, notes."""
    notes: Counter[str] = Counter()
    primary: dict[str, str] = {}  # doc stem -> article id
    for article_id, article in articles.items():
        stems = [s for s in article_origins(article) if s in docs]
        if stems:
            primary.setdefault(stems[0], article_id)
            if len(stems) > 1:
                notes["sample files merged into another article"] += len(stems) - 1
    maps: dict[str, OffsetMap] = {}
    predictions: list[Prediction] = []
    for index, quote in enumerate(quotes):
        kind = str(quote.get("kind"))
        if kind == "scare":
            notes["scare quotes dropped"] += 1
            continue
        article_id = str(quote.get("article_id"))
        stem = origin_stem(quote.get("origin"))
        if stem not in docs or primary.get(stem) != article_id:
            stem = next((s for s, a in primary.items() if a == article_id), None)
        if stem is None:
            notes["quotes outside the sample"] += 1
            continue
        record = articles.get(article_id)
        if record is None or not isinstance(record.get("text"), str):
            notes["quotes whose article text is unavailable"] += 1
            continue
        if article_id not in maps:
            maps[article_id] = OffsetMap(record["text"], docs[stem].text)
        offsets = maps[article_id]
        content = offsets.span(int(quote["start"]), int(quote["end"]))
        speaker = None
        if quote.get("speaker_start") is not None and quote.get("speaker_end") is not None:
            speaker = offsets.span(int(quote["speaker_start"]), int(quote["speaker_end"]))
        resolved = quote.get("speaker")
        prediction = Prediction(
            doc=stem,
            index=index,
            kind=kind,
            text=str(quote.get("text") or ""),
            content=content,
            speaker=speaker,
            speaker_text=quote.get("speaker_text"),
            speaker_name=resolved.get("name") if isinstance(resolved, dict) else None,
            cue=quote.get("cue"),
            reason=quote.get("reason"),
        )
        words = docs[stem].words
        prediction.tokens = words.tokens([content]) if content else frozenset()
        prediction.speaker_tokens = words.tokens([speaker]) if speaker else frozenset()
        if content is None:
            notes["quotes whose offsets could not be mapped"] += 1
        predictions.append(prediction)
    low = [m for m in maps.values() if m.coverage < 0.95]
    if low:
        notes["articles whose clean text aligns < 95% of tokens"] = len(low)
    return predictions, primary, notes


# -- scoring ----------------------------------------------------------------------------------


@dataclass
class Scores:
    correct: set[int] = field(default_factory=set)  # prediction indexes
    content_correct: set[int] = field(default_factory=set)
    neutral: set[int] = field(default_factory=set)
    matched: set[int] = field(default_factory=set)  # id() of gold
    content_matched: set[int] = field(default_factory=set)
    by_name: int = 0
    miss_cause: dict[int, tuple[str, str]] = field(default_factory=dict)  # (category, detail)
    fp_cause: dict[int, tuple[str, str]] = field(default_factory=dict)


def speaker_ok(prediction: Prediction, gold: Gold) -> tuple[bool, bool]:
    """(right speaker, right only by the name rule)."""
    if gold.source is None or (prediction.speaker is None and not prediction.speaker_text):
        return False, False
    if prediction.speaker_tokens & gold.source_tokens:
        return True, False
    gold_words = name_words(gold.source_text)
    predicted = name_words(prediction.speaker_text) | name_words(prediction.speaker_name)
    if gold_words & predicted:
        return True, True
    return False, False


@dataclass
class Match:
    """How one prediction relates to one gold attribution it overlaps."""

    content: bool  # covers half the gold Content, alone or with its fellow fragments
    correct: bool  # content (counting only fragments with the right speaker) and speaker
    speaker: bool
    by_name: bool
    fragment: bool  # lies mostly inside the gold Content
    share: float  # of the gold Content's tokens this prediction covers


def matches(gold: Gold, preds: Sequence[Prediction]) -> dict[int, Match]:
    """Prediction index -> Match, for the predictions overlapping the gold Content.

    A prediction covering half the Content matches it. So do the *fragments* (predictions
    with at least half their tokens inside the Content: a quote split around its cue, or
    interrupted, is one discontinuous Content in PolNeAR) when together they cover half of it;
    for ``correct`` only the fragments with the right speaker are pooled.
    """
    need = CONTENT_SHARE * len(gold.tokens)
    overlapping = [(p, p.tokens & gold.tokens) for p in preds if p.tokens & gold.tokens]
    speakers = {p.index: speaker_ok(p, gold) for p, _ in overlapping}
    fragments = [
        (p, inter) for p, inter in overlapping if len(inter) >= CONTENT_SHARE * len(p.tokens)
    ]
    pooled = set().union(*(inter for _, inter in fragments)) if fragments else set()
    pooled_right = (
        set().union(*(inter for p, inter in fragments if speakers[p.index][0]))
        if fragments
        else set()
    )
    found: dict[int, Match] = {}
    for p, inter in overlapping:
        whole = len(inter) >= need
        fragment = len(inter) >= CONTENT_SHARE * len(p.tokens)
        right, by_name = speakers[p.index]
        found[p.index] = Match(
            content=whole or (fragment and len(pooled) >= need),
            correct=right and (whole or (fragment and len(pooled_right) >= need)),
            speaker=right,
            by_name=by_name,
            fragment=fragment,
            share=len(inter) / len(gold.tokens),
        )
    return found


def score(docs: Sequence[Doc], predictions: Sequence[Prediction]) -> Scores:
    scores = Scores()
    by_doc: dict[str, list[Prediction]] = defaultdict(list)
    for prediction in predictions:
        by_doc[prediction.doc].append(prediction)
    for doc in docs:
        preds = by_doc.get(doc.stem, [])
        sourced = [(g, matches(g, preds)) for g in doc.gold if g.source is not None]
        unsourced = [(g, matches(g, preds)) for g in doc.gold if g.source is None]
        for gold, found in sourced:
            if any(m.correct for m in found.values()):
                scores.matched.add(id(gold))
            if any(m.content for m in found.values()):
                scores.content_matched.add(id(gold))
        for prediction in preds:
            mine = [(g, f[prediction.index]) for g, f in sourced if prediction.index in f]
            if any(m.correct for _, m in mine):
                scores.correct.add(prediction.index)
                scores.content_correct.add(prediction.index)
                scores.by_name += all(m.by_name for _, m in mine if m.correct)
                continue
            content = [(g, m) for g, m in mine if m.content]
            if content:
                scores.content_correct.add(prediction.index)
            elif any(
                m.content for _, f in unsourced for i, m in f.items() if i == prediction.index
            ):
                scores.neutral.add(prediction.index)
                continue
            wrong = next((g for g, m in content if not m.speaker), None)
            if wrong is not None:
                scores.fp_cause[prediction.index] = (
                    "wrong speaker" if prediction.speaker_text else "no speaker",
                    f"gold source {wrong.source_text!r}",
                )
            elif content:
                scores.fp_cause[prediction.index] = (
                    "part of a split quote whose other parts lack the speaker",
                    f"gold source {content[0][0].source_text!r}",
                )
            elif mine:
                gold, match = max(mine, key=lambda gm: gm[1].share)
                scores.fp_cause[prediction.index] = (
                    "fragment of a longer gold content"
                    if match.fragment
                    else "overlaps a gold content partly",
                    f"{match.share:.0%} of [{gold.kind}] {gold.source_text!r} {gold.cue_text!r} "
                    f"«{shorten(gold.content_text, 90)}»",
                )
            elif any(prediction.index in f for _, f in unsourced):
                scores.fp_cause[prediction.index] = ("overlaps a gold content partly", "no source")
            else:
                scores.fp_cause[prediction.index] = ("no gold attribution here", "")
        by_index = {p.index: p for p in preds}
        for gold, found in sourced:
            if id(gold) in scores.matched:
                continue
            hits = [by_index[i] for i, m in found.items() if m.content]
            if hits:
                first = hits[0]
                scores.miss_cause[id(gold)] = (
                    "content found, wrong speaker"
                    if any(p.speaker_text for p in hits)
                    else "content found, no speaker",
                    f"predicted speaker {first.speaker_text!r}"
                    + (f" ({first.reason})" if first.reason else ""),
                )
            elif found:
                best = max(m.share for m in found.values())
                scores.miss_cause[id(gold)] = (
                    "content covered < 50%",
                    f"best prediction covers {best:.0%} of its tokens",
                )
            else:
                scores.miss_cause[id(gold)] = ("not detected", "")
    return scores


def prf(hits: int, total_pred: int, found: int, total_gold: int) -> tuple[float, float, float]:
    p = hits / total_pred if total_pred else 0.0
    r = found / total_gold if total_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def fmt(value: float | None) -> str:
    return "    -" if value is None else f"{value:5.2f}"


def report(
    docs: Sequence[Doc],
    predictions: Sequence[Prediction],
    scores: Scores,
    examples: int,
) -> dict[str, Any]:
    sourced = [g for d in docs for g in d.gold if g.source is not None]
    live = [p for p in predictions if p.index not in scores.neutral]
    rows: list[tuple[str, list[Prediction] | None, list[Gold]]] = [
        (
            "direct",
            [p for p in live if p.kind == "direct"],
            [g for g in sourced if g.row == "direct"],
        ),
        (
            "indirect",
            [p for p in live if p.kind != "direct"],
            [g for g in sourced if g.row == "indirect"],
        ),
        ("  of which partial", None, [g for g in sourced if g.kind == "partial"]),
        ("  speech cue only", None, [g for g in sourced if g.row == "indirect" and g.speech_cue]),
        ("overall", list(live), sourced),
    ]
    print(f"\n{'':20} {'gold':>5} {'pred':>5} | {'P':>5} {'R':>5} {'F1':>5} | {'content-only':^17}")
    print(f"{'':20} {'':>5} {'':>5} | {'with speaker':^17} | {'P':>5} {'R':>5} {'F1':>5}")
    figures: dict[str, Any] = {}
    for name, preds, golds in rows:
        found = sum(id(g) in scores.matched for g in golds)
        found_c = sum(id(g) in scores.content_matched for g in golds)
        if preds is None:
            r = found / len(golds) if golds else 0.0
            rc = found_c / len(golds) if golds else 0.0
            print(
                f"{name:20} {len(golds):5} {'':>5} | {fmt(None)} {fmt(r)} {fmt(None)} | "
                f"{fmt(None)} {fmt(rc)} {fmt(None)}"
            )
            figures[name.strip()] = {"gold": len(golds), "recall": r, "content_recall": rc}
            continue
        hits = sum(p.index in scores.correct for p in preds)
        hits_c = sum(p.index in scores.content_correct for p in preds)
        p, r, f = prf(hits, len(preds), found, len(golds))
        pc, rc, fc = prf(hits_c, len(preds), found_c, len(golds))
        print(
            f"{name:20} {len(golds):5} {len(preds):5} | {fmt(p)} {fmt(r)} {fmt(f)} | "
            f"{fmt(pc)} {fmt(rc)} {fmt(fc)}"
        )
        figures[name] = {
            "gold": len(golds),
            "predicted": len(preds),
            "precision": p,
            "recall": r,
            "f1": f,
            "content_precision": pc,
            "content_recall": rc,
            "content_f1": fc,
        }
    unsourced = sum(g.source is None for d in docs for g in d.gold)
    print(
        f"\n{len(docs)} articles; gold attributions with a source: {len(sourced)} "
        f"(+{unsourced} without one, not scored); neutral predictions (matching only those): "
        f"{len(scores.neutral)}; correct speakers credited by the name rule: {scores.by_name}"
    )
    direct, indirect = figures["direct"], figures["indirect"]
    want_p, want_r = DIRECT_TARGET
    print(
        f"targets: direct P {direct['precision']:.2f} (≥ {want_p}) "
        f"R {direct['recall']:.2f} (≥ {want_r}) "
        f"{'MET' if direct['precision'] >= want_p and direct['recall'] >= want_r else 'NOT MET'}"
        f"; indirect F1 {indirect['f1']:.2f} (≥ {INDIRECT_F1_TARGET}) "
        f"{'MET' if indirect['f1'] >= INDIRECT_F1_TARGET else 'NOT MET'}"
    )

    gold_by_id = {id(g): g for g in sourced}
    misses = [gold_by_id[i] for i in scores.miss_cause]
    false_pos = [p for p in live if p.index in scores.fp_cause]
    print("\nmisses by cause (gold kind):")
    causes = Counter((g.kind, scores.miss_cause[id(g)][0]) for g in misses)
    for (row, cause), count in sorted(causes.items(), key=lambda kv: (kv[0][0], -kv[1])):
        print(f"  {row:9} {count:5}  {cause}")
    print("false positives by cause (predicted kind):")
    causes = Counter((p.kind, scores.fp_cause[p.index][0]) for p in false_pos)
    for (kind, cause), count in sorted(causes.items(), key=lambda kv: (kv[0][0], -kv[1])):
        print(f"  {kind:9} {count:5}  {cause}")

    print(f"\n{examples} example misses (gold):")
    for gold in pick(misses, examples, lambda g: g.row == "direct"):
        print(
            f"- [{gold.kind}] {gold.doc} {gold.event}: {gold.source_text!r} "
            f"{gold.cue_text!r} «{shorten(gold.content_text)}»\n"
            f"    {': '.join(x for x in scores.miss_cause[id(gold)] if x)}"
        )
    print(f"\n{examples} example false positives (predicted):")
    for pred in pick(false_pos, examples, lambda p: p.kind == "direct"):
        cause = ": ".join(x for x in scores.fp_cause[pred.index] if x)
        print(
            f"- [{pred.kind}] {pred.doc}: {pred.speaker_text!r} {pred.cue!r} "
            f"«{shorten(pred.text)}»\n    {cause}"
        )
    figures["articles"] = len(docs)
    figures["unsourced_gold"] = unsourced
    figures["neutral_predictions"] = len(scores.neutral)
    return figures


def pick(items: Sequence[T], count: int, first: Callable[[T], bool]) -> list[T]:
    """Up to count items, evenly spread; half of them from those satisfying ``first``."""

    def spread(pool: Sequence[T], k: int) -> list[T]:
        if k <= 0 or not pool:
            return []
        if len(pool) <= k:
            return list(pool)
        step = len(pool) / k
        return [pool[int(i * step)] for i in range(k)]

    preferred = [x for x in items if first(x)]
    rest = [x for x in items if not first(x)]
    chosen = spread(preferred, (count + 1) // 2)
    chosen += spread(rest, count - len(chosen))
    if len(chosen) < count:
        extra = [x for x in preferred if all(x is not c for c in chosen)]
        chosen += spread(extra, count - len(chosen))
    return chosen


# -- running the CLI ------------------------------------------------------------------------


class CliError(RuntimeError):
    pass


def run(command: list[str], what: str) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise CliError(f"{what} could not run: {error}") from error
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise CliError(f"{what} failed (exit {done.returncode}): " + " | ".join(tail))
    return done.stdout


def parse_articles(raw: str) -> dict[str, dict[str, Any]]:
    raw = raw.strip()
    if raw.startswith("["):
        records = json.loads(raw)
    else:
        records = [json.loads(line) for line in raw.splitlines() if line.strip()]
    return {str(r["id"]): r for r in records if isinstance(r, dict) and "id" in r}


def run_dossier(
    dossier: Path, sample_docs: Sequence[Doc], work: Path
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    folder, db = work / "articles", work / "quotes_eval.db"
    folder.mkdir(parents=True, exist_ok=True)
    for doc in sample_docs:
        (folder / f"{doc.stem}.txt").write_text(
            f"{TITLE_PREFIX}{doc.stem}\n{doc.text}", encoding="utf-8"
        )
    for stale in work.glob("quotes_eval.db*"):
        stale.unlink()
    began = time.perf_counter()
    run([str(dossier), "ingest", str(folder), "--db", str(db)], "dossier ingest")
    print(f"ingest + analysis of {len(sample_docs)} articles: {time.perf_counter() - began:.1f}s")
    command = [str(dossier), "quotes", "--db", str(db), "--json"]
    if "--limit" in run([str(dossier), "quotes", "--help"], "dossier quotes --help"):
        command += ["--limit", "100000000"]
    quotes = json.loads(run(command, "dossier quotes") or "[]")
    try:
        articles = parse_articles(run([str(dossier), "export", "--db", str(db)], "export"))
    except (CliError, json.JSONDecodeError, KeyError):
        articles = {}
    for article_id in sorted({str(q.get("article_id")) for q in quotes} - set(articles)):
        shown = run([str(dossier), "show", article_id, "--db", str(db), "--json"], "show")
        articles[article_id] = json.loads(shown)
    return quotes, articles


# -- main -------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="PolNeAR folder")
    parser.add_argument("--n", type=int, default=100, help="first N articles (default 100)")
    parser.add_argument("--all", action="store_true", help="every annotated article")
    parser.add_argument("--spread", action="store_true", help="N evenly spaced, not the first N")
    parser.add_argument("--dossier", type=Path, default=DEFAULT_DOSSIER, help="the CLI")
    parser.add_argument("--workdir", type=Path, help="keep the texts and database here")
    parser.add_argument("--predictions", type=Path, help="score this quotes --json file")
    parser.add_argument("--articles", type=Path, help="export JSONL / JSON for --predictions")
    parser.add_argument("--examples", type=int, default=10, help="misses and FPs to print")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)

    if not (args.data / "text").is_dir() or not (args.data / "attributions").is_dir():
        print(f"PolNeAR data not found at {args.data}; nothing to score.")
        return 0
    docs = [
        load_doc(*entry) for entry in sample(args.data, None if args.all else args.n, args.spread)
    ]
    if not docs:
        print(f"no annotated PolNeAR texts in {args.data}; nothing to score.")
        return 0
    kinds = Counter(g.kind for d in docs for g in d.gold if g.source is not None)
    print(f"PolNeAR sample: {len(docs)} articles, gold with a source: {dict(kinds)}")

    try:
        if args.predictions:
            if not args.articles:
                parser.error("--predictions needs --articles")
            quotes = json.loads(args.predictions.read_text(encoding="utf-8"))
            articles = parse_articles(args.articles.read_text(encoding="utf-8"))
        elif not args.dossier.exists():
            print(f"dossier CLI not found at {args.dossier}; nothing to score.")
            return 0
        elif args.workdir:
            quotes, articles = run_dossier(args.dossier, docs, args.workdir)
        else:
            with tempfile.TemporaryDirectory(prefix="quotes_eval_") as tmp:
                quotes, articles = run_dossier(args.dossier, docs, Path(tmp))
    except (CliError, json.JSONDecodeError, OSError) as error:
        print(f"could not get predictions: {error}")
        return 0
    if not isinstance(quotes, list):
        print("dossier quotes --json did not print a list; nothing to score.")
        return 0

    by_stem = {d.stem: d for d in docs}
    predictions, primary, notes = load_predictions(quotes, articles, by_stem)
    scored = [d for d in docs if d.stem in primary]
    if len(scored) < len(docs):
        notes["sample files not stored (rejected or merged), not scored"] = len(docs) - len(scored)
    for note, count in sorted(notes.items()):
        print(f"note: {note}: {count}")
    scores = score(scored, predictions)
    figures = report(scored, predictions, scores, args.examples)
    if args.out:
        args.out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
