"""Exported copies of the real bundled model give the model's vectors: ONNX for torch-free
questions, TorchScript for passages embedded without sentence-transformers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import ROOT
from vectorstore import SentenceTransformerEmbeddings
from vectorstore.embeddings import resolve_model_location
from vectorstore.onnx_queries import OnnxQueryEncoder, exportable
from vectorstore.torchscript_passages import TorchScriptPassageEncoder

QUESTIONS = [
    "Quel est le taux de satisfaction des participants ?",
    "mot",
    "Qu'attendait la communauté de communes du Val-d'Orbelune de la journée 2 ?",
    "Une question bien trop longue qui se répète. " * 60,  # past the 256 tokens the model reads
]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, embeddings: SentenceTransformerEmbeddings) -> Path:
    cache = tmp_path_factory.mktemp("exports")
    fast = SentenceTransformerEmbeddings(embeddings.model_name, export_cache=cache)
    assert fast.prepare_exports()
    folder = fast.export_folder
    assert folder is not None and folder.parent == cache
    assert OnnxQueryEncoder.available(folder) and TorchScriptPassageEncoder.available(folder)
    return folder


def test_the_export_gives_the_models_vectors_one_by_one_and_in_batches(
    exported: Path, embeddings: SentenceTransformerEmbeddings
) -> None:
    encoder = OnnxQueryEncoder(exported)
    expected = np.asarray(embeddings.model.encode(QUESTIONS, normalize_embeddings=True))
    batch = np.asarray(encoder.encode(QUESTIONS))
    single = np.asarray([encoder.encode([question])[0] for question in QUESTIONS])
    assert np.abs(batch - expected).max() < 1e-5 and np.abs(single - expected).max() < 1e-5


PASSAGES = [
    "Journée 3 — mobilité douce, alimentation et tiers-lieux en milieu rural.",
    "court",
    "Les territoires attendaient des outils de coopération et des retours d'expérience. " * 40,
    *[f"Passage {n} : la conduite du changement systémique s'appuie sur des leviers." for n in range(40)],
]  # more than one batch of 32, of very different lengths (padding inside a batch)


def test_the_traced_copy_gives_the_models_passage_vectors(
    exported: Path, embeddings: SentenceTransformerEmbeddings
) -> None:
    expected = np.asarray(embeddings.model.encode(PASSAGES, normalize_embeddings=True))
    traced = np.asarray(TorchScriptPassageEncoder(exported).encode(PASSAGES))
    assert traced.shape == expected.shape and np.abs(traced - expected).max() < 1e-5


def _run_fresh(exported: Path, line: str) -> list[object]:
    cache = exported.parent
    script = (
        "import sys, json; from pathlib import Path\n"
        "from vectorstore import SentenceTransformerEmbeddings\n"
        f"e = SentenceTransformerEmbeddings('all-MiniLM-L6-v2', export_cache=Path({str(cache)!r}))\n"
        f"v = {line}\n"
        "print(json.dumps([len(v), 'torch' in sys.modules, 'sentence_transformers' in sys.modules,"
        " 'transformers' in sys.modules]))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(run.stdout)


def test_a_question_is_embedded_without_importing_torch(exported: Path) -> None:
    assert _run_fresh(exported, "e.embed_query('Quel est le taux de satisfaction ?')") == [
        384,
        False,
        False,
        False,
    ]


def test_passages_are_embedded_without_sentence_transformers(exported: Path) -> None:
    assert _run_fresh(exported, "e.embed_documents(['Un passage.', 'Un autre passage.'])[1]") == [
        384, True, False, False,
    ]  # fmt: skip


def test_only_mean_pooled_normalised_models_are_exported(tmp_path: Path) -> None:
    bundled = Path(resolve_model_location("all-MiniLM-L6-v2")[0])
    assert exportable(bundled)
    other = tmp_path / "cls"
    other.mkdir()
    (other / "modules.json").write_text((bundled / "modules.json").read_text())
    (other / "1_Pooling").mkdir()
    (other / "1_Pooling" / "config.json").write_text(
        json.dumps({"pooling_mode_cls_token": True, "pooling_mode_mean_tokens": False})
    )
    (other / "tokenizer.json").write_text("{}")
    assert not exportable(other)
    assert not exportable(tmp_path / "nothing-here")


def test_without_an_export_questions_use_the_model(
    tmp_path: Path, embeddings: SentenceTransformerEmbeddings
) -> None:
    plain = SentenceTransformerEmbeddings(embeddings.model_name, export_cache=tmp_path / "absent")
    expected = embeddings.model.encode(["Quel budget ?", "Un passage."], normalize_embeddings=True)
    assert np.abs(np.asarray(plain.embed_query("Quel budget ?")) - expected[0]).max() < 1e-6
    assert np.abs(np.asarray(plain.embed_documents(["Un passage."])[0]) - expected[1]).max() < 1e-6
    assert not (tmp_path / "absent").exists()  # asking or embedding never exports


def test_a_model_changed_in_place_gets_a_new_export_folder(tmp_path: Path) -> None:
    bundled = Path(resolve_model_location("all-MiniLM-L6-v2")[0])
    local = tmp_path / "modele"
    local.mkdir()
    (local / "config.json").write_text((bundled / "config.json").read_text())
    before = SentenceTransformerEmbeddings(str(local), export_cache=tmp_path / "cache").export_folder
    (local / "config.json").write_text((bundled / "config.json").read_text() + "\n")
    after = SentenceTransformerEmbeddings(str(local), export_cache=tmp_path / "cache").export_folder
    assert before is not None and after is not None and before != after
