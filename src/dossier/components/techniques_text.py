"""Text side of the techniques model: tokens, sentences and the sparse features.

Tokenisation and sentence splitting (offsets are characters into the text as given), the
cue lexicons (our own word lists), and the hashed binary features of tokens (for the span
tagger) and of spans (for the technique classifier). Pure functions, no model weights.
"""

from __future__ import annotations

import re
import zlib
from bisect import bisect_left, bisect_right
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
    for a, b in doc.sents:
        slen = b - a
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
    return feats, sentence_features(doc)


def sentence_features(doc: Doc) -> list[list[str]]:
    """The span tagger's features of each sentence (shared by all its tokens)."""
    toks = doc.tokens
    sentence: list[list[str]] = []
    for si, (a, b) in enumerate(doc.sents):
        words = [t.lower for t in toks[a:b]]
        content = sorted({w for w in words if w[:1].isalnum() and w not in _STOP})
        sent_f = [f"S={w}" for w in content]
        sent_f.append(f"SL={min((b - a) // 5, 10)}")
        if "!" in words:
            sent_f.append("S!")
        if "?" in words:
            sent_f.append("S?")
        if si == 0:
            sent_f.append("TITLE")
        if any(t.in_quote for t in toks[a:b]):
            sent_f.append("SQ")
        sentence.append(sent_f)
    return sentence


