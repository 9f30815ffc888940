"""The HTML of a citation card's picture: a link opening the whole page in a new tab around
the crop, every attribute escaped."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from assistant.engine import PassagePicture
from ui.gate import FILE_PREFIX, refusal
from ui.pictures import picture_html, served_url


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parsed(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


PICTURE = PassagePicture(
    crop=Path("/store/pages/ab-p4-extrait-01.png"),
    page_image=Path("/store/pages/ab-p4-z200.png"),
    page=4,
    alt="Extrait de la page 4 de bilan-exemple.pdf",
    width=617,
    height=90,
    located=True,
)


def test_the_crop_links_to_the_whole_page_in_a_new_tab() -> None:
    html = picture_html(PICTURE, lambda path: f"/f/{path.name}")
    (a, link), (img, image), (span, text) = parsed(html)
    assert (a, img, span) == ("a", "img", "span") and text["class"] == "extrait-texte"
    assert link["href"] == "/f/ab-p4-z200.png"
    assert link["target"] == "_blank" and link["rel"] == "noopener"
    assert link["aria-label"] == link["title"] == "Ouvrir la page 4 en grand (nouvel onglet)"
    assert image["src"] == "/f/ab-p4-extrait-01.png"
    assert image["alt"] == "Extrait de la page 4 de bilan-exemple.pdf"
    assert image["loading"] == "lazy" and image["class"] == "extrait"
    assert (image["width"], image["height"]) == ("617", "90")
    assert "max-width:100%" in (image["style"] or "")
    # Shown instead of the crop where it would be too small to read (a phone: ``ui.french``).
    assert html.endswith('><span class="extrait-texte">Voir la page 4 en image</span></a>')


def test_every_attribute_is_escaped() -> None:
    hostile = PassagePicture(
        crop=Path('/s/pages/"><script>x</script>.png'),
        page_image=Path("/s/pages/a&b'.png"),
        page=2,
        alt='Extrait de la page 2 de "><img src=x onerror=alert(1)>.pdf',
        width=10,
        height=10,
        located=True,
    )
    html = picture_html(hostile, str)
    assert "<script>" not in html and "onerror=alert(1)>" not in html
    tags = parsed(html)
    assert [tag for tag, _ in tags] == ["a", "img", "span"]  # nothing broke out of an attribute
    assert tags[0][1]["href"] == "/s/pages/a&b'.png"
    assert tags[1][1]["alt"] == hostile.alt and tags[1][1]["src"] == str(hostile.crop)


def test_the_served_url_passes_the_gate(tmp_path: Path) -> None:
    crop = tmp_path / "mon store #1" / "pages" / "ab-p4.png"
    url = served_url(crop)
    assert url.startswith(FILE_PREFIX + "/") and "#" not in url and " " not in url
    from urllib.parse import unquote

    path = unquote(url)  # what the server's router sees
    assert path == FILE_PREFIX + str(crop.resolve())
    assert refusal(path, user="membre", admin=False, login=True) is None
