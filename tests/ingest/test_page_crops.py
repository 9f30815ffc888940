"""Pictures of cited passages: the part of the PDF page where the passage lies, found on the
sample report and on the designed report (columns, tables, hyphenation, ligatures), cached,
and a typed error, never a hang or a crash, for a file that cannot be shown."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from PIL import Image

from ingest.errors import Reason
from ingest.page_crops import (
    CROP_ZOOM,
    MAX_HEIGHT,
    VIEW_ZOOM,
    PassageCrop,
    PictureError,
    passage_crop,
    segments,
    tokens,
    top_of_page,
)
from ingest.pdf import load_pdf
from tests.conftest import ROOT
from tests.designed.documents import DesignedReport

SAMPLE_PDF = ROOT / "sample" / "bilan-exemple.pdf"
SHA = "ab" * 32


def passage(pdf: Path, page: int, start: str) -> str:
    """The text the index keeps for the passage of ``page`` that starts with ``start``."""
    blocks = [b for b in load_pdf(pdf).blocks if b.page == page and b.text.startswith(start)]
    assert blocks, f"no passage of page {page} starts with {start!r}"
    return blocks[0].text


def words_inside(pdf: Path, crop: PassageCrop) -> list[str]:
    """The tokens pdfplumber reads inside the crop's region, read afresh from the PDF."""
    found: list[str] = []
    with pdfplumber.open(pdf) as document:
        for region in crop.regions:
            inside = document.pages[crop.page - 1].within_bbox(
                (region.x0, region.top, region.x1, region.bottom)
            )
            found += tokens(" ".join(word["text"] for word in inside.extract_words()))
    return found


def contains_in_order(found: list[str], wanted: list[str]) -> bool:
    """``wanted`` written in a row in ``found`` (a note's call may stick to a word: « 1helene »)."""
    return " ".join(wanted) in " ".join(found)


def assert_shows(pdf: Path, crop: PassageCrop, text: str) -> None:
    """The crop was found, holds the passage's first and last words, and has the size its
    region and zoom give, within the bounds."""
    assert crop.located
    pieces = segments(text)
    inside = words_inside(pdf, crop)
    for wanted in (pieces[0][:3], pieces[-1][-3:]):
        if len(pieces) == 1:  # prose: its words in order
            assert contains_in_order(inside, wanted), (wanted, inside)
        else:  # a table row, whose cells' lines pdfplumber reads across the row: its first
            # and last words (a cell's word may be cut at its line end: « Ver- dan »)
            assert pieces[0][0] in inside and pieces[-1][-1] in inside, (pieces, inside)
    assert sum(region.height for region in crop.regions) <= MAX_HEIGHT + 0.01
    with Image.open(crop.crop) as image:
        assert image.format == "PNG"
        assert image.size == (crop.width, crop.height)
    assert abs(crop.width - max(r.x1 - r.x0 for r in crop.regions) * CROP_ZOOM) <= 2
    assert abs(crop.height - sum(r.height for r in crop.regions) * CROP_ZOOM) <= 2 * len(crop.regions)
    assert 300 <= crop.width <= 1500 and 40 <= crop.height <= MAX_HEIGHT * CROP_ZOOM + 2


SAMPLE_PASSAGES = [
    (2, "Une communauté apprenante est un groupe"),  # a paragraph across the page
    (7, "Le troisième besoin est un espace numérique partagé"),  # the two-column page
    (11, "« Ce que nous retenons, c'est la confiance"),  # boxed, ligatures, « mon-/trer »
    (4, "Territoire : Syndicat mixte des Monts Cendrés"),  # a table row (labels in the header)
    (9, "Activité : Suivi des territoires"),  # an unruled table's row, short cells
]


@pytest.mark.parametrize(("page", "start"), SAMPLE_PASSAGES)
def test_a_sample_passage_is_cropped_where_it_lies(tmp_path: Path, page: int, start: str) -> None:
    text = passage(SAMPLE_PDF, page, start)
    crop = passage_crop(SAMPLE_PDF, page, text, SHA, tmp_path / "pages")
    assert crop.crop.parent == crop.page_image.parent == tmp_path / "pages"
    assert_shows(SAMPLE_PDF, crop, text)
    with Image.open(crop.page_image) as image:  # the whole page, for the viewer
        assert image.size == (round(595.28 * VIEW_ZOOM), round(841.89 * VIEW_ZOOM))


def test_a_column_passage_is_cropped_to_its_column(tmp_path: Path) -> None:
    text = passage(SAMPLE_PDF, 7, "Le deuxième besoin concerne les élus")
    crop = passage_crop(SAMPLE_PDF, 7, text, SHA, tmp_path / "pages")
    assert crop.regions[0].x1 < 595.28 / 2 + 40  # the left column only
    assert_shows(SAMPLE_PDF, crop, text)


def test_a_table_row_is_cropped_to_its_row(tmp_path: Path) -> None:
    rows = [b.text for b in load_pdf(SAMPLE_PDF).blocks if b.page == 4 and b.text.startswith("Territoire :")]
    crops = [passage_crop(SAMPLE_PDF, 4, row, SHA, tmp_path / "pages") for row in rows]
    for row, crop in zip(rows, crops, strict=True):
        assert_shows(SAMPLE_PDF, crop, row)
    tops = [crop.regions[0].top for crop in crops]
    assert tops == sorted(tops) and len(set(tops)) == 3  # one crop a row, in the table's order


