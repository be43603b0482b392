"""Text side of the techniques model: tokens, sentences and the sparse features.

Tokenisation and sentence splitting (offsets are characters into the text as given), the
cue lexicons (our own word lists), and the hashed binary features of tokens (for the span
tagger) and of spans (for the technique classifier). Pure functions, no model weights.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_QUOTES = frozenset("\"'“”‘’«»„")
_OPEN_Q = frozenset('"“‘«„')
_CLOSE_Q = frozenset('"”’»')

# Small hand lexicons (our own word lists); the words themselves are features too.
LEXICONS: dict[str, frozenset[str]] = {
    "intens": frozenset(
        [
            "very",
            "extremely",
            "utterly",
            "totally",
            "absolutely",
            "completely",
            "truly",
            "really",
            "so",
            "such",
            "incredibly",
            "deeply",
            "highly",
            "wholly",
            "entirely",
            "thoroughly",
            "outright",
            "sheer",
            "mere",
            "even",
            "ever",
            "never",
            "always",
            "all",
            "every",
            "nothing",
            "everyone",
            "everything",
            "nobody",
            "massive",
            "huge",
            "enormous",
            "tremendous",
            "unprecedented",
        ]
    ),
    "fear": frozenset(
        [
            "threat",
            "threats",
            "threaten",
            "threatens",
            "dangerous",
            "danger",
            "dangers",
            "deadly",
            "kill",
            "killing",
            "killed",
            "destroy",
            "destroyed",
            "destruction",
            "terror",
            "terrorist",
            "terrorists",
            "terrorism",
            "fear",
            "fears",
            "afraid",
            "catastrophe",
            "catastrophic",
            "disaster",
            "crisis",
            "invasion",
            "invade",
            "invaders",
            "attack",
            "attacks",
            "war",
            "violence",
            "violent",
            "chaos",
            "collapse",
            "die",
            "death",
            "deaths",
            "risk",
            "horrific",
            "horror",
            "evil",
            "menace",
            "doom",
            "slaughter",
            "massacre",
            "bloody",
            "brutal",
            "savage",
        ]
    ),
    "flag": frozenset(
        [
            "nation",
            "nations",
            "national",
            "patriot",
            "patriots",
            "patriotic",
            "patriotism",
            "our",
            "country",
            "homeland",
            "motherland",
            "fatherland",
            "american",
            "americans",
            "america",
            "flag",
            "sovereignty",
            "sacred",
            "people",
            "freedom",
            "liberty",
            "heritage",
            "values",
            "god",
        ]
    ),
    "label": frozenset(
        [
            "regime",
            "thug",
            "thugs",
            "radical",
            "radicals",
            "extremist",
            "extremists",
            "leftist",
            "leftists",
            "liberal",
            "liberals",
            "globalist",
            "globalists",
            "elite",
            "elites",
            "traitor",
            "traitors",
            "puppet",
            "puppets",
            "propaganda",
            "fake",
            "crooked",
            "corrupt",
            "criminal",
            "criminals",
            "liar",
            "liars",
            "idiot",
            "idiots",
            "fascist",
            "fascists",
            "nazi",
            "nazis",
            "communist",
            "communists",
            "socialist",
            "socialists",
            "jihadist",
            "jihadists",
            "islamist",
            "islamists",
            "mob",
            "hoax",
            "witch",
            "hunt",
            "deep",
            "state",
            "snowflake",
        ]
    ),
    "doubt": frozenset(
        [
            "alleged",
            "allegedly",
            "supposedly",
            "claimed",
            "claims",
            "so-called",
            "purported",
            "purportedly",
            "questionable",
            "dubious",
            "suspicious",
            "whether",
            "really",
            "why",
            "how",
            "could",
            "would",
            "can't",
            "doubt",
            "doubts",
            "unproven",
            "unsubstantiated",
            "apparently",
        ]
    ),
    "black_white": frozenset(["either", "or", "only", "choice", "must", "no", "alternative"]),
    "cliche": frozenset(["period", "enough", "simply", "it", "is", "what"]),
    "authority": frozenset(
        [
            "said",
            "says",
            "according",
            "expert",
            "experts",
            "scientist",
            "scientists",
            "professor",
            "dr",
            "study",
            "studies",
            "report",
            "reported",
            "official",
            "officials",
            "spokesman",
            "spokeswoman",
        ]
    ),
    "cause": frozenset(
        ["because", "therefore", "thus", "hence", "consequently", "since", "result", "due"]
    ),
    "whatabout": frozenset(
        ["what", "about", "hypocrisy", "hypocrite", "hypocrites", "double", "standard"]
    ),
}
_WORD2LEX: dict[str, tuple[str, ...]] = {}
for _name, _words in LEXICONS.items():
    for _w in _words:
        _WORD2LEX[_w] = (*_WORD2LEX.get(_w, ()), _name)
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "and",
        "or",
        "but",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "on",
        "for",
        "with",
        "as",
        "at",
        "by",
        "from",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "his",
        "her",
        "their",
        "our",
        "your",
        "not",
        "have",
        "has",
        "had",
        "will",
        "would",
        "can",
        "could",
        "do",
        "does",
        "did",
        "s",
    ]
)


@dataclass
class Token:
    start: int
    end: int
    text: str
    lower: str
    sent: int  # sentence index in the article
    in_quote: bool  # inside a short quoted stretch (a scare-quote candidate)


@dataclass
class Doc:
    text: str
    tokens: list[Token]
    sents: list[tuple[int, int]]  # token index ranges [a, b)
    counts: Counter[str]  # lowercase word counts in the article
    lower: str  # the article lowercased (for phrase counts)


def _hash(feature: str, dim: int) -> int:
    return zlib.crc32(feature.encode("utf-8")) & (dim - 1)


def _shape(tok: str) -> str:
    if tok.isupper() and len(tok) > 1:
        return "AA"
    if tok[:1].isupper():
        return "Aa"
    if tok.isdigit():
        return "d"
    if tok[:1].isalpha() or tok[:1] == "_":
        return "a"
    return tok if tok in _QUOTES or tok in "!?.,:;-—()" else "p"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of the sentences: lines, split further at sentence ends."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        a = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        start = a
        for m in _SENT_END.finditer(line):
            out.append((start, a + m.start()))
            start = a + m.end()
        out.append((start, a + len(line)))
    return out


def make_doc(text: str) -> Doc:
    tokens: list[Token] = []
    sents: list[tuple[int, int]] = []
    for si, (a, b) in enumerate(sentence_spans(text)):
        first = len(tokens)
        for m in _TOKEN.finditer(text, a, b):
            tok = m.group()
            tokens.append(Token(m.start(), m.end(), tok, tok.lower(), si, False))
        sents.append((first, len(tokens)))
        _mark_quotes(tokens, first, len(tokens))
    counts = Counter(t.lower for t in tokens if t.lower[:1].isalnum())
    return Doc(text, tokens, sents, counts, text.lower())


def _mark_quotes(tokens: list[Token], a: int, b: int) -> None:
    """Mark tokens inside a quoted stretch of at most 6 tokens (scare-quote candidates)."""
    i = a
    while i < b:
        t = tokens[i].text
        if t in _OPEN_Q or t == "'":
            for j in range(i + 1, min(b, i + 8)):
                if tokens[j].text in _CLOSE_Q or tokens[j].text == "'":
                    if j - i > 1:
                        for k in range(i, j + 1):
                            tokens[k].in_quote = True
                    i = j
                    break
        i += 1


def _lex(word: str) -> tuple[str, ...]:
    lex = _WORD2LEX.get(word, ())
    if len(word) > 5 and word.endswith("est") and word not in ("interest", "request", "protest"):
        lex = (*lex, "superl")
    return lex


def token_features(doc: Doc) -> list[list[str]]:
    """The features of every token of the article, for the span tagger: its own, then its
    sentence's."""
    own, sentence = token_feature_parts(doc)
    return [f + sentence[t.sent] for f, t in zip(own, doc.tokens, strict=True)]


