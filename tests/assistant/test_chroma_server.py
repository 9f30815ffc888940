"""Several app instances sharing one store on a real ``chroma run`` server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from tests.chroma_server import chroma_server
from tests.conftest import SAMPLE, make_engine, run_cli


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Chroma server holding the sample, indexed by a first instance through the CLI."""
    with chroma_server(tmp_path_factory.mktemp("chroma") / "data") as url:
        first = tmp_path_factory.mktemp("instance-1") / "store"
        result = run_cli("ingest", str(SAMPLE), "--json", store=first, env={"ASSISTANT_CHROMA_URL": url})
        assert result.returncode == 0, result.stderr
        yield url


def test_a_second_instance_answers_from_the_shared_store(
    shared: str, tmp_path: Path, embeddings: Embeddings
) -> None:
    other = make_engine(tmp_path / "instance-2", embeddings, chroma_url=shared)  # its own local folder
    assert [r.source for r in other.documents()] == [
        "bilan-exemple.pdf", "journee-1.md", "journee-2.md", "journee-3.md", "journee-4.md",
    ]  # fmt: skip
    answer = other.ask("Quel est le taux de satisfaction des participants ?")
    assert not answer.refused and answer.citations[0].source == "bilan-exemple.pdf"
    health = other.check()
    assert health.ok and health.reachability == 1.0 and health.live == other.status().chunks


def test_an_unreachable_server_is_one_clear_line(tmp_path: Path) -> None:
    result = run_cli("docs", store=tmp_path / "store", env={"ASSISTANT_CHROMA_URL": "http://127.0.0.1:9"})
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "erreur : Le serveur Chroma « http://127.0.0.1:9 » ne répond pas (ValueError) : "
        "est-il lancé (chroma run) et joignable ?"
    )
