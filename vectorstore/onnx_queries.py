"""Query embeddings without torch: the same model, exported once to ONNX, run by onnxruntime.

Importing sentence-transformers (torch, transformers) takes most of a cold ``ask``;
embedding one question does not need them. The first indexing on a machine (the model
is loaded then anyway) exports its transformer to ONNX, with its tokenizer, into a
cache folder; from then on a process that only asks loads onnxruntime and the tokenizer
(about half a second) instead. The same export makes the TorchScript copy passages are
embedded with (``vectorstore.torchscript_passages``). The export is kept only if it
gives the same vectors as the model (checked on sample sentences), and only for
mean-pooled, normalised models, so the results cannot differ; anything else keeps
using sentence-transformers.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
SETTINGS_FILE = "encodeur.json"
NO_TORCHSCRIPT_FILE = "sans-torchscript.txt"  # the traced copy did not match: do not retry
TOLERANCE = 1e-4  # largest difference allowed between an exported and the model's vector
_CHECK_SENTENCES = (
    "Quel est le taux de satisfaction des participants ?",
    "query: Les territoires attendaient des outils de coopération.",
    "Journée 3 — mobilité douce, alimentation et tiers-lieux en milieu rural.",
)


def exportable(location: Path) -> bool:
    """Whether the model folder is a transformer, mean pooling and normalisation, with a
    fast tokenizer: what ``OnnxQueryEncoder`` reproduces exactly."""
    try:
        modules = [m["type"].rsplit(".", 1)[-1] for m in json.loads((location / "modules.json").read_text())]
        pooling = json.loads((location / "1_Pooling" / "config.json").read_text())
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return (
        modules == ["Transformer", "Pooling", "Normalize"]
        and pooling.get("pooling_mode_mean_tokens") is True
        and not any(
            v
            for k, v in pooling.items()
            if k.startswith("pooling_mode_") and k.endswith("tokens") and k != "pooling_mode_mean_tokens"
        )
        and (location / TOKENIZER_FILE).is_file()
    )


def export(location: Path, max_length: int, target: Path, reference: Any) -> bool:
    """Export the transformer in ``location`` to ``target``: ONNX for questions, TorchScript
    for passages (``vectorstore.torchscript_passages``), written aside and renamed into
    place. ``reference(texts)`` gives the model's own vectors: the ONNX copy is kept only if
    it matches them, and so is the TorchScript one (else passages keep using the model).
    Needs torch and the ``onnx`` package (present when indexing)."""
    import torch
    from transformers import AutoModel

    from vectorstore.torchscript_passages import TORCHSCRIPT_FILE, TorchScriptPassageEncoder, trace

    staging = target.with_name(f"{target.name}.partiel-{os.getpid()}")  # one per process
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        model = AutoModel.from_pretrained(str(location)).eval()
        _export_graph(model, staging / MODEL_FILE, torch)
        shutil.copyfile(location / TOKENIZER_FILE, staging / TOKENIZER_FILE)
        (staging / SETTINGS_FILE).write_text(json.dumps({"max_length": max_length}))
        expected = reference(list(_CHECK_SENTENCES))
        if not _matches(OnnxQueryEncoder(staging).encode(list(_CHECK_SENTENCES)), expected):
            return False
        trace(model, staging / TORCHSCRIPT_FILE, torch)
        if not _matches(TorchScriptPassageEncoder(staging).encode(list(_CHECK_SENTENCES)), expected):
            (staging / TORCHSCRIPT_FILE).unlink()
            (staging / NO_TORCHSCRIPT_FILE).write_text("copie TorchScript écartée : vecteurs différents\n")
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
        return True
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _matches(vectors: Sequence[Sequence[float]], expected: Sequence[Sequence[float]]) -> bool:
    import numpy as np

    return float(np.abs(np.asarray(vectors) - np.asarray(expected)).max()) <= TOLERANCE


def _export_graph(model: Any, path: Path, torch: Any) -> None:
    class LastHiddenState(torch.nn.Module):  # a plain signature for the tracer
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    names = ["input_ids", "attention_mask", "token_type_ids"]
    sample = torch.ones((1, 8), dtype=torch.long)
    axes = {name: {0: "lot", 1: "jetons"} for name in [*names, "last_hidden_state"]}
    # The tracer warns about shapes it treats as constants; the export is checked against
    # the model on texts of other lengths instead, and the warnings are not for users.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            LastHiddenState(model), (sample, sample, torch.zeros_like(sample)), str(path),
            input_names=names, output_names=["last_hidden_state"], dynamic_axes=axes,
            opset_version=17, dynamo=False,
        )  # fmt: skip


def load_tokenizer(folder: Path) -> Any:
    """The exported model's tokenizer, truncating where the model stops reading. Padding is
    left to ``padded`` (the file pads to a fixed length: four times the work)."""
    from tokenizers import Tokenizer

    settings = json.loads((folder / SETTINGS_FILE).read_text())
    tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
    tokenizer.no_padding()
    tokenizer.enable_truncation(int(settings["max_length"]))
    return tokenizer


def padded(encodings: Sequence[Any]) -> tuple[list[list[int]], list[list[int]]]:
    """Token ids and attention masks of a batch, padded with zeros to its longest text."""
    width = max(len(e.ids) for e in encodings)
    ids = [e.ids + [0] * (width - len(e.ids)) for e in encodings]
    mask = [e.attention_mask + [0] * (width - len(e.ids)) for e in encodings]
    return ids, mask


class OnnxQueryEncoder:
    """Mean-pooled, normalised vectors from an exported model folder; loads lazily, once."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    @staticmethod
    def available(folder: Path) -> bool:
        return all((folder / name).is_file() for name in (MODEL_FILE, TOKENIZER_FILE, SETTINGS_FILE))

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._session is None:
                import onnxruntime

                tokenizer = load_tokenizer(self.folder)
                options = onnxruntime.SessionOptions()
                options.intra_op_num_threads = 1  # questions come one at a time, or in parallel
                options.log_severity_level = 3
                self._session = onnxruntime.InferenceSession(
                    str(self.folder / MODEL_FILE), options, providers=["CPUExecutionProvider"]
                )
                self._tokenizer = tokenizer
            return self._session, self._tokenizer

    def encode(self, texts: Sequence[str]) -> list[list[float]]:
        import numpy as np

        session, tokenizer = self._load()
        ids_rows, mask_rows = padded(tokenizer.encode_batch(list(texts)))
        ids, mask = np.array(ids_rows, dtype=np.int64), np.array(mask_rows, dtype=np.int64)
        hidden = session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )[0]
        summed = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        vectors = summed / np.maximum(np.linalg.norm(summed, axis=1, keepdims=True), 1e-12)
        return vectors.tolist()
