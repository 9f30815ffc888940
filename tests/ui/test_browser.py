"""The app in a real browser (Playwright + Debian's Chromium) on the sample corpus: every tab
works, citation cards show their page, and hostile document text stays text. Screenshots
of each tab land in ``test-artifacts/screenshots``."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from gradio_client import Client, handle_file
from playwright.sync_api import Page, expect

from assistant.engine import Engine
from assistant.settings import Settings
from assistant.users import Authenticator, add_user
from tests.browser import ask_in_chat, browser_page, log_in, opened_app, screenshot, served
from tests.pdfs import make_pdf

pytestmark = pytest.mark.browser


@pytest.fixture
def page(app_url: str) -> Iterator[Page]:
    with opened_app(app_url) as page:
        yield page


def test_a_question_gets_an_answer_with_a_card_and_the_cited_page(page: Page) -> None:
    ask_in_chat(page, "Quel est le taux de satisfaction ?")
    chat = page.locator("#chat")
    expect(chat).to_contain_text("taux de satisfaction de 92 %")
    expect(chat.locator("mark").filter(has_text="taux de satisfaction de 92 %")).to_be_visible()
    expect(chat.locator('a[href="#r1-carte-1"]').first).to_be_visible()
    expect(chat).to_contain_text("bilan-exemple.pdf")
    picture = chat.get_by_role("img", name="Extrait de la page 8 de bilan-exemple.pdf")
    expect(picture).to_be_visible()
    # Loaded and sharp: decode() waits for the picture however busy the machine (it was read
    # at once, before a slow server had sent it), and fails if the picture cannot be had.
    assert picture.evaluate("async (img) => { await img.decode(); return img.naturalWidth; }") > 600
    assert picture.evaluate("(img) => img.clientWidth") >= 560  # shown large enough to read
    opener = chat.locator("a.extrait-lien").first
    with page.expect_popup() as popup:
        opener.click()
    assert re.search(r"-p8-z\d+\.png$", popup.value.url)  # the whole page, full size
    screenshot(page, "1-discuter")


def test_a_second_answer_links_its_markers_to_its_own_cards(page: Page) -> None:
    """Each answer names its cards apart: the second answer's [1] leads to the second
    answer's card, not to the first one's (mouse or keyboard)."""
    chat = page.locator("#chat")
    ask_in_chat(page, "Quel est le taux de satisfaction ?")
    expect(chat).to_contain_text("taux de satisfaction de 92 %")
    ask_in_chat(page, "Quel est le coût total du cycle ?")
    expect(chat.locator('a[href="#r2-carte-1"]').first).to_be_visible(timeout=30_000)
    assert chat.locator('a[href="#r1-carte-1"]').count() >= 1  # the first answer keeps its own
    expect(chat.locator("#r2-carte-1")).to_have_count(1)
    expect(chat).to_contain_text("✓ Phrases citées mot pour mot")
    expect(chat).to_contain_text("elles donnent ce qui est demandé : le coût")
    chat.locator('a[href="#r2-carte-1"]').first.click()
    assert page.evaluate("location.hash") == "#r2-carte-1"


def test_the_page_is_french_in_an_english_browser(app_url: str) -> None:
    """<html lang> says « fr » whatever the browser's language, so a screen reader reads the
    answers with a French voice."""
    with browser_page(locale="en-US") as page:
        assert page.evaluate("navigator.language") == "en-US"
        page.goto(app_url)
        expect(page.locator("#entete")).to_contain_text("les notes de quatre séances")
        expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_a_thumbs_up_is_stored_with_the_question_and_its_citations(page: Page, app_store: Path) -> None:
    ask_in_chat(page, "Combien d'heures d'animation ?")
    expect(page.locator("#chat")).to_contain_text("26 heures")
    page.locator("#chat").get_by_role("button", name="J'aime", exact=True).last.click()
    expect(page.get_by_text("votre avis est enregistré")).to_be_visible()
    entry = json.loads((app_store / "feedback.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert entry["rating"] == "up" and entry["question"] == "Combien d'heures d'animation ?"
    assert "26 heures" in entry["answer"] and entry["citations"][0]["source"] == "bilan-exemple.pdf"


def test_the_conversation_is_exported_as_markdown_with_its_sources(page: Page) -> None:
    ask_in_chat(page, "Quel est le taux de satisfaction ?")
    expect(page.locator("#chat")).to_contain_text("92 %")
    page.get_by_role("button", name="Exporter la conversation (Markdown)").click()
    with page.expect_download() as download:
        page.locator('a[href$="/conversation.md"]').click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("# Conversation avec l'assistant du bilan\n\n## 1. Quel est le taux")
    assert "\n\nSources :\n\n- [1] Bilan : bilan-exemple.pdf, p. 8" in text  # plain Markdown, as written
    for needless in ("\\-", "\\(", "&gt;"):
        assert needless not in text, needless


def test_a_new_conversation_clears_everything_and_numbers_from_one(page: Page) -> None:
    """« Nouvelle conversation » leaves nothing of the last one: messages, cited pages, the
    export; the next answer is the conversation's first again."""
    chat = page.locator("#chat")
    ask_in_chat(page, "Quel est le taux de satisfaction ?")
    expect(chat).to_contain_text("92 %")
    expect(chat.locator("img.extrait").first).to_be_visible()
    page.get_by_role("button", name="Exporter la conversation (Markdown)").click()
    expect(page.locator('a[href$="/conversation.md"]')).to_be_visible()
    page.get_by_role("button", name="Nouvelle conversation").click()
    expect(chat).not_to_contain_text("92 %")
    expect(chat.locator("img.extrait")).to_have_count(0)
    expect(page.locator('a[href$="/conversation.md"]')).to_have_count(0)
    ask_in_chat(page, "Quel est le coût total du cycle ?")
    expect(chat.locator('a[href="#r1-carte-1"]').first).to_be_visible(timeout=30_000)


