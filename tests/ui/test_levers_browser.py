"""The « Leviers » tab on a phone (390×844) in a real browser: a short page of folded groups,
each titled with the count of what it holds, that a tap opens; the report's difficulty and its
twin in the notes shown once with both citations. Screenshots in ``test-artifacts/screenshots``."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser import PHONE, axe_violations, open_tab, opened_app, screenshot

pytestmark = pytest.mark.browser

# The whole page, every group folded, measured at 1,144 px on the sample (7,054 px before the
# groups): room left for a longer header or menus, far below a wall of text.
MAX_PHONE_HEIGHT = 1_500
GROUPS = 8  # levers and difficulties of each of the sample's four days


@pytest.fixture
def phone(app_url: str) -> Iterator[Page]:
    with opened_app(app_url, PHONE) as page:
        open_tab(page, "Leviers")
        expect(page.locator("#leviers details")).to_have_count(GROUPS)
        yield page


def count_shown(group: Locator) -> int:
    """The figure a group's title shows: « Leviers — journée 2 · … (5) » gives 5."""
    found = re.search(r"\((\d+)\)\s*$", group.locator("summary").inner_text())
    assert found, group.locator("summary").inner_text()
    return int(found.group(1))


def test_the_levers_page_is_short_and_folded_on_a_phone(phone: Page) -> None:
    height = phone.evaluate("document.documentElement.scrollHeight")
    screenshot(phone, "leviers-telephone-replie")
    assert height < MAX_PHONE_HEIGHT, f"page de {height} px"
    groups = phone.locator("#leviers details")
    for index in range(GROUPS):
        group = groups.nth(index)
        expect(group).not_to_have_attribute("open", "")
        expect(group.locator("summary")).to_be_visible()
        expect(group.locator(":scope > ul > li").first).to_be_hidden()
    summaries = [summary.inner_text() for summary in phone.locator("#leviers summary").all()]
    assert summaries[0].startswith("Leviers — journée 1 · Cartographier le système d'acteurs")
    assert summaries[4].startswith("Difficultés — journée 1")


def test_a_tap_opens_a_group_whose_count_is_what_it_holds(phone: Page) -> None:
    groups = phone.locator("#leviers details")
    held = {"Leviers": 0, "Difficultés": 0}
    for group in groups.all():
        items = group.locator(":scope > ul > li").count()
        assert items == count_shown(group)
        held[group.locator("summary").inner_text().split(" — ")[0]] += items
    expect(phone.locator("#leviers")).to_contain_text(
        f"{held['Leviers']} leviers, {held['Difficultés']} difficultés"  # the page's own count line
    )
    difficulties = groups.filter(has_text="Difficultés — journée 1")
    difficulties.locator("summary").click()
    fear = difficulties.locator(":scope > ul > li").filter(has_text="Peur de montrer aux élus une carte")
    expect(fear).to_have_count(1)  # the report's and the notes' wordings: one item
    expect(fear).to_be_visible()
    citations = fear.locator("li")
    expect(citations).to_have_count(2)
    expect(citations.nth(0)).to_contain_text("Bilan — bilan-exemple.pdf, p. 3")
    expect(citations.nth(1)).to_contain_text("Notes de séance — journee-1.md")
    expect(citations.nth(1)).to_contain_text("la crainte de présenter aux élus une carte")
    expect(difficulties.locator(":scope > ul > li")).to_have_count(count_shown(difficulties))
    expect(groups.filter(has_text="Leviers — journée 1").locator("li").first).to_be_hidden()
    screenshot(phone, "leviers-telephone-groupe-ouvert")
    assert axe_violations(phone) == []  # every rule: nothing interactive in a summary, no heading skipped


def test_a_search_opens_the_groups_it_finds(phone: Page) -> None:
    phone.get_by_label("Rechercher un levier").fill("élus")
    listing = phone.locator("#leviers")
    expect(listing).to_contain_text("3 leviers, 3 difficultés")  # « élus » finds « un élu » too
    expect(listing.locator("details[open]")).to_have_count(4)
    expect(listing.get_by_text("Usage de la carte", exact=True)).to_be_visible()
    for group in listing.locator("details").all():
        assert group.locator(":scope > ul > li").count() == count_shown(group)
    screenshot(phone, "leviers-telephone-recherche")