def token_feature_parts(doc: Doc) -> tuple[list[list[str]], list[list[str]]]:
    """The span tagger's features in two parts: each token's own, and each sentence's
    (shared by all its tokens, so a linear model sums their weights once a sentence)."""
    toks = doc.tokens
    n = len(toks)
    feats: list[list[str]] = [[] for _ in range(n)]
    sentence: list[list[str]] = []
    for si, (a, b) in enumerate(doc.sents):
        words = [t.lower for t in toks[a:b]]
        content = sorted({w for w in words if w[:1].isalnum() and w not in _STOP})
        sent_f = [f"S={w}" for w in content]
        slen = b - a
        sent_f.append(f"SL={min(slen // 5, 10)}")
        if "!" in words:
            sent_f.append("S!")
        if "?" in words:
            sent_f.append("S?")
        if si == 0:
            sent_f.append("TITLE")
        nq = sum(1 for t in toks[a:b] if t.in_quote)
        if nq:
            sent_f.append("SQ")
        sentence.append(sent_f)
        for i in range(a, b):
            t = toks[i]
            w = t.lower
            f = feats[i]
            f.append("b")
            f.append(f"w={w}")
            f.append(f"sh={_shape(t.text)}")
            if len(w) > 4:
                f.append(f"p5={w[:5]}")
                f.append(f"s3={w[-3:]}")
            for off in (-3, -2, -1, 1, 2, 3):
                j = i + off
                cw = toks[j].lower if a <= j < b else ("<s>" if j < a else "</s>")
                f.append(f"w{off}={cw}")
                if off in (-1, 1):
                    f.append(f"sh{off}={_shape(toks[j].text) if a <= j < b else '#'}")
            prev = toks[i - 1].lower if i > a else "<s>"
            nxt = toks[i + 1].lower if i + 1 < b else "</s>"
            f.append(f"bg-={prev}|{w}")
            f.append(f"bg+={w}|{nxt}")
            for lx in _lex(w):
                f.append(f"lex={lx}")
            for off in (-2, -1, 1, 2):
                j = i + off
                if a <= j < b:
                    for lx in _lex(toks[j].lower):
                        f.append(f"lex{off}={lx}")
            if t.in_quote:
                f.append("inq")
                f.append(f"inq={w}")
            if prev == "so" and w == "-":
                f.append("so-called")
            if w[:1].isalnum() and w not in _STOP:
                c = doc.counts[w]
                f.append(f"cnt={min(c, 6)}")
            rel = (i - a) * 4 // max(slen, 1)
            f.append(f"pos={rel}")
    return feats, sentence


