"""Pictures of cited passages: the part of the PDF page where the passage lies, found on the
sample report and on the designed report (columns, tables, hyphenation, ligatures), cached,
and a typed error, never a hang or a crash, for a file that cannot be shown."""

from __future__ import annotations

import threading
import time
import zlib
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
    forget_failures,
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


VERGER = "Le verger de Brumeval compte 42 arbres fruitiers."


def slow_page_pdf(path: Path, draws: int = 1500, side: int = 4000) -> Path:
    """The red team's hostile PDF, in small: page 1 holds one line of text under a gray image
    of ``side`` x ``side`` pixels drawn ``draws`` times over the whole page. A file of 20 kB
    and little memory (the image is decoded once), but every rendering of the page resamples
    it ``draws`` times: about 30 s of CPU."""
    pixels = zlib.compress(bytes(side * side), 9)
    draw = b"q 595 0 0 842 0 0 cm /Im0 Do Q\n" * draws
    content = draw + b"BT /F1 11 Tf 50 780 Td (%s) Tj ET\n" % VERGER.encode("latin-1")
    objects = [
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
        % (side, side, len(pixels), pixels),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Page /Parent 5 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
        b"/Resources << /Font << /F1 1 0 R >> /XObject << /Im0 2 0 R >> >> >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Catalog /Pages 5 0 R >>",
    ]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 7\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size 7 /Root 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    path.write_bytes(bytes(out))
    return path


def timed_crop(
    pdf: Path, page: int, text: str, sha: str, *, cache: Path, seconds: float
) -> tuple[float, str]:
    """When the crop ended (``time.monotonic``) and how: « ok » or the failure's reason."""
    try:
        passage_crop(pdf, page, text, sha, cache, seconds=seconds)
        outcome = "ok"
    except PictureError as error:
        outcome = error.reason.value
    return time.monotonic(), outcome


def test_a_page_too_slow_to_render_is_tried_once_and_holds_no_other_page(tmp_path: Path) -> None:
    """N8: each answer citing the hostile page started the child again (20 s), one at a
    time behind a global lock that every other new crop waited on too: three readers asking
    at once waited 20, 40 and 60 s. Now the page is tried once (the others waiting for it
    then get its failure), remembered, and other pages are cropped beside it."""
    forget_failures()
    slow = slow_page_pdf(tmp_path / "verger.pdf")
    cache, limit, sha = tmp_path / "pages", 8.0, "ef" * 32
    ended: dict[str, tuple[float, str]] = {}

    def reader(name: str, pdf: Path = slow, page: int = 1, text: str = VERGER) -> None:
        ended[name] = timed_crop(pdf, page, text, sha, cache=cache, seconds=limit)

    # two crops at once start the two children (a child's start, about a second, is not timed here)
    warm = [threading.Thread(target=reader, args=(f"p{n}", SAMPLE_PDF, n, "texte")) for n in (2, 3)]
    for thread in warm:
        thread.start()
    for thread in warm:
        thread.join()
    assert [ended["p2"][1], ended["p3"][1]] == ["ok", "ok"]
    asked = [threading.Thread(target=reader, args=(f"lecteur {n}",)) for n in (1, 2, 3)]
    started = time.monotonic()
    for thread in asked:
        thread.start()
    time.sleep(0.5)  # the slow page is being rendered: another PDF's page is asked for
    other = passage(SAMPLE_PDF, 8, "Le cycle a réuni 47 participants")
    ended["autre page"] = timed_crop(SAMPLE_PDF, 8, other, SHA, cache=cache, seconds=limit)
    for thread in asked:
        thread.join()
    slow_ends = [ended[f"lecteur {n}"] for n in (1, 2, 3)]
    assert [outcome for _, outcome in slow_ends] == [Reason.TIMEOUT.value] * 3
    assert ended["autre page"][1] == "ok" and ended["autre page"][0] < min(end for end, _ in slow_ends)
    assert max(end for end, _ in slow_ends) - started < limit + 4  # once, not three times in a row
    # the next answers citing the page: at once, for any of its passages
    for text in (VERGER, "Brumeval"):
        began = time.monotonic()
        with pytest.raises(PictureError, match="interrompue") as again:
            passage_crop(slow, 1, text, sha, cache, seconds=limit)
        assert again.value.reason == Reason.TIMEOUT and time.monotonic() - began < 0.5
    forget_failures()


def test_a_crop_that_fails_is_remembered(tmp_path: Path) -> None:
    """A crop that overran its time: the next request for the page gets the same failure
    at once, without starting a child again; a damaged PDF's failure is remembered too."""
    forget_failures()
    slow, cache = slow_page_pdf(tmp_path / "verger.pdf"), tmp_path / "pages"
    with pytest.raises(PictureError, match="interrompue") as first:
        passage_crop(slow, 1, VERGER, "ef" * 32, cache, seconds=1.0)
    began = time.monotonic()
    with pytest.raises(PictureError) as second:
        passage_crop(slow, 1, "Brumeval", "ef" * 32, cache, seconds=1.0)
    assert time.monotonic() - began < 0.05
    assert (str(second.value), second.value.reason) == (str(first.value), first.value.reason)
    corrupt = tmp_path / "casse.pdf"
    corrupt.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\n" + bytes(range(256)) * 40)
    with pytest.raises(PictureError, match=r"^casse\.pdf : ") as damaged:
        passage_crop(corrupt, 1, "texte", SHA, cache, seconds=30)
    with pytest.raises(PictureError) as again:
        passage_crop(corrupt, 1, "autre texte", SHA, cache, seconds=30)
    assert str(again.value) == str(damaged.value)
    forget_failures()
