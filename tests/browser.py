"""Playwright driving Debian's Chromium (``apt-get install chromium``; ``make system-deps``).

Helpers shared by the browser tests: start the app on a free loopback port, open a
headless page, save a screenshot under ``test-artifacts/screenshots`` (git-ignored).
"""

from __future__ import annotations

import atexit
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, expect, sync_playwright

from assistant.engine import Engine
from assistant.users import Authenticator
from tests.conftest import ROOT, free_port
from ui.app import build_app, launch

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
# axe-core from the npm registry (``make axe``, a dependency of ``make test``).
AXE = ROOT / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
BOTH_SIZES = {"bureau": LAPTOP, "telephone": PHONE}  # the sizes of the journeys
expect.set_options(timeout=60_000)  # the first question loads the model


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "Chromium absent : sudo apt-get install chromium (ou make system-deps)"
    return found


@contextmanager
def served(engine: Engine, users: Authenticator | None = None) -> Iterator[str]:
    """The app of ``engine`` (behind a login when ``users`` is given) on a free loopback
    port, launched as ``serve`` launches it, closed afterwards."""
    app = build_app(engine, users)
    port = free_port()
    launch(app, engine.settings, users, "127.0.0.1", port, prevent_thread_lock=True, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        app.close()


_chromium: list[Browser] = []  # one Chromium for the whole run, started by the first test


def shared_browser() -> Browser:
    """Chromium, started once per test run (about 2 s each time saved); each test gets its
    own context, so no cookie, storage or cache passes from one test to the next."""
    if not _chromium:
        playwright = sync_playwright().start()
        _chromium.append(playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"]))
        atexit.register(playwright.stop)
        atexit.register(_chromium[0].close)
    return _chromium[0]


@contextmanager
def browser_page(locale: str = "fr-FR", viewport: dict[str, int] | None = None) -> Iterator[Page]:
    context = shared_browser().new_context(
        viewport=viewport or DESKTOP, locale=locale, is_mobile=viewport == PHONE
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        yield page
    finally:
        context.close()


@contextmanager
def opened_app(url: str, viewport: dict[str, int] | None = None, locale: str = "fr-FR") -> Iterator[Page]:
    """A page on the app at ``url``, once its header says what the assistant knows."""
    with browser_page(locale, viewport) as page:
        page.goto(url)
        expect(page.locator("#entete")).to_contain_text("les notes de quatre séances")
        yield page


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def ask_in_chat(page: Page, question: str) -> None:
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")


def log_in(page: Page, name: str, password: str) -> None:
    """Fill Gradio's login form."""
    page.locator("input[type=text], input:not([type])").first.fill(name)
    page.locator("input[type=password]").fill(password)
    page.locator("input[type=password]").press("Enter")


def axe_violations(page: Page) -> list[str]:
    """What axe-core finds on the page as it is, with every rule it has (WCAG 2.1 A and AA,
    what RGAA 4.1 checks, and its best practices), one line each: rule, impact, and the
    first elements at fault."""
    assert AXE.is_file(), f"axe-core absent ({AXE}) : make axe"
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document);
            return result.violations.map((v) => `${v.id} (${v.impact}) : ` + v.nodes.slice(0, 3)
                .map((n) => n.target.join(" ") + " — " + (n.failureSummary || "").split("\\n")[1])
                .join(" | "));
        }"""
    )
    return list(found)


def open_tab(page: Page, name: str) -> None:
    """Select a tab by its name, as a person does: every tab is named on screen, on a phone
    too (they wrap onto several lines)."""
    tab = page.get_by_role("tab", name=name, exact=True)
    expect(tab).to_be_visible()
    tab.click()
    expect(page.locator("button[role='tab'][aria-selected='true']").filter(has_text=name)).to_have_count(1)
