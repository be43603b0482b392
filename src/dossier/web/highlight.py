"""Article text with its analysis layers marked: slice at offsets, escape every piece.

Offsets are the contract: each layer is a list of ``[start, end)`` ranges into the clean
text. The text is cut at every boundary, each slice is escaped, and elements are opened
and closed around the slices so that they always nest (an element crossing another's
boundary is closed and reopened as a continuation piece).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..browse import QuoteSpan, TechniqueSpan

LAYERS = ("quotes", "techniques", "actors")  # outermost first when spans start together

# The 14 classes of the Propaganda Techniques Corpus, in a fixed order: index = colour slot.
TECHNIQUES = (
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Exaggeration,Minimisation",
    "Doubt",
    "Appeal_to_fear-prejudice",
    "Flag-Waving",
    "Causal_Oversimplification",
    "Slogans",
    "Appeal_to_Authority",
    "Black-and-White_Fallacy",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
    "Bandwagon,Reductio_ad_hitlerum",
)


@dataclass(frozen=True)
class Span:
    """One marked range: an element with attributes, shown when its layer is on."""

    start: int
    end: int
    layer: str
    tag: str
    attrs: tuple[tuple[str, str], ...]
    first_attrs: tuple[tuple[str, str], ...] = ()  # only on the first piece (tabindex)
    after: str = ""  # markup emitted once the span is fully closed (a label)

    def open(self, continued: bool) -> Markup:
        attrs = self.attrs if continued else self.attrs + self.first_attrs
        rendered = "".join(f' {name}="{escape(value)}"' for name, value in attrs)
        return Markup(f"<{self.tag}{rendered}>")

    def close(self) -> Markup:
        return Markup(f"</{self.tag}>")


def technique_label(name: str) -> str:
    """'Name_Calling,Labeling' → 'Name calling, labeling'."""
    text = name.replace("_", " ").replace(",", ", ").strip()
    return text[:1].upper() + text[1:].lower() if text else "(unnamed)"


def technique_slot(name: str) -> int:
    """A stable colour slot (0-13) for a technique; unknown names hash into the palette."""
    if name in TECHNIQUES:
        return TECHNIQUES.index(name)
    return sum(name.encode()) % len(TECHNIQUES)


def mention_spans(mentions: Iterable[dict[str, object]]) -> list[Span]:
    """Actor mentions as links; a mention overlapping an earlier one is dropped (no nested links)."""
    spans: list[Span] = []
    reach = -1
    for m in sorted(mentions, key=lambda m: (int(str(m["start"])), -int(str(m["end"])))):
        start, end = int(str(m["start"])), int(str(m["end"]))
        if start < reach:
            continue
        reach = end
        title = f"{m['name']} ({m['kind']})" + (f", {m['role']}" if m.get("role") else "")
        attrs = (
            ("class", f"mention kind-{m['kind']}"),
            ("href", f"/actors/{m['actor_id']}"),
            ("title", title),
        )
        spans.append(Span(start, end, "actors", "a", attrs))
    return spans


def quote_spans(quotes: Sequence[QuoteSpan]) -> list[Span]:
    spans = []
    for q in quotes:
        kind = q.kind or "direct"
        who = q.speaker or "speaker unknown"
        label = "scare quote" if kind == "scare" else f"{kind} quote by {who}"
        attrs = (("class", f"quote quote-{kind}"), ("title", label))
        spans.append(Span(q.start, q.end, "quotes", "span", attrs, after=_speaker(q, kind)))
    return spans


def _speaker(q: QuoteSpan, kind: str) -> Markup:
    if kind == "scare":
        return Markup('<span class="speaker">(scare quote)</span>')
    name = escape(q.speaker or "speaker unknown")
    if q.speaker_id is not None:
        name = Markup(f'<a href="/actors/{int(q.speaker_id)}">{name}</a>')
    return Markup(f'<span class="speaker">— {name}</span>')


def technique_spans(spans: Sequence[TechniqueSpan], numbers: dict[str, int]) -> list[Span]:
    out = []
    for t in spans:
        label = technique_label(t.technique)
        tip = label + (f" · score {t.score:.2f}" if t.score is not None else "")
        tip += f" · {t.evidence}" if t.evidence else ""
        number = numbers.get(t.technique, 0)
        attrs = (
            ("class", f"tech tech-{technique_slot(t.technique)}"),
            ("title", tip),
            ("data-tip", tip),
        )
        tag = Markup(f'<sup class="tech-tag" title="{escape(label)}">{number}</sup>')
        out.append(Span(t.start, t.end, "techniques", "mark", attrs, (("tabindex", "0"),), tag))
    return out


def render(text: str, spans: Iterable[Span]) -> Markup:
    """The escaped text with every span's element around exactly its characters."""
    valid = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    valid.sort(key=lambda s: (s.start, -s.end, LAYERS.index(s.layer)))
    bounds = sorted({0, len(text), *(s.start for s in valid), *(s.end for s in valid)})
    out: list[str] = []
    stack: list[Span] = []
    queue = iter(valid)
    pending = next(queue, None)
    last = 0
    for pos in bounds:
        out.append(escape(text[last:pos]))
        last = pos
        _close_at(pos, stack, out)
        while pending is not None and pending.start == pos:
            out.append(pending.open(continued=False))
            stack.append(pending)
            pending = next(queue, None)
    return Markup("".join(out))


def _close_at(pos: int, stack: list[Span], out: list[str]) -> None:
    """Close the spans ending at ``pos``, reopening any that were nested inside them."""
    if not any(s.end == pos for s in stack):
        return
    reopen: list[Span] = []
    while any(s.end == pos for s in stack):
        span = stack.pop()
        out.append(span.close())
        if span.end == pos:
            out.append(Markup(span.after))
        else:
            reopen.append(span)
    for span in reversed(reopen):
        out.append(span.open(continued=True))
        stack.append(span)