def test_clicking_a_territory_shows_its_fiche(page: Page) -> None:
    page.get_by_role("tab", name="Territoires").click()
    table = page.locator("#territoires")
    expect(table).to_contain_text("Commune de Sauvelière")
    table.get_by_text("Commune de Sauvelière", exact=True).first.click()
    expect(page.locator("#fiche")).to_contain_text("Fiche territoire : Commune de Sauvelière")
    expect(page.locator("#fiche")).to_contain_text("journee-2.md")
    screenshot(page, "2-territoires")
    page.get_by_role("button", name="Poser une question sur ce territoire").click()
    expect(page.locator("#question textarea")).to_be_visible()  # back on the chat tab, question sent
    expect(page.locator("#chat [data-testid='user']").last).to_have_text(
        "Qu'attendait le territoire Commune de Sauvelière et quelles suites ont été données ?"
    )


@pytest.mark.parametrize(
    ("tab", "element", "expected", "name"),
    [
        ("Leviers", "#leviers", "Boîte à idées itinérante", "3-leviers"),
        ("Découvrir", "#frise", "Faire coopérer acteurs économiques et associatifs", "4-decouvrir"),
        ("Documents", "#documents", "bilan-exemple.pdf", "6-documents"),
    ],
)
def test_each_tab_shows_its_content(page: Page, tab: str, element: str, expected: str, name: str) -> None:
    page.get_by_role("tab", name=tab).click()
    expect(page.locator(element)).to_contain_text(expected)
    screenshot(page, name)


def test_discover_shows_each_tour_entry_once_under_headings_that_skip_no_level(page: Page) -> None:
    """Issue 28: each entry showed its text, then a card with the same passage highlighted;
    and the tab went from the page's h1 to h3 (axe « heading-order »)."""
    page.get_by_role("tab", name="Découvrir").click()
    page.get_by_text("Visite guidée du bilan").click()
    tour = page.locator("#visite")
    expect(tour).to_contain_text("Source : bilan-exemple.pdf, p. 2 — 1. Les intentions de départ")
    expect(tour.get_by_role("heading", level=3, name="1. Les intentions de départ")).to_be_visible()
    assert tour.get_by_text("Ce bilan rend compte d'un cycle").count() == 1  # once, not twice
    assert tour.locator("mark, a, details").count() == 0  # no card, no marker, no badge
    levels = page.locator("h1:visible, h2:visible, h3:visible, h4:visible").evaluate_all(
        "(headings) => headings.map((h) => Number(h.tagName[1]))"
    )
    assert levels[:2] == [1, 2] and all(b - a <= 1 for a, b in pairwise(levels))
    screenshot(page, "4-decouvrir-visite")


def test_the_documents_tab_speaks_a_member_s_words(page: Page) -> None:
    """Issue 28: « extractif », « embeddings », « Pages 0 » for the notes and ISO dates."""
    page.get_by_role("tab", name="Documents").click()
    status, table = page.locator("#status"), page.locator("#documents")
    expect(status).to_contain_text("Réponses : citations des documents (sans modèle de langue)")
    notes = table.get_by_role("row", name=re.compile(r"^journee-1\.md Notes de séance — \d+ 0 "))
    expect(notes).to_contain_text(re.compile(r"\d{1,2} [^ ]+ 20\d\d à \d{1,2} h \d\d"))
    for jargon in ("extractif", "embeddings", re.compile(r"\d{4}-\d\d-\d\d")):
        for shown in (status, table):
            expect(shown).not_to_contain_text(jargon)


def test_unanswered_questions_tab_lists_a_refused_question(page: Page) -> None:
    page.get_by_role("tab", name="Questions sans réponse").click()
    counted = re.compile(r"(Aucune question|\d+ questions?) sans réponse")
    expect(page.locator("#sans-reponse-compte")).to_have_text(counted)
    page.get_by_role("tab", name="Discuter").click()
    ask_in_chat(page, "Combien de bornes de recharge électrique Lumerive a-t-elle installées ?")
    expect(page.locator("#chat")).to_contain_text("ne permettent pas de répondre")
    page.get_by_role("tab", name="Questions sans réponse").click()
    page.get_by_role("button", name="Actualiser").click()
    expect(page.locator("#sans-reponse")).to_contain_text("bornes de recharge")
    said = re.compile(r"\b[1-9]\d* questions? sans réponse")  # others of the module refused some too
    expect(page.locator("#sans-reponse-compte")).to_have_text(said)
    screenshot(page, "5-questions-sans-reponse")


