"""The app in one hand, in a real browser at 390×844 (and 1280×800 where both count):
where to type is on screen on arrival and after every answer, every tab is named, the
page is the one scrolling area, citation crops are legible or give way to text, notices
never cover an answer, a territory card opens its fiche, one font family. Every assertion
is about what a person sees: positions, sizes, text on screen."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser import (
    BOTH_SIZES,
    DESKTOP,
    PHONE,
    ask_in_chat,
    browser_page,
    open_tab,
    opened_app,
    screenshot,
)
from ui.french import LEGIBLE_SHARE

pytestmark = pytest.mark.browser

TAB_NAMES = ["Discuter", "Territoires", "Leviers", "Découvrir", "Questions sans réponse", "Documents"]
CROP_TEXT_PX = 12.5  # 10-point text in a crop shown at its own size (``ui.french.LEGIBLE_SHARE``)


@pytest.fixture
def phone(app_url: str) -> Iterator[Page]:
    with opened_app(app_url, PHONE) as page:
        yield page


def on_screen(page: Page, selector: str) -> bool:
    """Whether the whole of the element is inside the window as it is scrolled now."""
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None, selector
    return box["y"] >= 0 and box["y"] + box["height"] <= size["height"] and box["x"] >= 0


def scrolling_areas(page: Page) -> list[str]:
    """The elements other than the page that scroll vertically (content taller than them)."""
    return page.evaluate(
        """() => [...document.querySelectorAll("body *")].filter((e) => {
            const style = getComputedStyle(e);
            return ["auto", "scroll"].includes(style.overflowY) && e.scrollHeight > e.clientHeight + 2
                && e.offsetParent !== null;
        }).map((e) => e.tagName + "." + String(e.className).slice(0, 40))"""
    )


def test_where_to_type_is_on_screen_on_arrival_and_after_each_answer(phone: Page) -> None:
    assert on_screen(phone, "#question textarea") and on_screen(phone, "#send")
    asked = (("Quel est le taux de satisfaction ?", "92 %"), ("Combien a coûté le cycle ?", "€"))
    for question, shown in asked:
        ask_in_chat(phone, question)
        expect(phone.locator("#chat [data-testid='bot']").last).to_contain_text(shown)
        phone.wait_for_timeout(300)  # the view goes to the new answer's start
        answer_top = phone.locator("#chat [data-testid='bot']").last.bounding_box()
        assert answer_top is not None and 0 <= answer_top["y"] < PHONE["height"] / 2, answer_top
        assert on_screen(phone, "#question textarea") and on_screen(phone, "#send"), question
    assert scrolling_areas(phone) == []  # the chat grows: the page is the one scrolling area
    screenshot(phone, "telephone-saisie-apres-reponse")


def test_every_tab_is_named_on_a_phone(phone: Page) -> None:
    for name in TAB_NAMES:
        tab = phone.get_by_role("tab", name=name, exact=True)
        expect(tab).to_be_visible()
        box = tab.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], name
    expect(phone.get_by_role("button", name="Autres onglets")).to_have_count(0)
    phone.get_by_role("tab", name="Découvrir", exact=True).click()
    expect(phone.locator("#frise")).to_contain_text("Journée 2")


@pytest.mark.parametrize("size", BOTH_SIZES)
def test_a_citation_crop_is_legible_or_gives_way_to_its_text(app_url: str, size: str) -> None:
    """Text in a crop is at least 11 px high on screen; when the screen is too narrow for
    that, the card shows the passage's text (at least 11 px) and a link to the page."""
    with browser_page(viewport=BOTH_SIZES[size]) as page:
        page.goto(app_url)
        ask_in_chat(page, "Quel est le taux de satisfaction ?")
        card = page.locator("#chat a.extrait-lien").first
        expect(card).to_be_attached()
        image = card.locator("img.extrait")
        natural = int(image.get_attribute("width") or 0)
        assert natural > 0
        if size == "bureau":
            expect(image).to_be_visible()
            shown = image.evaluate("(e) => e.getBoundingClientRect().width")
            assert shown / natural * CROP_TEXT_PX >= 11, (shown, natural)
        else:
            expect(image).to_be_hidden()
            expect(card).to_have_text("Voir la page 8 en image")
            expect(card).to_be_visible()
            assert card.evaluate("(e) => e.href").endswith(".png")
            passage = page.locator("#chat blockquote").first
            expect(passage).to_contain_text("taux de satisfaction de 92 %")
            size_px = passage.evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)")
            assert size_px >= 11, size_px
        screenshot(page, f"extrait-{size}")


