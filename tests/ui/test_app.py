"""The web app launched on a loopback port and driven through ``gradio_client``."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import gradio as gr
import pytest
from gradio_client import Client

from assistant.answering import Answer
from assistant.engine import Engine
from assistant.errors import UserFacingError
from assistant.settings import Settings
from assistant.wording import parse_filters
from tests.conftest import ROOT, free_port
from ui.app import build_app
from ui.chat_tab import LONG_CONVERSATION, MAX_EXCHANGES, ChatTab
from ui.exchange import VISITOR_COOKIE, new_visitor_token, process_exchange
from ui.tab_content import DOCUMENT_HEADERS


@pytest.fixture(scope="module")
def client(sample_store: Path) -> Iterator[Client]:
    engine = Engine(Settings(store=sample_store, _env_file=None))  # type: ignore[call-arg]
    app = build_app(engine)
    app.queue()
    port = free_port()
    app.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        browser = {"Cookie": f"{VISITOR_COOKIE}={new_visitor_token()}"}  # as the gate gives a browser
        yield Client(f"http://127.0.0.1:{port}/", headers=browser, verbose=False)
    finally:
        app.close()


def ask(client: Client, question: str, history: list | None = None, **menus: str) -> tuple:  # type: ignore[type-arg]
    """The chat's /respond endpoint: question, history, then the five filter menus."""
    chosen = [menus.get(name, "Tous") for name in ("document", "kind", "part", "day", "territory")]
    return client.predict(question, history or [], *chosen, api_name="/respond")  # type: ignore[no-any-return]


def text_of(message: dict) -> str:  # type: ignore[type-arg]
    content = message["content"]
    return content if isinstance(content, str) else " ".join(part.get("text", "") for part in content)


def test_chat_answers_with_cited_page(client: Client) -> None:
    history, cleared = ask(client, "Quel est le taux de satisfaction ?")
    assert cleared == ""
    assert [message["role"] for message in history] == ["user", "assistant"]
    reply = history[1]["content"]
    reply_text = reply if isinstance(reply, str) else " ".join(part.get("text", "") for part in reply)
    assert "92 %" in reply_text
    assert "**Sources**" in reply_text and "bilan\\-exemple.pdf*, p. 8" in reply_text
    # the first answer of the conversation: its cards are named r1-…
    assert (
        '<a class="renvoi" href="#r1-carte-1" title="source 1 : bilan-exemple.pdf, page 8">[1]</a>'
        in reply_text
        and '<span id="r1-carte-1"></span>**[1]** `Bilan`' in reply_text
    )
    assert (
        "<summary>✓ Phrases citées mot pour mot" in reply_text
        and "elles donnent ce qui est demandé : le taux de satisfaction</summary>" in reply_text
    )
    assert "indique un taux de satisfaction de 92 %.</mark>" in reply_text
    # the card's picture: the passage cut from page 8, a link to the whole page
    crops = re.findall(r'<img class="extrait" src="/gradio_api/file=([^"]+)" alt="([^"]+)"', reply_text)
    assert [alt for _, alt in crops] == ["Extrait de la page 8 de bilan-exemple.pdf"]
    assert Path(unquote(crops[0][0])).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_empty_question_is_a_french_notice_that_changes_nothing(sample_store: Path) -> None:
    """A French notice (a toast in the browser: tests/ui/test_accessibility.py), the question
    left in its box, the conversation as it was."""
    engine = Engine(Settings(store=sample_store, _env_file=None))  # type: ignore[call-arg]
    with gr.Blocks(), gr.Tabs() as tabs, gr.Tab("Discuter"):
        chat = ChatTab(engine, tabs, process_exchange())
    with pytest.warns(UserWarning, match="La question est vide"):
        updates = list(chat.respond("   ", [], [], "Tous", "Tous", "Tous", "Tous", "Tous"))
    assert updates == [([], "   ", [])]


