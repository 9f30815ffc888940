"""The French page: what the gate writes first in every page's ``<head>`` (``ui.french``)."""

from __future__ import annotations

import json
import re

from ui.french import GRADIO_FRENCH, LEGIBLE_SHARE, SIZE_UNITS, SKIP_LINK, SPEAKERS, french_head
from ui.responses import page_text

PAGE = (
    b'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>x</title>'
    b'<script>window.gradio_api_info = {"named_endpoints": {"/respond": {}}};</script>'
    b"</head><body></body></html>"
)


def test_the_script_carries_every_translation_and_the_skip_link() -> None:
    head = french_head()
    table = re.search(r"const french = (\{.*?\});", head, re.DOTALL)
    assert table is not None and json.loads(table.group(1)) == GRADIO_FRENCH
    assert json.dumps(SKIP_LINK, ensure_ascii=False) in head
    assert '"fr-FR"' in head and 'root.lang = "fr"' in head
    assert head.startswith("<script>") and head.endswith("</style>")


def test_the_script_names_speakers_sizes_and_the_legible_share() -> None:
    head = french_head()
    speakers = re.search(r"const speakers = (\{.*?\});", head)
    assert speakers is not None and json.loads(speakers.group(1)) == SPEAKERS
    assert SPEAKERS == {"user": "Votre question", "bot": "Réponse de l'assistant"}
    units = re.search(r"const units = (\{.*?\});", head)
    assert units is not None and json.loads(units.group(1))["KB"] == SIZE_UNITS["KB"] == "ko"
    assert f"const legibleShare = {LEGIBLE_SHARE:.3f};" in head


def test_translations_are_french_and_cover_the_labels_gradio_leaves_in_english() -> None:
    for english in ("Search...", "More tabs", "Error", "Copy message", "Download All", "Fullscreen"):
        assert english in GRADIO_FRENCH
    assert GRADIO_FRENCH["Error"] == "Erreur" and GRADIO_FRENCH["Search..."] == "Rechercher…"
    assert not [french for french in GRADIO_FRENCH.values() if french in GRADIO_FRENCH]  # no chains


def test_the_page_starts_with_the_french_head_and_hides_the_api_only_when_asked() -> None:
    shown = page_text(PAGE, hide_api=False)
    assert shown.startswith(b'<!doctype html><html lang="en"><head>' + french_head().encode())
    assert b'"/respond"' in shown
    hidden = page_text(PAGE, hide_api=True)
    assert b'"/respond"' not in hidden and b'{"named_endpoints": {}, "unnamed_endpoints": {}}' in hidden
    assert hidden.count(b"const french") == 1
