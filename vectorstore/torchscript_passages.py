"""Passage embeddings from a TorchScript copy of the model: torch without transformers.

Indexing spends most of its fixed cost importing sentence-transformers and
transformers (about 5 s on two cores), not torch itself (under 2 s). The model's
transformer, traced once to TorchScript next to its ONNX export, runs on torch
alone with the same kernels, so passages get the same vectors (checked against
the model when the copy is made) while the import cost is paid only by the
first indexing on a machine.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from vectorstore.onnx_queries import SETTINGS_FILE, TOKENIZER_FILE, load_tokenizer, padded

TORCHSCRIPT_FILE = "model.pt"


def trace(model: Any, path: Path, torch: Any) -> None:
    """Trace a transformers model to ``path``: token ids and mask in, last hidden state out."""

    class LastHiddenState(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            out = self.inner(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=torch.zeros_like(input_ids),
            )
            return out.last_hidden_state

    sample = torch.ones((2, 8), dtype=torch.long)
    # The tracer warns about shapes it treats as constants; the copy is checked against the
    # model on batches of other shapes instead, and the warnings are not for users.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        traced = torch.jit.trace(LastHiddenState(model).eval(), (sample, sample), check_trace=False)
        torch.jit.save(torch.jit.freeze(traced.eval()), str(path))


class TorchScriptPassageEncoder:
    """Mean-pooled, normalised vectors from a traced model folder; loads lazily, once."""

    def __init__(self, folder: Path, batch_size: int = 32) -> None:
        self.folder = Path(folder)
        self.batch_size = batch_size
        self._model: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    @staticmethod
    def available(folder: Path) -> bool:
        return all((folder / name).is_file() for name in (TORCHSCRIPT_FILE, TOKENIZER_FILE, SETTINGS_FILE))

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._model is None:
                import torch

                tokenizer = load_tokenizer(self.folder)
                with warnings.catch_warnings():  # TorchScript is deprecated upstream, and still the lightest
                    warnings.simplefilter("ignore", DeprecationWarning)
                    self._model = torch.jit.load(str(self.folder / TORCHSCRIPT_FILE), map_location="cpu")
                self._tokenizer = tokenizer
            return self._model, self._tokenizer

    def encode(self, texts: Sequence[str]) -> list[list[float]]:
        """Vectors in the order of ``texts``; batches are made of texts of similar length,
        as sentence-transformers does, so little padding is computed."""
        model, tokenizer = self._load()
        encodings = tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        vectors: list[list[float]] = [[] for _ in texts]
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            for index, vector in zip(batch, self._run(model, [encodings[i] for i in batch]), strict=True):
                vectors[index] = vector
        return vectors

    @staticmethod
    def _run(model: Any, encodings: Sequence[Any]) -> list[list[float]]:
        import torch

        ids_rows, mask_rows = padded(encodings)
        ids, mask = torch.tensor(ids_rows, dtype=torch.long), torch.tensor(mask_rows, dtype=torch.long)
        with torch.inference_mode():
            hidden = model(ids, mask)
            weights = mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-9)
            normalised = torch.nn.functional.normalize(pooled, p=2, dim=1)
        return normalised.tolist()