def test_a_bad_filter_sent_to_the_chat_is_the_command_line_s_french_notice(sample_store: Path) -> None:
    """A menu value the menus do not offer (sent through the API): the toast says what
    ``ask --filter session=deux`` says, and nothing changes."""
    engine = Engine(Settings(store=sample_store, _env_file=None))  # type: ignore[call-arg]
    with gr.Blocks(), gr.Tabs() as tabs, gr.Tab("Discuter"):
        chat = ChatTab(engine, tabs, process_exchange())
    with pytest.raises(UserFacingError) as on_the_command_line:
        parse_filters(["session=deux"])
    with pytest.warns(UserWarning) as shown:
        updates = list(chat.respond("Quels leviers ?", [], [], "Tous", "Tous", "Tous", "deux", "Tous"))
    assert updates == [([], "Quels leviers ?", [])]
    assert [str(w.message) for w in shown] == [str(on_the_command_line.value)]


def test_a_conversation_stops_at_its_bound_with_a_french_notice(sample_store: Path) -> None:
    """Issue 18, deliverable 6: the conversation a browser sends back with each question is
    bounded; at the bound, a notice says what to do and nothing else changes."""
    engine = Engine(Settings(store=sample_store, _env_file=None))  # type: ignore[call-arg]
    with gr.Blocks(), gr.Tabs() as tabs, gr.Tab("Discuter"):
        chat = ChatTab(engine, tabs, process_exchange())
    history = [
        {"role": role, "content": "texte"} for _ in range(MAX_EXCHANGES) for role in ("user", "assistant")
    ]
    for earlier, answers in ((history, []), ([], [{}] * MAX_EXCHANGES)):
        with pytest.warns(UserWarning) as shown:
            updates = list(
                chat.respond("Quels leviers ?", earlier, answers, "Tous", "Tous", "Tous", "Tous", "Tous")
            )
        assert updates == [(earlier, "Quels leviers ?", answers)]
        assert [str(w.message) for w in shown] == [LONG_CONVERSATION]
    assert "50 questions" in LONG_CONVERSATION and "Nouvelle conversation" in LONG_CONVERSATION
    below = history[2:]  # one exchange fewer: answered
    (*_, (shown_history, box, _answers)) = list(
        chat.respond("Quels leviers ?", below, [], "Tous", "Tous", "Tous", "Tous", "Tous")
    )
    assert len(shown_history) == len(below) + 2 and box == ""


def test_status_names_the_indexed_documents(client: Client) -> None:
    status = client.predict(api_name="/status")
    assert status.startswith("**5 documents indexés**")
    assert "bilan\\-exemple.pdf" in status
    assert "Réponses : citations des documents (sans modèle de langue)" in status


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
    first, _ = ask(client, "Quels leviers ont été identifiés lors de la journée 1 ?")
    history, _ = ask(client, "et pour la journée 3 ?", first)
    reply = history[-1]["content"]
    reply_text = reply if isinstance(reply, str) else " ".join(part.get("text", "") for part in reply)
    assert reply_text.startswith(
        "*Question comprise : Quels leviers ont été identifiés lors de la journée 3 ?*"
    )
    assert "journée 3" in reply_text.lower() or "Journée 3" in reply_text


def test_filters_beside_the_chat_restrict_the_sources(client: Client) -> None:
    history, _ = ask(client, "Quels leviers ont été identifiés ?", kind="notes", day="2")
    reply = text_of(history[-1])
    assert "`Notes de séance` *journee\\-2.md*" in reply
    assert "`Bilan`" not in reply


def test_territories_tab_lists_every_day_table_row_and_shows_a_fiche(client: Client) -> None:
    table, cards, _ = client.predict(api_name="/territories")
    rows = table["data"]
    assert table["headers"] == ["Territoire", "Journée", "Attentes", "Suites données", "Source"]
    assert len(rows) == 12 and sorted({row[1] for row in rows}) == ["1", "2", "3", "4"]
    sauveliere = next(row for row in rows if row[0] == "Commune de Sauvelière")
    assert sauveliere[1] == "2" and sauveliere[4] == "bilan-exemple.pdf, p. 4"
    phone_cards = [sample[0] for sample in cards["samples"]]  # the phone's cards, one per line
    assert len(phone_cards) == 12
    assert "<strong>Commune de Sauvelière</strong> · journée 2<br>Attentes : " in phone_cards[3]
    sheet = client.predict("Commune de Sauvelière", api_name="/territory_sheet")
    assert sheet.startswith("### Fiche territoire : Commune de Sauvelière\n\n6 passage(s) le mentionnent.")
    assert "*journee\\-2.md*" in sheet and "`Notes de séance`" in sheet


