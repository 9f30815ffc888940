"""The users' journeys in a real browser, on a desktop and a phone, asserting what a person
sees: the expectations of a day as a list, the levers of a theme from the registry to an
answer, a newcomer's first question. Screenshots land in ``test-artifacts/screenshots``."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser import BOTH_SIZES, ask_in_chat, open_tab, opened_app, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture(params=["bureau", "telephone"])
def page(app_url: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """Each journey on a desktop (1280×800) and on a phone (390×844)."""
    with opened_app(app_url, BOTH_SIZES[request.param]) as page:
        yield page


def test_the_expectations_of_a_day_come_as_a_list_without_the_follow_ups(page: Page) -> None:
    ask_in_chat(page, "Qu'espéraient les territoires de la deuxième journée ?")
    answer = page.locator("#chat [data-testid='bot']").last
    expect(answer).to_contain_text("Trois territoires ont participé à la deuxième journée")
    items = answer.locator("li").filter(has=page.locator("a.renvoi"))
    expect(items).to_have_count(3)
    expect(items.nth(0)).to_contain_text("Commune de Sauvelière : Sortir des réunions publiques")
    expect(items.nth(2)).to_contain_text("Syndicat mixte des Monts Cendrés")
    said = answer.inner_text().split("Sources")[0]
    assert "Suites données" not in said and "budget participatif de 40 000" not in said
    screenshot(page, "parcours-attentes-liste")


def test_the_levers_of_a_theme_from_the_registry_to_an_answer(page: Page) -> None:
    open_tab(page, "Leviers")
    listing = page.locator("#leviers")
    box = listing.get_by_text("Boîte à idées itinérante", exact=True)
    expect(box).to_be_hidden()  # folded in its group until a click opens it
    listing.get_by_text(re.compile(r"^Leviers — journée 2 .*\(5\)$")).click()
    expect(box).to_be_visible()
    page.get_by_label("Rechercher un levier").fill("tirage")
    page.get_by_label("Rechercher un levier").press("Enter")
    expect(listing.get_by_text("Tirage au sort", exact=True)).to_be_visible()  # its group opens
    expect(listing).not_to_contain_text("Boîte à idées itinérante")
    screenshot(page, "parcours-leviers-recherche")
    page.locator("#levier-choisi input").fill("Tirage")
    page.get_by_role("option", name=re.compile("^Levier — Tirage au sort")).click()
    page.get_by_role("button", name="Poser une question sur ce levier").click()
    expect(page.get_by_role("tab", name="Discuter")).to_have_attribute("aria-selected", "true")
    chat = page.locator("#chat")
    expect(chat.locator("[data-testid='user']").last).to_contain_text("« Tirage au sort »")
    expect(chat.locator("[data-testid='bot']").last).to_contain_text(re.compile("tirage au sort", re.I))
    expect(chat.locator("[data-testid='bot']").last.locator("a.renvoi").first).to_be_visible()


def test_a_newcomer_reads_what_the_assistant_knows_and_gets_a_first_answer(page: Page) -> None:
    page.get_by_text("Comment poser une question ?").click()
    expect(page.locator("#aide")).to_contain_text("Posez votre question avec vos mots")
    ask_in_chat(page, "C'est quoi une communauté apprenante ?")
    answer = page.locator("#chat [data-testid='bot']").last
    expect(answer).to_contain_text("communauté apprenante")
    badge = answer.get_by_text(re.compile(r"✓ Phrases citées mot pour mot .* une définition"))
    expect(badge).to_be_visible()
    badge.click()  # details on demand
    expect(answer).to_contain_text("l'assistant a vérifié que ces passages existent")
    screenshot(page, "parcours-nouveau-venu")
