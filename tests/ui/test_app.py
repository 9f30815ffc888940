"""The web app launched on a loopback port and driven through ``gradio_client``."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from gradio_client import Client

from assistant.engine import Engine
from assistant.settings import Settings
from tests.conftest import ROOT, free_port
from ui.app import build_app


@pytest.fixture(scope="module")
def client(sample_store: Path) -> Iterator[Client]:
    engine = Engine(Settings(store=sample_store, _env_file=None))  # type: ignore[call-arg]
    app = build_app(engine)
    app.queue()
    port = free_port()
    app.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        yield Client(f"http://127.0.0.1:{port}/", verbose=False)
    finally:
        app.close()


def test_chat_answers_with_cited_page(client: Client) -> None:
    history, cleared = client.predict("Quel est le taux de satisfaction ?", [], api_name="/respond")
    assert cleared == ""
    assert [message["role"] for message in history] == ["user", "assistant"]
    reply = history[1]["content"]
    reply_text = reply if isinstance(reply, str) else " ".join(part.get("text", "") for part in reply)
    assert "92 %" in reply_text
    assert "**Sources**" in reply_text and "bilan\\-exemple.pdf*, p. 8" in reply_text


def test_empty_question_is_a_french_error(client: Client) -> None:
    with pytest.raises(Exception, match="La question est vide"):
        client.predict("   ", [], api_name="/respond")


def test_status_names_the_indexed_documents(client: Client) -> None:
    status = client.predict(api_name="/status")
    assert status.startswith("**5 document(s) indexé(s)**")
    assert "bilan\\-exemple.pdf" in status and "extractif" in status


def test_importing_the_app_loads_no_model_and_touches_no_disk(tmp_path: Path) -> None:
    code = (
        "import sys, ui.app\n"
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'chromadb') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_follow_up_question_is_understood_from_the_conversation(client: Client) -> None:
    first, _ = client.predict(
        "Quels leviers ont été identifiés lors de la journée 1 ?", [], api_name="/respond"
    )
    history, _ = client.predict("et pour la journée 3 ?", first, api_name="/respond")
    reply = history[-1]["content"]
    reply_text = reply if isinstance(reply, str) else " ".join(part.get("text", "") for part in reply)
    assert reply_text.startswith(
        "*Question comprise : Quels leviers ont été identifiés lors de la journée 3 ?*"
    )
    assert "journée 3" in reply_text.lower() or "Journée 3" in reply_text
