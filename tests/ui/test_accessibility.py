"""Accessibility (RGAA 4.1 / WCAG 2.1 AA) and the phone, in a real browser: axe-core finds
nothing on any tab at desktop and phone sizes, with an answer on screen too; the page is
French in an English browser; the keyboard reaches the question first and moves between
tabs with the arrows. Screenshots of every tab at both sizes land in
``test-artifacts/screenshots``."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser import (
    DESKTOP,
    PHONE,
    ask_in_chat,
    axe_violations,
    browser_page,
    open_tab,
    screenshot,
)

pytestmark = pytest.mark.browser

SIZES = {"bureau": DESKTOP, "telephone": PHONE}
# What each tab shows once loaded, so axe checks the tab with its content.
TABS = {
    "Discuter": ("#question", "Posez votre question"),
    "Territoires": ("#territoires, #cartes-territoires", "Commune de Sauvelière"),
    "Leviers": ("#leviers", "boîte à idées itinérante"),
    "Découvrir": ("#frise", "Journée 2"),
    "Questions sans réponse": ("#sans-reponse", "Date"),
    "Documents": ("#documents", "bilan-exemple.pdf"),
}


def opened(page: Page, url: str) -> Page:
    page.goto(url)
    expect(page.locator("#entete")).to_contain_text("les notes de quatre séances")
    return page


@pytest.mark.parametrize("size", SIZES)
def test_every_tab_passes_axe_at_desktop_and_phone_sizes(app_url: str, size: str) -> None:
    with browser_page(viewport=SIZES[size]) as page:
        opened(page, app_url)
        for number, (tab, (where, shown)) in enumerate(TABS.items(), start=1):
            open_tab(page, tab)
            if tab == "Discuter":
                expect(page.locator("#question textarea")).to_be_visible()
            else:
                expect(page.locator(where).filter(visible=True).first).to_contain_text(shown)
            screenshot(page, f"onglet-{number}-{tab.lower().replace(' ', '-')}-{size}")
            assert axe_violations(page) == [], tab


@pytest.mark.parametrize("size", SIZES)
def test_an_answer_with_its_sources_passes_axe_and_names_its_links(app_url: str, size: str) -> None:
    """Citation links say where they lead (« source 1 : … page 8 »), not just « [1] »; at
    phone size the view shows the start of the new answer, not the end of its last card."""
    with browser_page(viewport=SIZES[size]) as page:
        opened(page, app_url)
        ask_in_chat(page, "Quel est le taux de satisfaction ?")
        chat = page.locator("#chat")
        expect(chat).to_contain_text("taux de satisfaction de 92 %")
        link = chat.get_by_role("link", name=re.compile(r"^source 1 : bilan-exemple\.pdf, page 8$"))
        expect(link.first).to_be_visible()
        answer = chat.locator("[data-testid='bot']").last
        top = answer.evaluate("(e) => e.getBoundingClientRect().top")
        assert 0 <= top < SIZES[size]["height"] / 2, top  # the answer's start is in view
        screenshot(page, f"reponse-{size}")
        assert axe_violations(page) == []


@pytest.mark.parametrize("size", SIZES)
def test_notices_on_screen_pass_axe_on_their_tabs_and_over_an_answer(app_url: str, size: str) -> None:
    """axe-core with a French notice on screen: on the tab that raised it (Territoires,
    Leviers), and over an answer in the Discuter tab. A notice is the same wherever it shows:
    the other tabs are checked without one (``test_every_tab_passes_axe…``)."""
    with browser_page(viewport=SIZES[size]) as page:
        opened(page, app_url)
        ask_in_chat(page, "Quel est le taux de satisfaction ?")
        expect(page.locator("#chat")).to_contain_text("92 %")
        for tab, button, said in (
            ("Territoires", "Poser une question sur ce territoire", "Choisissez d'abord un territoire"),
            ("Leviers", "Poser une question sur ce levier", "Choisissez d'abord un levier"),
        ):
            open_tab(page, tab)
            fresh_notice(page, page.get_by_role("button", name=button), said)
            assert axe_violations(page) == [], tab
        open_tab(page, "Discuter")  # the Leviers notice, over the answer
        expect(page.locator(".toast-body")).to_be_visible()
        assert axe_violations(page) == []


def fresh_notice(page: Page, button: Locator, said: str) -> None:
    """The notice ``button`` raises, alone on screen and fully shown: the ones before are
    closed, and its entrance (a fade) is over, as a person reads it."""
    for close in page.locator(".toast-close").all():
        close.click()
    expect(page.locator(".toast-body")).to_have_count(0)
    button.click()
    notice = page.locator(".toast-body").filter(has_text=said)
    expect(notice).to_be_visible()
    expect(notice).to_have_css("opacity", "1")


def test_the_keyboard_reaches_the_question_first_and_moves_between_tabs_with_arrows(app_url: str) -> None:
    with browser_page() as page:
        opened(page, app_url)
        page.keyboard.press("Tab")
        skip = page.locator(":focus")
        expect(skip).to_have_text("Aller à la question")
        page.keyboard.press("Enter")
        expect(page.locator("#question textarea")).to_be_focused()
        page.get_by_role("tab", name="Discuter").focus()
        page.keyboard.press("ArrowRight")
        expect(page.get_by_role("tab", name="Territoires")).to_be_focused()
        expect(page.get_by_role("tab", name="Territoires")).to_have_attribute("aria-selected", "true")
        page.keyboard.press("End")
        expect(page.get_by_role("tab", name="Documents")).to_have_attribute("aria-selected", "true")
        page.keyboard.press("Home")
        expect(page.get_by_role("tab", name="Discuter")).to_have_attribute("aria-selected", "true")


# Everything Gradio writes, visible or not: text outside what the documents and the answers
# say, and every attribute a screen reader or a tooltip reads.
PAGE_WORDS = """() => {
    const seen = [];
    const said = "script, style, [data-testid='bot'], [data-testid='user'], #frise, #visite, "
        + "#glossaire, #leviers, #fiche, #cartes-territoires .gallery-item, td:not(.download)";
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode())
        if (!n.parentElement.closest(said) && n.nodeValue.trim()) seen.push(n.nodeValue.trim());
    for (const element of document.querySelectorAll("*"))
        for (const a of element.attributes)
            if (a.name.startsWith("aria-") || ["title", "placeholder", "alt"].includes(a.name))
                seen.push(a.value);
    return seen.filter(Boolean);
}"""
# Gradio's English, as its components write it (and its untranslated keys).
ENGLISH_WORDS = re.compile(
    r"\b(Search|search|Copy|Error|More tabs|Settings|Use via API|Download|Thumbnail|Fullscreen|"
    r"Loading|Clear|Submit|Like|Dislike|Built with|Empty value|Table actions|chatbot|s message|"
    r"Enter text|Scroll|Drop|Upload|Click|KB|MB|bot|user)\b|^common\.|\d\.\d ?[KM]?B\b"
)


def test_no_english_is_left_in_an_english_browser(app_url: str) -> None:
    """Gradio's labels follow the browser's language; the page rewrites those it leaves in
    English, visible or not, on every tab, after an answer and an export too."""
    with browser_page(locale="en-US") as page:
        opened(page, app_url)
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        ask_in_chat(page, "Quel est le taux de satisfaction ?")
        expect(page.locator("#chat")).to_contain_text("92 %")
        page.get_by_role("button", name="Exporter la conversation (Markdown)").click()
        size = page.locator("a.download-link")
        expect(size).to_have_text(re.compile(r"^\d+,\d ko\s⇣$"))  # « 1,0 ko », not « 1.0 KB »
        for tab in TABS:
            open_tab(page, tab)
            english = sorted({w for w in page.evaluate(PAGE_WORDS) if ENGLISH_WORDS.search(w)})
            assert english == [], (tab, english)


def test_messages_are_named_in_french_without_their_markdown(app_url: str) -> None:
    """A screen reader announces « Votre question » and « Réponse de l'assistant », never
    « bot's message: » followed by the answer's raw Markdown."""
    with browser_page(locale="en-US") as page:
        opened(page, app_url)
        ask_in_chat(page, "Quel est le taux de satisfaction ?")
        chat = page.locator("#chat")
        expect(chat).to_contain_text("92 %")
        expect(chat.get_by_label("Votre question", exact=True)).to_have_count(1)
        expect(chat.get_by_label("Réponse de l'assistant", exact=True)).to_have_count(1)
        labels = page.evaluate("() => [...document.querySelectorAll('[aria-label]')].map(e => e.ariaLabel)")
        raw = [label for label in labels if re.search(r"\*\*|\[\d+\]|<|\n|#|`", label)]
        assert raw == []


def test_a_missing_choice_gets_a_french_notice_that_blocks_nothing(app_url: str) -> None:
    with browser_page() as page:
        opened(page, app_url)
        open_tab(page, "Territoires")
        page.get_by_role("button", name="Poser une question sur ce territoire").click()
        toast = page.get_by_text("Choisissez d'abord un territoire dans la liste.")
        expect(toast).to_have_count(1)
        expect(page.get_by_text("Error", exact=True)).to_have_count(0)
        open_tab(page, "Discuter")
        ask_in_chat(page, "Quel est le taux de satisfaction ?")  # nothing in the way
        expect(page.locator("#chat")).to_contain_text("92 %")


def test_a_territory_fiche_sends_its_question_and_a_suggestion_asks_in_the_chat(app_url: str) -> None:
    with browser_page() as page:
        opened(page, app_url)
        open_tab(page, "Territoires")
        page.locator("#territoire-choisi input").fill("Commune de Sauvelière")
        page.get_by_role("option", name="Commune de Sauvelière").click()
        expect(page.locator("#fiche")).to_contain_text("Fiche territoire : Commune de Sauvelière")
        page.get_by_role("button", name="Poser une question sur ce territoire").click()
        chat = page.locator("#chat")
        expect(page.get_by_role("tab", name="Discuter")).to_have_attribute("aria-selected", "true")
        expect(chat.locator("[data-testid='user']").last).to_contain_text("Commune de Sauvelière")
        expect(chat.locator("[data-testid='bot']").last).to_contain_text("Sauvelière")
        open_tab(page, "Découvrir")
        page.get_by_role("button", name="Quel est le coût total du cycle ?").click()
        expect(page.get_by_role("tab", name="Discuter")).to_have_attribute("aria-selected", "true")
        expect(chat.locator("[data-testid='bot']").last).to_contain_text("€")


def test_the_conversation_survives_a_reload_until_a_new_one_starts(app_url: str) -> None:
    with browser_page() as page:
        opened(page, app_url)
        ask_in_chat(page, "Quel est le taux de satisfaction ?")
        chat = page.locator("#chat")
        expect(chat).to_contain_text("taux de satisfaction de 92 %")
        page.wait_for_timeout(500)  # the browser storage is written after the answer
        opened(page, app_url)
        expect(chat).to_contain_text("taux de satisfaction de 92 %")
        page.get_by_role("button", name="Nouvelle conversation").click()
        expect(chat).not_to_contain_text("92 %")
        opened(page, app_url)
        expect(chat.locator("[data-testid='bot']")).to_have_count(0)


def test_on_a_phone_territories_are_cards_and_the_header_is_compact(app_url: str) -> None:
    with browser_page(viewport=PHONE) as page:
        opened(page, app_url)
        header = page.locator("#entete").bounding_box()
        assert header is not None and header["height"] < PHONE["height"] * 0.25, header
        open_tab(page, "Territoires")
        cards = page.locator("#cartes-territoires")
        expect(cards).to_be_visible()
        expect(cards).to_contain_text("Attentes : ")
        expect(page.locator("#territoires")).to_be_hidden()