# Plain text, read as written (in a Markdown file, HTML is markup and the reader drops it).
HOSTILE = """Le potager partagé <script>window.__pwned = 1</script> a été inauguré en mai.
Une photo <img src="x" onerror="window.__pwned = 2"> du potager partagé a circulé.
"""


def test_html_and_script_in_a_document_are_shown_as_text_never_run(tmp_path: Path) -> None:
    notes = tmp_path / "piege.txt"
    notes.write_text(HOSTILE, encoding="utf-8")
    engine = Engine(Settings(store=tmp_path / "store", _env_file=None))  # type: ignore[call-arg]
    assert engine.ingest([notes]).ok
    with served(engine) as url, browser_page() as page:
        page.goto(url)
        ask_in_chat(page, "Quand le potager partagé a-t-il été inauguré ?")
        chat = page.locator("#chat")
        expect(chat).to_contain_text("<script>window.__pwned = 1</script>")
        expect(chat).to_contain_text('<img src="x" onerror="window.__pwned = 2">')
        assert page.evaluate("window.__pwned") is None
        assert chat.locator("script, img[onerror]").count() == 0
        screenshot(page, "7-texte-hostile")


@pytest.fixture
def users(tmp_path: Path) -> Authenticator:
    path = tmp_path / "utilisateurs.txt"
    add_user(path, "animatrice", "secret-animatrice", admin=True)
    add_user(path, "membre", "secret-membre", admin=False)
    return Authenticator(path)


@pytest.fixture
def private_store(sample_store: Path, tmp_path: Path) -> Path:
    store = tmp_path / "store"
    shutil.copytree(sample_store, store)
    return store


def test_an_administrator_uploads_a_pdf_and_sees_it_listed(
    private_store: Path, users: Authenticator, tmp_path: Path
) -> None:
    pdf = make_pdf(
        tmp_path / "depot" / "comite-de-pilotage.pdf",
        [["Compte rendu du comité de pilotage.", "Le comité a validé une cinquième journée à Brumeval."]],
    )
    engine = Engine(Settings(store=private_store, _env_file=None))  # type: ignore[call-arg]
    with served(engine, users) as url, browser_page() as page:
        page.goto(url)
        log_in(page, "animatrice", "secret-animatrice")
        page.get_by_role("tab", name="Documents").click()
        page.locator("#admin-documents input[type=file]").set_input_files(str(pdf))
        page.locator("#indexer").click()
        expect(page.locator("#rapport")).to_contain_text("comite-de-pilotage.pdf : indexé (1 pages")
        expect(page.locator("#documents")).to_contain_text("comite-de-pilotage.pdf")
        screenshot(page, "8-depot-administrateur")
        assert (private_store / "fichiers" / "comite-de-pilotage.pdf").exists()
        assert "comite-de-pilotage.pdf" in [record.source for record in engine.documents()]
        admin = Client(url, auth=("animatrice", "secret-animatrice"), verbose=False)
        message, table, _ = admin.predict("comite-de-pilotage.pdf", api_name="/remove")
    assert message == "comite\\-de\\-pilotage.pdf a été retiré de l'index."
    assert "comite-de-pilotage.pdf" not in [row[0] for row in table["data"]]
    assert "comite-de-pilotage.pdf" not in [record.source for record in engine.documents()]


def test_a_reader_can_neither_upload_nor_see_the_unanswered_questions(
    private_store: Path, users: Authenticator, tmp_path: Path
) -> None:
    pdf = make_pdf(tmp_path / "intrus.pdf", [["Texte déposé par un lecteur."]])
    engine = Engine(Settings(store=private_store, _env_file=None))  # type: ignore[call-arg]
    with served(engine, users) as url:
        with browser_page() as page:
            page.goto(url)
            log_in(page, "membre", "secret-membre")
            expect(page.locator("#entete")).to_contain_text("les notes de quatre séances")
            page.get_by_role("tab", name="Documents").click()
            expect(page.locator("#documents")).to_contain_text("bilan-exemple.pdf")
            expect(page.locator("#admin-documents")).to_have_count(0)
            page.get_by_role("tab", name="Questions sans réponse").click()
            expect(page.locator("#sans-reponse-reserve")).to_contain_text("Réservé aux administrateurs.")
            expect(page.locator("#sans-reponse")).to_have_count(0)
        client = Client(url, auth=("membre", "secret-membre"), verbose=False)
        with pytest.raises(Exception, match="403 Forbidden"):  # the upload route refuses the file
            client.predict([handle_file(str(pdf))], api_name="/upload")
        with pytest.raises(Exception, match="Réservé aux administrateurs"):
            client.predict(api_name="/unanswered")
    assert "intrus.pdf" not in [record.source for record in engine.documents()]