def test_levers_are_listed_once_and_the_overview_gives_timeline_tour_and_glossary(client: Client) -> None:
    listing, *_ = client.predict(api_name="/levers")
    assert listing.count("Boîte à idées itinérante") == 1 and "Budget participatif" in listing
    timeline, tour, glossary = client.predict(api_name="/overview")
    assert "### Journée 3 — Faire coopérer acteurs économiques et associatifs" in timeline
    assert "jeudi 21 mai 2026 · Tiers\\-lieu La Fabrique des Hérons" in timeline
    assert "### 3\\. Les résultats obtenus" in tour or "### 3. Les résultats obtenus" in tour
    assert "### Communauté apprenante" in glossary and "### Logique d'alliance" in glossary


def test_refused_questions_are_listed_and_exported_as_csv(client: Client) -> None:
    history, _ = ask(client, "Combien de bornes de recharge électrique Lumerive a-t-elle installées ?")
    assert "ne permettent pas de répondre" in text_of(history[-1])
    table = client.predict(api_name="/unanswered")
    assert table["data"][0][1] == "Combien de bornes de recharge électrique Lumerive a-t-elle installées ?"
    assert table["data"][0][2] == "Aucun passage ne répond à la question."
    # a question answered in part goes to the list too, with what the documents do not give
    history, _ = ask(client, "Frênebourg-les-Ondes, ça fait combien d'habitants ?")
    assert text_of(history[-1]).startswith("**Les documents ne donnent pas le nombre d'habitants")
    table = client.predict(api_name="/unanswered")
    assert (
        table["data"][0][2] == "Les documents ne donnent pas le nombre d'habitants de Frênebourg-les-Ondes."
    )
    exported = Path(client.predict(api_name="/unanswered_csv")["value"])  # the client's download
    raw = exported.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: a French spreadsheet opens it right
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == "Date;Question;Ce qui manque;Filtres;Passages les plus proches"
    assert "Combien de bornes de recharge électrique Lumerive a-t-elle installées ?" in text


def test_documents_tab_lists_what_is_indexed(client: Client) -> None:
    table, *_ = client.predict(api_name="/documents")
    assert [row[0] for row in table["data"]] == [
        "bilan-exemple.pdf", "journee-1.md", "journee-2.md", "journee-3.md", "journee-4.md"
    ]  # fmt: skip
    assert table["headers"] == DOCUMENT_HEADERS
    assert table["data"][0][5].startswith("page 10 : aucune couche texte")
    assert table["data"][0][1:5] == ["Bilan", 12, 66, 36]  # every table row; cover and part 3 title as text
    assert [row[4] for row in table["data"][1:]] == [0, 0, 0, 0]


def test_an_empty_saved_conversation_never_overwrites_the_chat(sample_store: Path) -> None:
    """On a busy server the page's restore may end after a first answer: restoring nothing
    must leave that answer on screen (it wiped it)."""
    engine = Engine(Settings(store=sample_store, _env_file=None))  # type: ignore[call-arg]
    with gr.Blocks(), gr.Tabs() as tabs, gr.Tab("Discuter"):
        chat = ChatTab(engine, tabs, process_exchange())
    for saved in (None, {}, {"messages": [], "answers": []}, {"messages": "x", "answers": []}):
        assert chat.restore(saved) == (gr.skip(), gr.skip())  # both outputs left as they are
    assert chat.restore(chat.save([], [])) == (gr.skip(), gr.skip())
    messages = [{"role": "user", "content": "Bonjour"}, {"role": "assistant", "content": "Salut."}]
    answers = [Answer("Bonjour", "Salut.", ()).to_dict()]
    assert chat.restore(chat.save(messages, answers)) == (messages, answers)
    # only what this store's key sealed: not the same conversation unsealed
    assert chat.restore({"messages": messages, "answers": answers}) == (gr.skip(), gr.skip())
    with gr.Blocks(), gr.Tabs() as tabs, gr.Tab("Discuter"):  # the app restarted on the same store
        again = ChatTab(engine, tabs, process_exchange())
    assert again.restore(chat.save(messages, answers)) == (messages, answers)