def test_designed_report_passages_are_found_in_their_columns(
    designed_report: DesignedReport, tmp_path: Path
) -> None:
    pdf = designed_report.pdf
    blocks = load_pdf(pdf).blocks
    assert len(blocks) > 20
    for block in blocks:
        assert block.page is not None
        crop = passage_crop(pdf, block.page, block.text, "cd" * 32, tmp_path / "pages")
        if block.page_end and block.page_end != block.page:  # its end is on the next page
            assert crop.located and contains_in_order(words_inside(pdf, crop), segments(block.text)[0][:3])
        else:
            assert_shows(pdf, crop, block.text)
    # the three-column page: each passage shown in its own column(s)
    three = [b for b in blocks if b.page == 3 and not b.cells and not b.note]
    assert len(three) >= 3
    shown = [passage_crop(pdf, 3, b.text, "cd" * 32, tmp_path / "pages").regions for b in three]
    assert all(region.x1 - region.x0 < 595.28 / 2 for regions in shown for region in regions)
    # a paragraph going on in the next column: both parts, the start first
    across = next(b for b in blocks if b.page == 2 and b.text.startswith("La deuxième journée"))
    crop = passage_crop(pdf, 2, across.text, "cd" * 32, tmp_path / "pages")
    assert len(crop.regions) == 2 and crop.regions[0].x1 < crop.regions[1].x0


def test_a_second_request_renders_nothing(tmp_path: Path) -> None:
    text = passage(SAMPLE_PDF, 8, "Le cycle a réuni 47 participants")
    cache = tmp_path / "pages"
    pdf = tmp_path / "bilan.pdf"
    pdf.write_bytes(SAMPLE_PDF.read_bytes())
    first = passage_crop(pdf, 8, text, SHA, cache)
    stamps = (first.crop.stat().st_mtime_ns, first.page_image.stat().st_mtime_ns)
    pdf.unlink()  # nothing left to read or render: only the cache can answer now
    again = passage_crop(pdf, 8, text, SHA, cache)
    assert again == first
    assert (again.crop.stat().st_mtime_ns, again.page_image.stat().st_mtime_ns) == stamps
    assert sorted(p.name for p in cache.iterdir()) == sorted([first.crop.name, first.page_image.name])
    with pytest.raises(PictureError, match="fichier introuvable"):  # what a request that renders meets
        passage_crop(pdf, 8, passage(SAMPLE_PDF, 8, "Un second effet"), SHA, cache)
    # another passage of the same page: a new crop, the page picture shared
    other = passage_crop(SAMPLE_PDF, 8, passage(SAMPLE_PDF, 8, "Un second effet"), SHA, cache)
    assert other.crop != first.crop and other.page_image == first.page_image
    assert other.page_image.stat().st_mtime_ns == stamps[1]


def test_a_passage_not_on_the_page_gives_the_top_of_the_page(tmp_path: Path) -> None:
    text = passage(SAMPLE_PDF, 8, "Le cycle a réuni 47 participants")
    crop = passage_crop(SAMPLE_PDF, 2, text, SHA, tmp_path / "pages")
    assert not crop.located
    assert crop.regions == (top_of_page(595.2756, 841.8898),)
    assert crop.height == round(MAX_HEIGHT * CROP_ZOOM)
    picture_page = passage_crop(SAMPLE_PDF, 10, text, SHA, tmp_path / "pages")  # no text layer
    assert not picture_page.located and picture_page.crop.is_file()


def test_files_that_cannot_be_shown_give_a_typed_error(tmp_path: Path) -> None:
    cache = tmp_path / "pages"
    with pytest.raises(PictureError, match="fichier introuvable") as missing:
        passage_crop(tmp_path / "absent.pdf", 1, "texte", SHA, cache)
    assert missing.value.reason == Reason.MISSING
    fake = tmp_path / "faux.pdf"
    fake.write_text("pas un PDF", encoding="utf-8")
    with pytest.raises(PictureError, match=r"^faux\.pdf : ce fichier n'est pas un PDF"):
        passage_crop(fake, 1, "texte", SHA, cache)
    corrupt = tmp_path / "casse.pdf"
    corrupt.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\n" + bytes(range(256)) * 40)
    with pytest.raises(PictureError, match=r"^casse\.pdf : "):
        passage_crop(corrupt, 1, "texte", SHA, cache)
    with pytest.raises(PictureError, match=r"^bilan-exemple\.pdf : pas de page 13$"):
        passage_crop(SAMPLE_PDF, 13, "texte", SHA, cache)
    assert not any(p.suffix == ".png" for p in cache.iterdir())  # nothing half-made is kept


def test_a_reader_that_overruns_its_time_is_stopped(tmp_path: Path) -> None:
    with pytest.raises(PictureError, match="interrompue") as stopped:
        passage_crop(SAMPLE_PDF, 2, "texte", SHA, tmp_path / "pages", seconds=0.001)
    assert stopped.value.reason == Reason.TIMEOUT
    crop = passage_crop(SAMPLE_PDF, 2, "texte", SHA, tmp_path / "pages", seconds=30)  # a fresh reader
    assert crop.crop.is_file()


def test_the_crop_is_named_by_content_and_parameters(tmp_path: Path) -> None:
    crop = passage_crop(SAMPLE_PDF, 8, "Le cycle a réuni 47 participants", SHA, tmp_path / "pages", seconds=0)
    assert crop.crop.name.startswith(f"{SHA[:16]}-p8-extrait-")
    assert crop.page_image.name == f"{SHA[:16]}-p8-z200.png"
    same_words = passage_crop(SAMPLE_PDF, 8, "Le  cycle a\nréuni 47 participants", SHA, tmp_path / "pages")
    assert same_words.crop == crop.crop  # the passage's words make its name, not its spacing
