"""Score dossier's actor extraction against our gold annotations of the example articles.

Usage::

    .venv/bin/python bench/actors_eval.py [--examples DIR] [--gold FILE] [--top 15]

``examples/`` is ingested into a fresh temporary database with the library and analysed;
each gold entry of ``tests/gold/actors.yaml`` is mapped to its stored article (plain files
by source origin, records by the record's title within that record file's sources).

Figures:

* mention precision / recall / F1: per article, the set of distinct predicted surface strings
  (the stored mention ``text``) against the set of gold mention strings, both stripped and with
  a trailing possessive 's / ’s removed, compared case-sensitively. Micro-averaged over the
  articles, and per kind (a predicted string counts under its predicted kind, a gold string
  under its gold kind; matching is on the string alone). A kind-strict and a relaxed
  (leading "the "/"The " dropped on both sides) variant are printed beside it;
* resolution accuracy: a gold actor with at least one matched string is right when all its
  matched strings map to one predicted actor and no other gold actor of the article maps
  there; also across articles (gold actors grouped by canonical name);
* country accuracy: of matched gold actors with gold countries, the share whose predicted
  actor (the one most of its matched strings map to) has all of them;
* the most frequent false negatives and false positives, each tagged with a likely cause.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from dossier import Catalog
from dossier.model import Article

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EXAMPLES = ROOT / "examples"
DEFAULT_GOLD = ROOT / "tests/gold/actors.yaml"
KINDS = ("person", "group", "institution", "country", "place")
_POSSESSIVE = re.compile(r"(?:'|’)s$")
_DETERMINER = re.compile(r"^(?:the|The) ")


def norm(text: str) -> str:
    """Stripped, trailing possessive removed: "Vučić’s" -> "Vučić" (case kept)."""
    return _POSSESSIVE.sub("", text.strip()).strip()


def relaxed(text: str) -> str:
    return _DETERMINER.sub("", text)


# -- gold ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldActor:
    name: str
    kind: str
    countries: tuple[str, ...]
    mentions: tuple[str, ...]  # normalised, distinct


@dataclass(frozen=True)
class GoldFile:
    file: str
    actors: tuple[GoldActor, ...]


def load_gold(path: Path) -> list[GoldFile]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    files = []
    for entry in raw:
        actors = []
        for actor in entry.get("actors") or []:
            mentions = tuple(dict.fromkeys(norm(str(m)) for m in actor.get("mentions") or []))
            actors.append(
                GoldActor(
                    name=str(actor["name"]),
                    kind=str(actor["kind"]),
                    countries=tuple(str(c) for c in actor.get("countries") or []),
                    mentions=tuple(m for m in mentions if m),
                )
            )
        files.append(GoldFile(str(entry["file"]), tuple(actors)))
    return files


# -- mapping gold files to stored articles ------------------------------------------------


def record_title(examples: Path, file: str) -> tuple[str, str]:
    """(record file path relative to examples/, title) of a "records/x.ext#key" gold entry."""
    relative, key = file.split("#", 1)
    path = examples / relative
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".csv":
        rows = list(csv.DictReader(text.splitlines(keepends=True)))
        return relative, str(rows[int(key) - 1]["title"])
    if path.suffix == ".jsonl":
        records = [json.loads(line) for line in text.splitlines() if line.strip()]
    else:
        records = json.loads(text)
    for record in records:
        if str(record.get("id")) == key:
            return relative, str(record["title"])
    raise LookupError(f"no record with id {key!r} in {path}")


def map_gold(examples: Path, gold: list[GoldFile], articles: list[Article]) -> dict[str, Article]:
    """Gold file -> stored article (files that cannot be mapped are left out, with a note)."""
    prefix = str(examples) + "/"
    by_origin: dict[str, Article] = {}
    for article in articles:
        for source in article.sources:
            by_origin[source.origin.removeprefix(prefix)] = article
    found: dict[str, Article] = {}
    for entry in gold:
        if "#" not in entry.file:
            article = by_origin.get(entry.file)
        else:
            relative, title = record_title(examples, entry.file)
            article = next(
                (
                    a
                    for a in articles
                    for s in a.sources
                    if s.origin.removeprefix(prefix).startswith(relative)
                    and s.title.strip() == title.strip()
                ),
                None,
            )
            if article is None:
                article = next((a for a in articles if a.title.strip() == title.strip()), None)
        if article is None:
            print(f"note: gold file {entry.file} has no stored article; skipped")
        else:
            found[entry.file] = article
    return found


# -- per-article comparison -----------------------------------------------------------------


@dataclass
class Predicted:
    kinds: set[str] = field(default_factory=set)
    actor_ids: Counter[int] = field(default_factory=Counter)  # actor id -> mentions


@dataclass
class ArticleEval:
    file: str
    article: Article
    gold: GoldFile
    predicted: dict[str, Predicted]
    gold_kinds: dict[str, set[str]]  # gold string -> gold kinds
    gold_names: dict[str, set[str]]  # gold string -> canonical names of its gold actors
    actors: dict[int, tuple[str, str]]  # predicted actor id -> (name, kind)

    @property
    def tp(self) -> set[str]:
        return set(self.predicted) & set(self.gold_kinds)

    @property
    def fn(self) -> set[str]:
        return set(self.gold_kinds) - set(self.predicted)

    @property
    def fp(self) -> set[str]:
        return set(self.predicted) - set(self.gold_kinds)


def evaluate_article(
    file: str, article: Article, gold: GoldFile, mentions: Iterable[Any]
) -> ArticleEval:
    predicted: dict[str, Predicted] = defaultdict(Predicted)
    actors: dict[int, tuple[str, str]] = {}
    for mention in mentions:
        text = norm(str(mention["text"]))
        if text:
            predicted[text].kinds.add(str(mention["kind"]))
            predicted[text].actor_ids[int(mention["actor_id"])] += 1
            actors[int(mention["actor_id"])] = (str(mention["name"]), str(mention["kind"]))
    gold_kinds: dict[str, set[str]] = defaultdict(set)
    gold_names: dict[str, set[str]] = defaultdict(set)
    for actor in gold.actors:
        for text in actor.mentions:
            gold_kinds[text].add(actor.kind)
            gold_names[text].add(actor.name)
    return ArticleEval(
        file, article, gold, dict(predicted), dict(gold_kinds), dict(gold_names), actors
    )


@dataclass
class Counts:
    pred: int = 0
    gold: int = 0
    tp_pred: int = 0  # predicted items matched
    tp_gold: int = 0  # gold items matched

    def add(self, other: Counts) -> None:
        self.pred += other.pred
        self.gold += other.gold
        self.tp_pred += other.tp_pred
        self.tp_gold += other.tp_gold

    def scores(self) -> tuple[float, float, float]:
        p = self.tp_pred / self.pred if self.pred else 0.0
        r = self.tp_gold / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def string_counts(pred: Iterable[str], gold: Iterable[str]) -> Counts:
    p, g = set(pred), set(gold)
    both = len(p & g)
    return Counts(len(p), len(g), both, both)


def kind_counts(ev: ArticleEval) -> dict[str, Counts]:
    out: dict[str, Counts] = {k: Counts() for k in KINDS}
    for text, item in ev.predicted.items():
        for kind in item.kinds:
            counts = out.setdefault(kind, Counts())
            counts.pred += 1
            counts.tp_pred += text in ev.gold_kinds
    for text, kinds in ev.gold_kinds.items():
        for kind in kinds:
            counts = out.setdefault(kind, Counts())
            counts.gold += 1
            counts.tp_gold += text in ev.predicted
    return out


def strict_kind_counts(ev: ArticleEval) -> Counts:
    pred = {(t, k) for t, item in ev.predicted.items() for k in item.kinds}
    gold = {(t, k) for t, kinds in ev.gold_kinds.items() for k in kinds}
    return string_counts(pred, gold)  # type: ignore[arg-type]


# -- resolution -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Resolution:
    file: str
    actor: GoldActor
    matched: tuple[str, ...]
    actor_ids: Counter[int]  # predicted actor id -> mentions, over the matched strings
    ok_single: bool
    ok_exclusive: bool

    @property
    def ok(self) -> bool:
        return self.ok_single and self.ok_exclusive

    @property
    def main_id(self) -> int:
        return self.actor_ids.most_common(1)[0][0]


def resolutions(ev: ArticleEval) -> list[Resolution]:
    ids_of: list[tuple[GoldActor, tuple[str, ...], Counter[int]]] = []
    for actor in ev.gold.actors:
        matched = tuple(m for m in actor.mentions if m in ev.predicted)
        ids: Counter[int] = Counter()
        for text in matched:
            ids.update(ev.predicted[text].actor_ids)
        if matched:
            ids_of.append((actor, matched, ids))
    out = []
    for index, (actor, matched, ids) in enumerate(ids_of):
        others = {i for j, (_, _, o) in enumerate(ids_of) if j != index for i in o}
        single = len(ids) == 1
        exclusive = single and next(iter(ids)) not in others
        out.append(Resolution(ev.file, actor, matched, ids, single, exclusive))
    return out


CrossFailure = tuple[tuple[str, str], int, list[int], list[str]]


def cross_article(results: list[Resolution]) -> tuple[int, int, list[CrossFailure]]:
    """Gold actors (by name+kind) matched in ≥2 articles: (right, total, failures)."""
    groups: dict[tuple[str, str], list[Resolution]] = defaultdict(list)
    for res in results:
        groups[(res.actor.name, res.actor.kind)].append(res)
    users: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for key, items in groups.items():
        for res in items:
            for actor_id in res.actor_ids:
                users[actor_id].add(key)
    right = total = 0
    failures = []
    for key, items in sorted(groups.items()):
        if len({r.file for r in items}) < 2:
            continue
        total += 1
        ids = {i for r in items for i in r.actor_ids}
        if len(ids) == 1 and users[next(iter(ids))] == {key}:
            right += 1
        else:
            shared = sorted({n for i in ids for n, _ in users[i]} - {key[0]})
            failures.append((key, len(items), sorted(ids), shared))
    return right, total, failures


# -- error patterns -------------------------------------------------------------------------


def within(part: str, whole: str) -> bool:
    """``part`` occurs in ``whole`` as whole words ("Serbia" is not within "Serbian")."""
    return part != whole and re.search(rf"(?<!\w){re.escape(part)}(?!\w)", whole) is not None


def closest(text: str, others: Iterable[str]) -> str | None:
    """The unmatched string of the other side sharing whole words with ``text``, longest first."""
    found = sorted((o for o in others if within(o, text) or within(text, o)), key=len)
    return found[-1] if found else None


def fn_cause(text: str, ev: ArticleEval) -> str:
    """Why a gold string was not predicted (the first rule that applies)."""
    if text not in ev.article.text:
        return "title only" if text in ev.article.title else "not in stored text"
    unmatched = ev.fp
    if relaxed(text) in {relaxed(p) for p in unmatched}:
        return "determiner"
    other = closest(text, unmatched)
    if other is not None:
        side = "pred shorter" if within(other, text) else "pred longer"
        return f"boundary: {side} ({other!r})"
    if "country" in ev.gold_kinds[text] and text not in ev.gold_names[text] and text[:1].isupper():
        return "demonym/short country"
    if text.isupper() and len(text) > 4:
        return "all-caps dateline"
    if text[:1].islower() or text.startswith("The "):
        return "description/role phrase"
    return "missed name"


def fp_cause(text: str, ev: ArticleEval) -> str:
    """Why a predicted string is not gold (the first rule that applies)."""
    unmatched = ev.fn
    if relaxed(text) in {relaxed(g) for g in unmatched}:
        return "determiner"
    other = closest(text, unmatched)
    if other is not None:
        side = "pred shorter" if within(text, other) else "pred longer"
        return f"boundary: {side} ({other!r})"
    if closest(text, ev.tp) is not None:
        return f"fragment/extension of a matched string ({closest(text, ev.tp)!r})"
    return "spurious (not a gold actor)"


def top_errors(
    evals: list[ArticleEval], top: int
) -> tuple[
    list[tuple[tuple[str, str], int, str]],
    list[tuple[tuple[str, str], int, str]],
    Counter[str],
    Counter[str],
]:
    fn: Counter[tuple[str, str]] = Counter()
    fp: Counter[tuple[str, str]] = Counter()
    fn_why: dict[tuple[str, str], str] = {}
    fp_why: dict[tuple[str, str], str] = {}
    fn_patterns: Counter[str] = Counter()
    fp_patterns: Counter[str] = Counter()
    for ev in evals:
        for text, kinds in ev.gold_kinds.items():
            if text not in ev.predicted:
                cause = fn_cause(text, ev)
                fn_patterns[cause.split(" (")[0]] += 1
                for kind in kinds:
                    fn[(text, kind)] += 1
                    fn_why.setdefault((text, kind), cause)
        for text, item in ev.predicted.items():
            if text not in ev.gold_kinds:
                cause = fp_cause(text, ev)
                fp_patterns[cause.split(" (")[0]] += 1
                for kind in item.kinds:
                    fp[(text, kind)] += 1
                    fp_why.setdefault((text, kind), cause)

    def ranked(
        counter: Counter[tuple[str, str]], why: dict[tuple[str, str], str]
    ) -> list[tuple[tuple[str, str], int, str]]:
        items = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0][1], kv[0][0]))
        return [(key, n, why[key]) for key, n in items[:top]]

    return ranked(fn, fn_why), ranked(fp, fp_why), fn_patterns, fp_patterns


# -- report ---------------------------------------------------------------------------------


def fmt(counts: Counts) -> str:
    p, r, f = counts.scores()
    return (
        f"P {p:.3f}  R {r:.3f}  F1 {f:.3f}"
        f"   (pred {counts.pred}, gold {counts.gold}, matched {counts.tp_gold})"
    )


def report(catalog: Catalog, evals: list[ArticleEval], top: int) -> None:
    total, strict, loose = Counts(), Counts(), Counts()
    per_kind: dict[str, Counts] = {k: Counts() for k in KINDS}
    confusion: Counter[tuple[str, str]] = Counter()
    print(f"{'gold file':<48} {'gold':>4} {'pred':>4} {'match':>5}   P      R")
    for ev in evals:
        counts = string_counts(ev.predicted, ev.gold_kinds)
        total.add(counts)
        strict.add(strict_kind_counts(ev))
        loose.add(string_counts(map(relaxed, ev.predicted), map(relaxed, ev.gold_kinds)))
        for kind, c in kind_counts(ev).items():
            per_kind.setdefault(kind, Counts()).add(c)
        for text in ev.tp:
            for gold_kind in ev.gold_kinds[text]:
                for pred_kind in ev.predicted[text].kinds:
                    confusion[(gold_kind, pred_kind)] += 1
        p, r, _ = counts.scores()
        print(
            f"{ev.file:<48} {counts.gold:>4} {counts.pred:>4} {counts.tp_gold:>5}"
            f"   {p:.2f}   {r:.2f}"
        )

    print("\nmention strings (distinct per article), micro over", len(evals), "articles")
    print(f"  all          {fmt(total)}")
    for kind, counts in per_kind.items():
        print(f"  {kind:<12} {fmt(counts)}")
    print(f"  kind-strict  {fmt(strict)}")
    print(f"  no-'the'     {fmt(loose)}")

    kinds = sorted({k for pair in confusion for k in pair}, key=lambda k: (k not in KINDS, k))
    print("\nkind of matched strings (rows gold, columns predicted):")
    print("  " + " " * 12 + "".join(f"{k[:11]:>12}" for k in kinds))
    for gold_kind in kinds:
        row = "".join(f"{confusion[(gold_kind, k)]:>12}" for k in kinds)
        print(f"  {gold_kind:<12}{row}")
    agree = sum(n for (g, p), n in confusion.items() if g == p)
    print(f"  kind agreement on matched strings: {agree}/{sum(confusion.values())}")

    results = [res for ev in evals for res in resolutions(ev)]
    names = {i: a for ev in evals for i, a in ev.actors.items()}

    def show(ids: Iterable[int]) -> str:
        return ", ".join(f"#{i} {names[i][0]!r}/{names[i][1]}" for i in ids)

    single = sum(r.ok_single for r in results)
    right = sum(r.ok for r in results)
    n = len(results)
    gold_actors = sum(len(ev.gold.actors) for ev in evals)
    print(f"\nresolution ({n} of {gold_actors} gold actors have a matched string)")
    print(
        f"  accuracy {right / n if n else 0:.3f} ({right}/{n});"
        f" all matched strings on one predicted actor: {single}/{n}"
    )
    for res in [r for r in results if not r.ok][:top]:
        why = "split" if not res.ok_single else "shares its predicted actor"
        print(
            f"    {res.file}: {res.actor.name} ({res.actor.kind}) {why}:"
            f" {show(res.actor_ids)} via {list(res.matched)}"
        )
    x_right, x_total, x_failures = cross_article(results)
    print(f"  across articles (gold actors matched in >=2 articles): {x_right}/{x_total}")
    for (name, kind), articles, ids, shared in x_failures[:top]:
        also = f", shared with {', '.join(shared)}" if shared else ""
        print(f"    {name} ({kind}, {articles} articles): {show(ids)}{also}")

    countries: dict[int, tuple[str, ...]] = {}
    with_countries = [r for r in results if r.actor.countries]
    country_right = 0
    misses = []
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    for res in with_countries:
        actor_id = res.main_id
        if actor_id not in countries:
            countries[actor_id] = tuple(catalog.actor(f"#{actor_id}").actor.countries)
        outcome = (
            "right"
            if set(res.actor.countries) <= set(countries[actor_id])
            else "none predicted"
            if not countries[actor_id]
            else "wrong/incomplete"
        )
        by_kind[res.actor.kind][outcome] += 1
        if outcome == "right":
            country_right += 1
        else:
            misses.append(
                f"{res.file}: {res.actor.name} ({res.actor.kind}) gold {list(res.actor.countries)}"
                f" predicted {list(countries[actor_id])}"
            )
    m = len(with_countries)
    print(f"\ncountry accuracy: {country_right / m if m else 0:.3f} ({country_right}/{m})")
    for kind in KINDS:
        outcomes = by_kind.get(kind, Counter())
        if outcomes:
            print(
                f"  {kind:<12} right {outcomes['right']}/{outcomes.total()}, none predicted"
                f" {outcomes['none predicted']}, wrong/incomplete {outcomes['wrong/incomplete']}"
            )
    for miss in sorted(misses, key=lambda m: "predicted []" in m)[:top]:
        print(f"    {miss}")

    fns, fps, fn_patterns, fp_patterns = top_errors(evals, top)
    print(f"\ntop {top} false negatives (string, gold kind, articles, likely cause):")
    for (text, kind), count, cause in fns:
        print(f"  {count:>2}  {text!r:<48} {kind:<12} {cause}")
    print(f"\ntop {top} false positives (string, predicted kind, articles, likely cause):")
    for (text, kind), count, cause in fps:
        print(f"  {count:>2}  {text!r:<48} {kind:<12} {cause}")
    print("\nerror patterns (distinct strings per article):")
    print("  false negatives: " + ", ".join(f"{k} {n}" for k, n in fn_patterns.most_common()))
    print("  false positives: " + ", ".join(f"{k} {n}" for k, n in fp_patterns.most_common()))


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--examples", default=str(DEFAULT_EXAMPLES), help="examples folder")
    parser.add_argument("--gold", default=str(DEFAULT_GOLD), help="gold annotations (YAML)")
    parser.add_argument("--top", type=int, default=15, help="errors listed (default 15)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    examples, gold_path = Path(args.examples), Path(args.gold)
    if not examples.is_dir() or not gold_path.is_file():
        print(f"examples ({examples}) or gold file ({gold_path}) not found; nothing to evaluate")
        return 0
    gold = load_gold(gold_path)
    with (
        tempfile.TemporaryDirectory(prefix="dossier-actors-eval-") as tmp,
        Catalog.open(Path(tmp) / "eval.db") as catalog,
    ):
        catalog.ingest([str(examples)])
        catalog.analyze()
        articles = list(catalog.articles())
        mapped = map_gold(examples, gold, articles)
        evals: list[ArticleEval] = []
        seen: dict[str, GoldFile] = {}
        for entry in gold:
            article = mapped.get(entry.file)
            if article is None:
                continue
            if article.id in seen:
                same = seen[article.id].actors == entry.actors
                print(
                    f"note: {entry.file} is the same stored article as {seen[article.id].file}"
                    f" (gold {'identical' if same else 'differs'}); scored once"
                )
                continue
            seen[article.id] = entry
            mentions = catalog.article_mentions(article.id)
            evals.append(evaluate_article(entry.file, article, entry, mentions))
        absent = [
            (ev.file, text)
            for ev in evals
            for text in ev.gold_kinds
            if text not in ev.article.text and text not in ev.article.title
        ]
        if absent:
            print(f"note: {len(absent)} gold strings occur in neither title nor stored text:")
            for file, text in absent:
                print(f"    {file}: {text!r}")
        print()
        report(catalog, evals, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
