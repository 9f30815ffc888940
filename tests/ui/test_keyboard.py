"""The three journeys with the keyboard only, in a real browser: no click, no mouse, what a
person who cannot use a pointer does (Tab, arrows, Enter, typing). Each asserts what is
shown at the end: the day's expectations, a lever's answer, a newcomer's suggested
question answered in the chat."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser import opened_app, screenshot

pytestmark = pytest.mark.browser

FOCUSED_ON = """([s, t]) => !!document.activeElement?.matches(s)
    && document.activeElement.textContent.includes(t)"""
MAX_TABS = 80  # key presses to reach a control: more would mean it cannot be reached


@pytest.fixture
def page(app_url: str) -> Iterator[Page]:
    with opened_app(app_url) as page:
        yield page


def tab_to(page: Page, selector: str, text: str = "") -> None:
    """Press Tab until the focus is on an element matching ``selector`` (a CSS selector)
    whose text contains ``text``."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_ON, [selector, text]):
            return
    raise AssertionError(f"{selector} {text} n'est pas atteignable au clavier")


def go_to_tab(page: Page, name: str) -> None:
    """From the top of the page: Tab to the selected tab, then arrows to ``name``."""
    tab_to(page, "[role='tab'][aria-selected='true']")
    for _ in range(6):
        if page.evaluate("() => document.activeElement.textContent.trim()") == name:
            break
        page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name=name, exact=True)).to_have_attribute("aria-selected", "true")


def test_the_expectations_of_a_day_with_the_keyboard(page: Page) -> None:
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Aller à la question")
    page.keyboard.press("Enter")
    expect(page.locator("#question textarea")).to_be_focused()
    page.keyboard.type("Qu'espéraient les territoires de la deuxième journée ?")
    page.keyboard.press("Enter")
    answer = page.locator("#chat [data-testid='bot']").last
    expect(answer).to_contain_text("Trois territoires ont participé à la deuxième journée")
    expect(answer.locator("li").filter(has=page.locator("a.renvoi"))).to_have_count(3)
    tab_to(page, "#chat a.renvoi")  # the sources are reachable too
    expect(page.locator(":focus")).to_have_attribute("title", re.compile(r"^source 1 : "))


def test_a_lever_asked_about_with_the_keyboard(page: Page) -> None:
    go_to_tab(page, "Leviers")
    tab_to(page, "#leviers-recherche textarea, #leviers-recherche input")
    page.keyboard.type("tirage")
    expect(page.locator("#leviers")).to_contain_text("Tirage au sort")
    expect(page.locator("#leviers")).not_to_contain_text("Boîte à idées itinérante")  # the list followed
    tab_to(page, "#levier-choisi input")
    page.keyboard.type("Tirage")
    expect(page.get_by_role("option", name=re.compile("^Levier — Tirage au sort"))).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("#levier-choisi input")).to_have_value(re.compile("^Levier — Tirage au sort"))
    tab_to(page, "button", "Poser une question sur ce levier")
    page.keyboard.press("Enter")
    expect(page.get_by_role("tab", name="Discuter")).to_have_attribute("aria-selected", "true")
    answer = page.locator("#chat [data-testid='bot']").last
    expect(answer).to_contain_text(re.compile("tirage au sort", re.I))
    screenshot(page, "clavier-levier")


def test_a_newcomer_tours_the_report_and_asks_with_the_keyboard(page: Page) -> None:
    go_to_tab(page, "Découvrir")
    tab_to(page, "button", "Visite guidée du bilan")
    page.keyboard.press("Enter")
    expect(page.locator("#visite")).to_be_visible()
    expect(page.locator("#visite")).to_contain_text("Les intentions de départ")
    tab_to(page, "#suggestions button", "Quel est le coût total du cycle ?")
    page.keyboard.press("Enter")
    expect(page.get_by_role("tab", name="Discuter")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#chat [data-testid='bot']").last).to_contain_text("€")
