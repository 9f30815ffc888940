"""Playwright driving Debian's Chromium (``apt-get install chromium``; ``make system-deps``).

Helpers shared by the browser tests: start the app on a free loopback port, open a
headless page, save a screenshot under ``test-artifacts/screenshots`` (git-ignored).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from assistant.engine import Engine
from assistant.users import Authenticator
from tests.conftest import ROOT, free_port
from ui.app import build_app, launch

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
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


@contextmanager
def browser_page(locale: str = "fr-FR") -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale=locale)
        page.set_default_timeout(60_000)
        try:
            yield page
        finally:
            browser.close()


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