def test_the_legible_share_is_the_crop_scale_for_eleven_pixels() -> None:
    assert pytest.approx(11) == LEGIBLE_SHARE * CROP_TEXT_PX


@pytest.mark.parametrize("size", BOTH_SIZES)
def test_a_notice_never_covers_the_start_of_an_answer(app_url: str, size: str) -> None:
    """A notice shown while an answer comes sits in the room the question bar makes for it,
    at the bottom of the screen: the answer's start stays uncovered."""
    with browser_page(viewport=BOTH_SIZES[size]) as page:
        page.goto(app_url)
        open_tab(page, "Territoires")
        page.get_by_role("button", name="Poser une question sur ce territoire").click()
        notice = page.locator(".toast-body")
        expect(notice).to_contain_text("Choisissez d'abord un territoire dans la liste.")
        open_tab(page, "Discuter")
        ask_in_chat(page, "Quel est le taux de satisfaction ?")
        answer = page.locator("#chat [data-testid='bot']").last
        expect(answer).to_contain_text("92 %")
        page.wait_for_timeout(300)
        expect(notice).to_be_visible()
        shown, start = notice.bounding_box(), answer.bounding_box()
        bar = page.locator("#saisie").bounding_box()
        assert shown and start and bar
        answer_start_bottom = start["y"] + min(start["height"], 120)
        assert shown["y"] >= answer_start_bottom, (shown, start)
        assert shown["y"] + shown["height"] <= BOTH_SIZES[size]["height"] + 1
        assert shown["y"] >= bar["y"] + 40, (shown, bar)  # below the question box, in the bar's room
        assert on_screen(page, "#question textarea")


def test_the_territory_picker_comes_first_and_a_card_opens_its_fiche(phone: Page) -> None:
    open_tab(phone, "Territoires")
    cards = phone.locator("#cartes-territoires button")
    expect(cards.first).to_be_visible()
    picker = phone.locator("#territoire-choisi").bounding_box()
    first_card = cards.first.bounding_box()
    assert picker and first_card and picker["y"] < first_card["y"]
    assert picker["y"] + picker["height"] <= PHONE["height"]  # on the first screen
    card = cards.filter(has_text="Commune de Sauvelière")
    expect(card).to_contain_text("Attentes : Sortir des réunions publiques")  # the whole card
    card.click()
    sheet = phone.locator("#fiche")
    expect(sheet).to_contain_text("Fiche territoire : Commune de Sauvelière")
    expect(phone.locator("#territoire-choisi input")).to_have_value("Commune de Sauvelière")
    phone.wait_for_timeout(300)
    top = sheet.bounding_box()
    assert top is not None and 0 <= top["y"] < PHONE["height"], top  # the fiche is in view
    screenshot(phone, "telephone-fiche-territoire")


def test_one_font_family_for_headings_tabs_messages_tables_and_buttons(app_url: str) -> None:
    with browser_page(viewport=BOTH_SIZES["bureau"]) as page:
        page.goto(app_url)
        ask_in_chat(page, "Quel est le taux de satisfaction ?")
        expect(page.locator("#chat [data-testid='bot']").last).to_contain_text("92 %")
        families = page.evaluate(
            """() => [...document.querySelectorAll(
                "h1, h2, h3, strong, button, [role='tab'], p, li, textarea, label, span, td, th, code")]
                .filter((e) => e.offsetParent !== null && e.textContent.trim()
                        && !e.closest("code, pre, kbd"))
                .map((e) => getComputedStyle(e).fontFamily)"""
        )
        assert len(families) > 20
        assert len(set(families)) == 1, set(families)
        assert "Source Sans" not in families[0]


def test_the_desktop_keeps_the_table_and_the_phone_gets_cards(app_url: str) -> None:
    with browser_page(viewport=DESKTOP) as page:
        page.goto(app_url)
        open_tab(page, "Territoires")
        expect(page.locator("#territoires")).to_be_visible()
        expect(page.locator("#cartes-territoires")).to_be_hidden()


def test_the_exported_conversation_is_on_screen_once_ready(phone: Page) -> None:
    ask_in_chat(phone, "Quel est le taux de satisfaction ?")
    expect(phone.locator("#chat")).to_contain_text("92 %")
    phone.get_by_role("button", name="Exporter la conversation (Markdown)").click()
    link = phone.locator('a[href$="/conversation.md"]')
    expect(link).to_be_visible()
    phone.wait_for_timeout(300)
    assert on_screen(phone, 'a[href$="/conversation.md"]')
    expect(link).to_have_text(re.compile(r"^\d+,\d ko\s⇣$"))  # in French units