class OwnFeatureSums:
    """``sums(doc)``: for every token, the sum of the span tagger's ``weights`` over its own
    features. The same as summing ``weights[hash_features(f, dim)]`` over
    ``token_feature_parts(doc)[0]``, but instead of building some 25 feature strings per
    token it looks up, per distinct word, a row of the weights of the features that depend
    on that word alone (kept across articles: words repeat), and gathers with NumPy. What
    the runtime uses; training keeps the strings (``token_features``)."""

    OFFSETS = (-3, -2, -1, 1, 2, 3)
    LEX_OFFSETS = (0, -2, -1, 1, 2)
    CACHED = 200_000  # words whose rows are kept before the cache starts afresh

    def __init__(self, weights: np.ndarray, dim: int) -> None:
        self.weights = weights
        self.dim = dim
        self._rows: dict[str, np.ndarray] = {}
        self._shapes: dict[str, np.ndarray] = {}
        one = self._one
        self.bias = one("b")
        self.bounds = {off: (one(f"w{off}=<s>"), one(f"w{off}=</s>")) for off in self.OFFSETS}
        self.no_shape = {off: one(f"sh{off}=#") for off in (-1, 1)}
        self.inq = one("inq")
        self.so_called = one("so-called")
        self.cnt = self._table([f"cnt={k}" for k in range(7)])
        self.pos = self._table([f"pos={k}" for k in range(5)])

    def _table(self, feats: list[str]) -> np.ndarray:
        out: np.ndarray = self.weights[hash_features(feats, self.dim)].astype(np.float32)
        return out

    def _one(self, feat: str) -> np.float32:
        return np.float32(self._table([feat])[0])

    def _word_rows(self, words: list[str]) -> np.ndarray:
        """(len(words), 10 + 5): the weights of w=, p5=, s3=, w±k=, inq= and the lexicon
        sums at offsets 0, -2, -1, 1, 2 (0 where a feature does not apply)."""
        rows = self._rows
        missing = [u for u in words if u not in rows]
        if missing:
            if len(rows) + len(missing) > self.CACHED:
                rows.clear()
            cells = [self._word_cells(u) for u in missing]  # per word: features per column
            flat = [f for row in cells for cell in row for f in cell]
            weight = dict(zip(flat, self._table(flat).tolist(), strict=True))
            for u, row in zip(missing, cells, strict=True):
                rows[u] = np.array([sum(weight[f] for f in cell) for cell in row], np.float32)
        return np.stack([rows[u] for u in words])

    def _word_cells(self, u: str) -> list[list[str]]:
        """The features of the columns of :meth:`_word_rows` for the word ``u``."""
        longer = len(u) > 4
        cells = [[f"w={u}"], [f"p5={u[:5]}"] if longer else [], [f"s3={u[-3:]}"] if longer else []]
        cells += [[f"w{off}={u}"] for off in self.OFFSETS]
        cells.append([f"inq={u}"])
        lex = _lex(u)
        cells += [[f"{'lex' if o == 0 else f'lex{o}'}={x}" for x in lex] for o in self.LEX_OFFSETS]
        return cells

    def _shape_rows(self, texts: list[str]) -> np.ndarray:
        """(len(texts), 3): the weights of sh=, sh-1= and sh1= of each token text's shape."""
        rows = self._shapes
        for t in texts:
            if t not in rows:
                if len(rows) > self.CACHED:
                    rows.clear()
                h = _shape(t)
                rows[t] = self._table([f"sh={h}", f"sh-1={h}", f"sh1={h}"])
        return np.stack([rows[t] for t in texts])

    def sums(self, doc: Doc) -> np.ndarray:
        toks = doc.tokens
        n = len(toks)
        if not n:
            return np.zeros(0, np.float32)
        vocab: dict[str, int] = {}
        wid = np.fromiter((vocab.setdefault(t.lower, len(vocab)) for t in toks), np.int64, n)
        words = list(vocab)
        word = self._word_rows(words)
        texts: dict[str, int] = {}
        tid = np.fromiter((texts.setdefault(t.text, len(texts)) for t in toks), np.int64, n)
        shape = self._shape_rows(list(texts))
        sa = np.empty(n, np.int64)
        slen = np.empty(n, np.int64)
        for a, b in doc.sents:
            sa[a:b] = a
            slen[a:b] = b - a
        pos = np.arange(n)
        rel = pos - sa  # position in the sentence
        zero = np.float32(0)

        def neighbour(off: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            """Index of the neighbour at ``off``; whether it lies before / after the sentence."""
            return np.clip(pos + off, 0, n - 1), rel + off < 0, rel + off >= slen

        z = np.full(n, self.bias, np.float32)
        z += word[wid, 0] + word[wid, 1] + word[wid, 2] + shape[tid, 0]
        near = {off: neighbour(off) for off in self.OFFSETS}  # the lexicon offsets are among them
        for k, off in enumerate(self.OFFSETS):
            j, before, after = near[off]
            lo, hi = self.bounds[off]
            z += np.where(before, lo, np.where(after, hi, word[wid[j], 3 + k]))
            if off in (-1, 1):
                z += np.where(
                    before | after, self.no_shape[off], shape[tid[j], 1 if off < 0 else 2]
                )
        for k, off in enumerate(self.LEX_OFFSETS):
            if off == 0:
                z += word[wid, 10]
            else:
                j, before, after = near[off]
                z += np.where(before | after, zero, word[wid[j], 10 + k])
        quoted = np.fromiter((t.in_quote for t in toks), bool, n)
        z += np.where(quoted, self.inq + word[wid, 9], zero)
        lowers = [t.lower for t in toks]
        first = (rel == 0).tolist()
        last = (rel + 1 >= slen).tolist()
        prev = ["<s>" if f else lowers[i - 1] for i, f in enumerate(first)]
        nxt = ["</s>" if e else lowers[i + 1] for i, e in enumerate(last)]
        z += self._table([f"bg-={p}|{w}" for p, w in zip(prev, lowers, strict=True)])
        z += self._table([f"bg+={w}|{x}" for w, x in zip(lowers, nxt, strict=True)])
        so_called = np.fromiter(
            (p == "so" and w == "-" for p, w in zip(prev, lowers, strict=True)), bool, n
        )
        z += np.where(so_called, self.so_called, zero)
        counted = np.array([u[:1].isalnum() and u not in _STOP for u in words])
        count = np.array([min(doc.counts[u], 6) for u in words])
        z += np.where(counted, self.cnt[count], zero)[wid]
        z += self.pos[rel * 4 // np.maximum(slen, 1)]
        return z


def _start(t: Token) -> int:
    return t.start


def _end(t: Token) -> int:
    return t.end


def span_token_range(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token indices [i0, i1) of the tokens inside ``[start, end)`` (found by bisection:
    the tokens are in order and do not overlap, so starts and ends both increase)."""
    toks = doc.tokens
    i0 = bisect_left(toks, start, key=_start)
    return i0, max(i0, bisect_right(toks, end, key=_end))


def span_features(doc: Doc, start: int, end: int) -> list[str]:
    """The features of one span of the article, for the technique classifier."""
    text = doc.text[start:end]
    toks = doc.tokens
    inside = toks[slice(*span_token_range(doc, start, end))]
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
    i0 = bisect_right(toks, start, key=_end)  # the first token ending after start
    i1 = bisect_left(toks, end, key=_start)  # the first token starting at or after end
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
