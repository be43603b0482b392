"""Removing page debris from article text, keeping every sentence and a record of each cut.

Scraped articles carry the page around them: newsletter boxes, comment widgets, share
prompts, "related materials" lists, ``(`` where a hyperlink was stripped, emoji bullets and
runs of whitespace. No library cleans plain text, so this module does, conservatively:

* whole lines are removed only when the *entire* line matches a debris pattern (short
  lines only, so a sentence that merely mentions "subscribe" is never dropped);
* a "related" heading takes the bulleted items right after it with it;
* inside kept lines only link remnants, leading emoji bullets and whitespace are cut.

Every cut is returned as :class:`~dossier.model.Debris` (rule, text, where), so the
original text can be rebuilt and a user can audit what went.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import CleanText, Debris

# A line longer than this is prose, never page furniture.
MAX_DEBRIS_LINE = 200

_EMOJI = (
    "\U0001f1e6-\U0001f1ff"  # regional indicators (flags)
    "\U0001f300-\U0001faff"  # pictographs, emoticons, symbols
    "\u2600-\u27bf"  # misc symbols, dingbats
    "\u2b00-\u2bff"  # arrows, stars
    "\u25a0-\u25ff"  # geometric shapes (▪ ► ◆)
    "\u2022\u2023\u2043\u2219\u27a4\u2794"  # bullets and arrows
    "\ufe0f\u200d\u20e3"  # variation selector, joiner, keycap
)
_EMOJI_BULLET = re.compile(rf"[{_EMOJI}][{_EMOJI}\s]*")  # use with .match()
_MD_BULLET = re.compile(r"^[-*+]\s+")

_SOCIAL = r"(?:facebook|twitter|x|telegram|whatsapp|linkedin|reddit|vk|vkontakte|email|e-mail|print|pinterest|viber|messenger|copy link)"

_LINE_RULES: tuple[tuple[str, str], ...] = (
    (
        "newsletter",
        r"subscribe(?: now| today| here)?(?: to (?:our|the) (?:free |daily |weekly )?"
        r"(?:newsletter|mailing list|channel|updates|digest))?[.!:]?"
        r"|sign up(?: here| now| today)?\b.{0,120}\b(?:newsletter|inbox|updates|latest news|offers)\b.*"
        r"|(?:get|receive) (?:the|our) latest\b.{0,120}\b(?:inbox|e-?mail)\b.*"
        r"|enter your e-?mail(?: address)?.{0,80}"
        r"|(?:join|subscribe to) our (?:mailing list|newsletter|telegram channel|channel).{0,80}"
        r"|we respect your privacy.{0,80}|unsubscribe at any time.{0,40}"
        r"|(?:your )?e-?mail address(?: will not be published.*)?|e-?mail\s*\*?",
    ),
    (
        "comments",
        r"notify of|inline feedbacks?|view all comments|(?:would love your thoughts, )?please comment\.?x?"
        r"|leave a (?:reply|comment)(?: cancel reply)?|\d+ (?:comments?|responses?|replies)"
        r"|comments?(?: \(\d+\))?:?|be the first to comment.{0,40}|(?:log ?in|sign in) to comment.{0,20}"
        r"|oldest|newest|most voted|post comment|cancel reply|show comments|load more comments"
        r"|guest|save my name, e-?mail, and website in this browser for the next time i comment\."
        r"|you must be logged in to post a comment\.?|\d+ thoughts? on\b.{0,150}|comment\.x|x"
        r"|new follow-up comments|new replies to my comments|label|\{\}\s*\[\+\]",
    ),
    (
        "share",
        rf"share(?: this)?(?: article| story| post| page)?(?: on {_SOCIAL})?\s*:?"
        rf"|click to share on .{{0,60}}|(?:tweet|pin it|print|email)(?: this)?(?: article| story)?"
        rf"|follow us(?: on .{{1,60}})?\s*:?|like us on facebook.{{0,40}}"
        rf"|join us on {_SOCIAL}.{{0,40}}|{_SOCIAL}(?:\s*[|•·,/]?\s*{_SOCIAL})+",
    ),
    (
        # the footer WordPress and similar feeds append to every item
        "syndication",
        r"the post .{1,200}? (?:appeared first|first appeared) on .{1,80}"
        r"|this (?:article|story|post|entry) (?:was )?(?:originally |first )"
        r"(?:published|appeared|posted) (?:on|in|at|by) .{1,120}"
        r"|this (?:article|story) is republished from .{1,120}",
    ),
    (
        "advert",
        r"advertisement|sponsored(?: content)?|\(?ad\)?|story continues below(?: advertisement)?",
    ),
)

_RELATED_HEADING = (
    r"(?:read more|read also|also read|see also|related(?: articles| stories| posts| materials"
    r"| news| coverage| reading)?|more on .{1,60}|you (?:may|might) also (?:like|be interested in)"
    r"|recommended(?: for you| articles| reading)?|more stories|trending(?: now)?|most read"
    r"|popular(?: now)?|don'?t miss|we suggest you (?:familiari[sz]e yourself with|read) the following"
    r"(?: related)? materials)\s*[:：]?"
)
_RELATED_PROMO = r"(?:read more|read also|also read|related|see also)\s*[:：|]\s*.{1,200}"

_LINE_PATTERNS = (
    *tuple((rule, re.compile(rf"(?:{pattern})", re.IGNORECASE)) for rule, pattern in _LINE_RULES),
    ("related", re.compile(_RELATED_PROMO, re.IGNORECASE)),
)
_HEADING = re.compile(_RELATED_HEADING, re.IGNORECASE)
_SEPARATORS = re.compile(r"\s+[|•·/]\s+")
# a feed footer quotes the item's title, so it may run longer than other debris
_FOOTER = re.compile(r"the post |this (?:article|story|post|entry) ", re.IGNORECASE)

# Where a hyperlink was stripped, its parenthesis stays behind.
_REMNANTS = (
    # "(" before the end of the line, a closing quote, a pipe or another parenthesis
    re.compile(r"[ \t\u00a0]*\([ \t\u00a0]*(?=$|[”\"»|()])"),
    # "( name)": a parenthesis opened with a space around one short word
    re.compile(r"[ \t\u00a0]*\([ \t\u00a0]+[^\s()]{1,30}\)"),
    # "( the rest of the line" where the parenthesis is never closed
    re.compile(r"\([ \t\u00a0]+(?![^()]*\))"),
)
_SPACES = re.compile(
    r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]"
)


@dataclass
class _Piece:
    start: int
    end: int
    out: str
    rule: str | None  # None: kept as it is


def clean_text(text: str) -> CleanText:
    """Clean ``text`` (newlines already normalised to ``\\n``); see the module docstring."""
    lines = _split_lines(text)
    verdicts = _classify(text, lines)
    pieces = _assemble(text, lines, verdicts)
    return _render(text, pieces)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _split_lines(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def line_rule(line: str) -> str | None:
    """The debris rule a whole line matches, or None for a line to keep."""
    stripped = _strip_bullet(line.strip())
    if not stripped or len(stripped) > MAX_DEBRIS_LINE + (200 if _FOOTER.match(stripped) else 0):
        return "link_remnant" if line.strip() and _only_remnant(line) else None
    if _only_remnant(stripped):
        return "link_remnant"
    rule = _whole_line_rule(stripped)
    if rule is None and _SEPARATORS.search(stripped):
        # "Share on Facebook | Follow us on Telegram": every part is debris
        rules = [_whole_line_rule(part.strip()) for part in _SEPARATORS.split(stripped)]
        if all(rules):
            rule = rules[0]
    return rule


def _whole_line_rule(line: str) -> str | None:
    for rule, pattern in _LINE_PATTERNS:
        if pattern.fullmatch(line):
            return rule
    return "related" if _HEADING.fullmatch(line) else None


def _only_remnant(line: str) -> bool:
    return not line.strip(" \t\u00a0()[]|#»«”“\"'") and line.strip() != ""


def _classify(text: str, lines: list[tuple[int, int]]) -> list[str | None]:
    """Per line: a debris rule, "" for a blank line, None for a line to keep."""
    verdicts: list[str | None] = []
    in_related = False
    for start, end in lines:
        line = text[start:end]
        if not line.strip():
            verdicts.append("")
            continue
        rule = line_rule(line)
        stripped = line.strip()
        if rule is None and in_related and _is_bullet(stripped):
            rule = "related"
        in_related = (
            rule == "related" and _HEADING.fullmatch(_strip_bullet(stripped)) is not None
        ) or (in_related and rule == "related")
        verdicts.append(rule)
    return verdicts


def _is_bullet(line: str) -> bool:
    return bool(_EMOJI_BULLET.match(line) or _MD_BULLET.match(line))


def _strip_bullet(line: str) -> str:
    bullet = _EMOJI_BULLET.match(line)
    return (line[bullet.end() :] if bullet else line).strip()


def _assemble(text: str, lines: list[tuple[int, int]], verdicts: list[str | None]) -> list[_Piece]:
    kept = [i for i, v in enumerate(verdicts) if v is None]
    pieces: list[_Piece] = []
    if not kept:
        return [_Piece(0, len(text), "", "whitespace")] if text else []
    _gap(text, lines, verdicts, -1, kept[0], pieces, separator="")
    for number, index in enumerate(kept):
        start, end = lines[index]
        pieces.extend(_inline(text, start, end))
        following = kept[number + 1] if number + 1 < len(kept) else len(lines)
        separator = "" if following == len(lines) else None
        _gap(text, lines, verdicts, index, following, pieces, separator)
    return pieces


def _gap(
    text: str,
    lines: list[tuple[int, int]],
    verdicts: list[str | None],
    before: int,
    after: int,
    pieces: list[_Piece],
    separator: str | None,
) -> None:
    """Pieces for what lies between kept line ``before`` and kept line ``after``.

    Between two kept lines one newline stays, and one blank line if there was any; at the
    start and end of the text nothing stays (``separator=""``).
    """
    between = range(before + 1, after)
    wants_blank = separator is None and any(verdicts[i] == "" for i in between)
    if before >= 0 and lines[before][1] < len(text):
        newline_at = lines[before][1]
        keep = separator is None
        pieces.append(
            _Piece(newline_at, newline_at + 1, "\n" if keep else "", None if keep else "whitespace")
        )
    for i in between:
        start, end = lines[i]
        stop = end + 1 if i + 1 < len(lines) else end
        chunk = text[start:stop]
        if verdicts[i] == "" and wants_blank:
            wants_blank = False
            pieces.append(_Piece(start, stop, "\n", None if chunk == "\n" else "whitespace"))
        elif chunk:
            pieces.append(_Piece(start, stop, "", verdicts[i] or "whitespace"))


def _inline(text: str, start: int, end: int) -> list[_Piece]:
    line = text[start:end]
    edits = _inline_edits(line)
    pieces, cursor = [], 0
    for a, b, out, rule in edits:
        if a > cursor:
            pieces.append(_Piece(start + cursor, start + a, line[cursor:a], None))
        pieces.append(_Piece(start + a, start + b, out, rule))
        cursor = b
    if cursor < len(line):
        pieces.append(_Piece(start + cursor, end, line[cursor:], None))
    return pieces


def _inline_edits(line: str) -> list[tuple[int, int, str, str]]:
    edits: list[tuple[int, int, str, str]] = []
    lead = len(line) - len(line.lstrip(" \t\u00a0\u3000"))
    bullet = _EMOJI_BULLET.match(line, lead)
    if bullet:
        edits.append((0, bullet.end(), "", "emoji_bullet"))
    elif lead:
        edits.append((0, lead, "", "whitespace"))
    for pattern in _REMNANTS if "(" in line else ():
        edits.extend(
            (m.start(), m.end(), "", "link_remnant")
            for m in pattern.finditer(line)
            if m.end() > m.start()
        )
    edits.extend((i, i + 1, "", "link_remnant") for i in _unmatched_closers(line))
    trail = len(line.rstrip(" \t\u00a0\u3000"))
    if trail < len(line):
        edits.append((trail, len(line), "", "whitespace"))
    kept = _non_overlapping(edits)
    kept.extend(
        (m.start(), m.end(), " ", "whitespace")
        for m in _SPACES.finditer(line)
        if not any(a < m.end() and m.start() < b for a, b, _, _ in kept)
    )
    return sorted(kept)


def _unmatched_closers(line: str) -> list[int]:
    """Positions of a ``)`` after a space that closes nothing: the other half of a remnant."""
    if ")" not in line:
        return []
    depth, found = 0, []
    for i, ch in enumerate(line):
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth:
                depth -= 1
            elif i and line[i - 1] in " \t\u00a0":
                found.append(i)
    return found


def _non_overlapping(edits: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    chosen: list[tuple[int, int, str, str]] = []
    for edit in sorted(edits, key=lambda e: (e[0], -(e[1] - e[0]))):
        if chosen and edit[0] < chosen[-1][1]:
            continue
        chosen.append(edit)
    return chosen


def _render(text: str, pieces: list[_Piece]) -> CleanText:
    out: list[str] = []
    debris: list[Debris] = []
    length = 0
    for piece in pieces:
        if piece.rule is not None:
            removed = text[piece.start : piece.end]
            debris.append(Debris(piece.rule, removed, piece.start, piece.end, length, piece.out))
        out.append(piece.out)
        length += len(piece.out)
    return CleanText("".join(out), tuple(debris))
