"""The served app of the browser tests (tests/ui/test_browser.py, test_journeys.py,
test_accessibility.py): each test module gets its own copy of the sample store (its own
journals and feedback) and its own app on a free loopback port."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.engine import Engine
from assistant.settings import Settings


@pytest.fixture(scope="module")
def app_store(sample_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The module's private copy of the indexed sample store, that its served app writes to."""
    store = tmp_path_factory.mktemp("app") / "store"
    shutil.copytree(sample_store, store)
    return store


@pytest.fixture(scope="module")
def app_url(app_store: Path) -> Iterator[str]:
    """The address of the app on ``app_store``, served for the whole module."""
    from tests.browser import served  # Playwright, loaded by the browser tests only

    with served(Engine(Settings(store=app_store, _env_file=None))) as url:  # type: ignore[call-arg]
        yield url