def span_features(doc: Doc, start: int, end: int) -> list[str]:
    """The features of one span of the article, for the technique classifier."""
    text = doc.text[start:end]
    inside = [t for t in doc.tokens if t.start >= start and t.end <= end]
    words = [t.lower for t in inside] or [w.lower() for w in _TOKEN.findall(text)]
    f = ["b"]
    n = len(words)
    f.append(f"len={n if n < 5 else (5 if n < 8 else (8 if n < 15 else (15 if n < 30 else 30)))}")
    for w in set(words):
        f.append(f"w={w}")
        if len(w) > 4:
            f.append(f"p5={w[:5]}")
        for lx in _lex(w):
            f.append(f"lex={lx}")
    for x, y in pairwise(words):
        f.append(f"bg={x}|{y}")
    if words:
        f.append(f"first={words[0]}")
        f.append(f"last={words[-1]}")
        if n <= 3:
            f.append(f"all={' '.join(words)}")
    shapes = {_shape(t.text) for t in inside}
    for sh in shapes:
        f.append(f"sh={sh}")
    if inside and all(t.in_quote for t in inside if t.text[:1].isalnum()):
        f.append("inq")
    # context: three tokens either side, within the article
    i0 = next((i for i, t in enumerate(doc.tokens) if t.end > start), len(doc.tokens))
    i1 = next((i for i, t in enumerate(doc.tokens) if t.start >= end), len(doc.tokens))
    for k in range(1, 4):
        j = i0 - k
        f.append(f"L{k}={doc.tokens[j].lower if j >= 0 else '<d>'}")
        j = i1 + k - 1
        f.append(f"R{k}={doc.tokens[j].lower if j < len(doc.tokens) else '</d>'}")
    for j in range(max(0, i0 - 8), i0):
        f.append(f"Lc={doc.tokens[j].lower}")
    for j in range(i1, min(len(doc.tokens), i1 + 8)):
        f.append(f"Rc={doc.tokens[j].lower}")
    if i0 < len(doc.tokens) and inside:
        sa, sb = doc.sents[inside[0].sent]
        cover = n / max(sb - sa, 1)
        f.append(f"cover={min(int(cover * 4), 4)}")
        if inside[0].sent == 0:
            f.append("TITLE")
    # repetition: how often the span's text (and its words) occur in the article
    key = text.lower().strip()
    if key:
        c = doc.lower.count(key)
        f.append(f"rep={min(c, 4)}")
        if c > 1 and doc.lower.find(key) < start:
            f.append("rep_earlier")
    content = [w for w in words if w[:1].isalnum() and w not in _STOP]
    if content:
        m = max(doc.counts[w] for w in content)
        f.append(f"wrep={min(m, 5)}")
    if "!" in text:
        f.append("excl")
    if "?" in text:
        f.append("quest")
    return f


_HASHED: dict[int, dict[str, int]] = {}  # dim -> feature -> index, a per-process cache
_HASHED_MAX = 300_000  # features cached per dimension before the cache starts afresh


def hash_features(feats: Sequence[str], dim: int) -> np.ndarray:
    """The hashed index of every feature (CRC-32 modulo ``dim``, a power of two).

    Features repeat heavily across tokens and articles (words, shapes, neighbours), so
    the indices are cached: a dictionary look-up costs a fraction of encoding and
    checksumming the string again."""
    cache = _HASHED.setdefault(dim, {})
    if len(cache) > _HASHED_MAX:
        cache.clear()
    for x in set(feats).difference(cache):
        cache[x] = _hash(x, dim)
    return np.fromiter(map(cache.__getitem__, feats), dtype=np.int64, count=len(feats))
