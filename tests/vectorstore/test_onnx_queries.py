"""Torch-free questions: the ONNX export of the real bundled model gives the model's vectors."""

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

QUESTIONS = [
    "Quel est le taux de satisfaction des participants ?",
    "mot",
    "Qu'attendait la communauté de communes du Val-d'Orbelune de la journée 2 ?",
    "Une question bien trop longue qui se répète. " * 60,  # past the 256 tokens the model reads
]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, embeddings: SentenceTransformerEmbeddings) -> Path:
    folder = tmp_path_factory.mktemp("onnx") / "export"
    fast = SentenceTransformerEmbeddings(embeddings.model_name, onnx_folder=folder)
    assert fast.prepare_onnx_queries() and OnnxQueryEncoder.available(folder)
    return folder


def test_the_export_gives_the_models_vectors_one_by_one_and_in_batches(
    exported: Path, embeddings: SentenceTransformerEmbeddings
) -> None:
    encoder = OnnxQueryEncoder(exported)
    expected = np.asarray(embeddings.model.encode(QUESTIONS, normalize_embeddings=True))
    batch = np.asarray(encoder.encode(QUESTIONS))
    single = np.asarray([encoder.encode([question])[0] for question in QUESTIONS])
    assert np.abs(batch - expected).max() < 1e-5 and np.abs(single - expected).max() < 1e-5


def test_a_question_is_embedded_without_importing_torch(exported: Path) -> None:
    script = (
        "import sys, json; from pathlib import Path\n"
        "from vectorstore import SentenceTransformerEmbeddings\n"
        f"e = SentenceTransformerEmbeddings('all-MiniLM-L6-v2', onnx_folder=Path({str(exported)!r}))\n"
        "v = e.embed_query('Quel est le taux de satisfaction ?')\n"
        "print(json.dumps([len(v), 'torch' in sys.modules, 'sentence_transformers' in sys.modules]))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    assert json.loads(run.stdout) == [384, False, False]


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
    plain = SentenceTransformerEmbeddings(embeddings.model_name, onnx_folder=tmp_path / "absent")
    expected = embeddings.model.encode(["Quel budget ?"], normalize_embeddings=True)[0]
    assert np.abs(np.asarray(plain.embed_query("Quel budget ?")) - expected).max() < 1e-6
    assert not (tmp_path / "absent").exists()  # asking never exports
