"""A citation card's picture: the passage cut from its PDF page, a link to the whole page.

Pure formatters: a ``PassagePicture`` (assistant/engine.py) in, HTML out. The chat's
Markdown keeps this HTML through Gradio's sanitizer (``a`` with ``href``, ``target``,
``rel``, ``title``, ``class``; ``img`` with ``src``, ``alt``, ``width``, ``height``,
``loading``, ``class``, ``style``); it drops ``aria-*`` attributes, so the link's
accessible name there is the picture's ``alt`` and ``title`` says what the link does.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from urllib.parse import quote

from assistant.engine import PassagePicture

FILE_ROUTE = "/gradio_api/file="  # Gradio's route for allowed files (ui/gate.py: FILE_PREFIX)
PICTURE_CLASS = "extrait"
FIT = "max-width:100%;height:auto"  # never wider than the card, whatever the page's CSS


def served_url(path: Path) -> str:
    """The URL Gradio serves ``path`` at (an absolute path, percent-encoded: a space or a
    ``#`` in the store's folder name stays part of the path)."""
    return FILE_ROUTE + quote(str(Path(path).resolve()), safe="/")


def open_label(page: int) -> str:
    return f"Ouvrir la page {page} en grand (nouvel onglet)"


def page_label(page: int) -> str:
    return f"Voir la page {page} en image"


def picture_html(picture: PassagePicture, url_of: Callable[[Path], str] = served_url) -> str:
    """The crop as a link opening the whole page in a new tab."""
    label = open_label(picture.page)
    link = {
        "class": f"{PICTURE_CLASS}-lien",
        "href": url_of(picture.page_image),
        "target": "_blank",
        "rel": "noopener",
        "title": label,
        "aria-label": label,
    }
    image = {
        "class": PICTURE_CLASS,
        "src": url_of(picture.crop),
        "alt": picture.alt,
        "width": str(picture.width),
        "height": str(picture.height),
        "loading": "lazy",
        "decoding": "async",
        "style": FIT,
    }
    # Shown instead of the crop when the screen would make its text too small (``ui.french``).
    instead = f'<span class="{PICTURE_CLASS}-texte">{escape(page_label(picture.page))}</span>'
    return f"<a {_attributes(link)}><img {_attributes(image)}>{instead}</a>"


def _attributes(values: dict[str, str]) -> str:
    return " ".join(f'{name}="{escape(value, quote=True)}"' for name, value in values.items())
