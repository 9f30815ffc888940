"""The real-layout documents really have the layouts issue 26 lists, measured on the built PDFs."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from itertools import pairwise

import pdfplumber
import pytest
from pdfplumber.page import Page

from tests.designed import real_content, word_export
from tests.designed.layout_checks import (
    X_TOLERANCE,
    find_words,
    hyphen_tails,
    layer_words,
    page_text,
    printed_words,
    squash,
    without_calls,
    word_list,
)
from tests.designed.real_layouts import (
    GUIDE,
    NOTE,
    PRIVATE_USE,
    REPORT,
    LayoutExpectations,
    RealLayouts,
)

CM = 72 / 2.54
LEFT, TEXT_WIDTH, GUTTER = 2 * CM, 17 * CM, 0.8 * CM
COLUMN = (TEXT_WIDTH - GUTTER) / 2
NAMES = (REPORT, GUIDE, NOTE)


@pytest.fixture(scope="module")
def pdfs(real_layouts: RealLayouts) -> Iterator[dict[str, pdfplumber.PDF]]:
    opened = {name: pdfplumber.open(path) for name, path in real_layouts.pdfs.items()}
    yield opened
    for document in opened.values():
        document.close()


def crop_text(page: Page, x0: float, top: float, x1: float, bottom: float) -> str:
    return without_calls(page.crop((x0, top, x1, bottom))).extract_text(x_tolerance=X_TOLERANCE) or ""


def word(page: Page, text: str, **near: float) -> dict:
    """The first word ``text`` of the page (below ``near['below']`` when given)."""
    below = near.get("below", 0)
    return next(
        w
        for w in page.extract_words(extra_attrs=["size", "fontname"])
        if w["text"] == text and w["top"] > below
    )


def band_geometry(page: Page) -> dict[str, float]:
    """Where the bands of the report's page 2 lie: under the chapter heading down to the figure,
    and between the headings 1.1 and 1.2."""
    image = page.images[0]
    return {
        "band1_top": word(page, "Une")["bottom"] + 2,
        "band1_bottom": image["top"] - 2,
        "band2_top": word(page, "1.1")["bottom"] + 2,
        "band2_bottom": word(page, "1.2")["top"] - 2,
    }


def banded_text(page: Page) -> str:
    """The band page read as a person reads it: each band's left column, then its right column."""
    at = band_geometry(page)
    left, right = (LEFT - 1, LEFT + COLUMN + 1), (LEFT + COLUMN + GUTTER - 1, LEFT + TEXT_WIDTH + 1)
    parts = [
        crop_text(page, 0, 0, page.width, at["band1_top"]),
        crop_text(page, left[0], at["band1_top"], left[1], at["band1_bottom"]),
        crop_text(page, right[0], at["band1_top"], right[1], at["band1_bottom"]),
        crop_text(page, 0, at["band1_bottom"], page.width, at["band2_top"]),
        crop_text(page, left[0], at["band2_top"], left[1], at["band2_bottom"]),
        crop_text(page, right[0], at["band2_top"], right[1], at["band2_bottom"]),
        crop_text(page, 0, at["band2_bottom"], page.width, page.height),
    ]
    return "\n".join(parts)


def readings(pdfs: dict[str, pdfplumber.PDF], name: str, number: int) -> list[str]:
    texts = [page_text(pdfs[name], number)]
    if (name, number) == (REPORT, 2):
        texts.append(banded_text(pdfs[name].pages[1]))
    return [squash(text) for text in texts]


def test_page_counts_and_expectations(pdfs: dict[str, pdfplumber.PDF], real_layouts: RealLayouts) -> None:
    for name in NAMES:
        expected = real_layouts.expectations[name]
        assert len(pdfs[name].pages) == expected.pages, name
        record = json.loads(expected.to_json())
        assert record["name"] == name
        assert len(expected.key_sentences) >= 8
        for sentence, _ in expected.key_sentences:
            assert " ".join(sentence.split()) in " ".join(expected.source.split()), sentence


@pytest.mark.parametrize("name", NAMES)
def test_running_lines_are_where_the_expectations_say(
    pdfs: dict[str, pdfplumber.PDF], real_layouts: RealLayouts, name: str
) -> None:
    expected = real_layouts.expectations[name]
    printed = dict(expected.running)
    for number in range(1, expected.pages + 1):
        text = page_text(pdfs[name], number)
        for running in expected.running_texts:
            assert (running in text) == (printed.get(number) == running), (name, number, running)
    if name != NOTE:  # the title page has no footer; odd and even pages have different ones
        assert 1 not in printed
        assert len(expected.running_texts) == 2


@pytest.mark.parametrize("name", NAMES)
def test_key_sentences_are_on_their_pages(
    pdfs: dict[str, pdfplumber.PDF], real_layouts: RealLayouts, name: str
) -> None:
    for sentence, number in real_layouts.expectations[name].key_sentences:
        if sentence == real_content.PAGE_SENTENCE:
            continue  # test_a_paragraph_crosses_the_page_break
        assert any(squash(sentence) in text for text in readings(pdfs, name, number)), (name, sentence)


def test_band_one_sentence_runs_from_the_left_column_into_the_right_one(
    pdfs: dict[str, pdfplumber.PDF],
) -> None:
    page = pdfs[REPORT].pages[1]
    at = band_geometry(page)
    left = squash(crop_text(page, LEFT - 1, at["band1_top"], LEFT + COLUMN + 1, at["band1_bottom"]))
    right = squash(
        crop_text(page, LEFT + COLUMN + GUTTER - 1, at["band1_top"], page.width, at["band1_bottom"])
    )
    words = real_content.COLUMN_SENTENCE.split()
    assert squash(" ".join(words[:6])) in left
    assert squash(" ".join(words[-6:])) in right
    assert squash(real_content.COLUMN_SENTENCE) not in left
    assert squash(real_content.COLUMN_SENTENCE) not in right
    # Band 2 starts under the figure, in two columns; its first sentence is in the left one.
    band2_left = crop_text(page, LEFT - 1, at["band2_top"], LEFT + COLUMN + 1, at["band2_bottom"])
    band2_right = crop_text(page, LEFT + COLUMN + GUTTER - 1, at["band2_top"], page.width, at["band2_bottom"])
    assert squash(" ".join(real_content.BAND_2.blocks[0].text.split()[:8])) in squash(band2_left)
    assert squash("Les chantiers de sobriété foncière") in squash(band2_right)


def test_the_bands_are_cut_by_a_full_width_figure_and_headings(pdfs: dict[str, pdfplumber.PDF]) -> None:
    page = pdfs[REPORT].pages[1]
    at = band_geometry(page)
    (image,) = page.images
    assert image["x0"] == pytest.approx(LEFT, abs=2)
    assert image["x1"] == pytest.approx(LEFT + TEXT_WIDTH, abs=2)
    caption = word(page, "Figure")
    assert image["bottom"] < caption["top"] < at["band2_top"]
    for top, bottom in ((at["band1_top"], at["band1_bottom"]), (at["band2_top"], at["band2_bottom"])):
        body = [w for w in page.extract_words() if top < w["top"] < bottom]
        in_left = [w for w in body if w["x1"] <= LEFT + COLUMN + 1]
        in_right = [w for w in body if w["x0"] >= LEFT + COLUMN + GUTTER - 1]
        assert len(in_left) + len(in_right) == len(body)
        assert len({round(w["top"]) for w in in_left}) >= 8
        assert len({round(w["top"]) for w in in_right}) >= 8
    for label in ("1.1", "1.2", "1."):
        heading = word(page, label)
        assert heading["x0"] == pytest.approx(LEFT, abs=1)
        assert "Bold" in heading["fontname"]
    # Justified and hyphenated: words of the bands are cut at line ends.
    text = crop_text(page, 0, at["band1_top"], LEFT + COLUMN + 1, at["band1_bottom"])
    assert text.count("-\n") >= 3


def test_a_paragraph_crosses_the_page_break(pdfs: dict[str, pdfplumber.PDF]) -> None:
    words = real_content.PAGE_SENTENCE.split()
    second, third = (squash(page_text(pdfs[REPORT], number)) for number in (2, 3))
    assert squash(" ".join(words[:8])) in second
    assert squash(" ".join(words[-8:])) in third
    assert squash(real_content.PAGE_SENTENCE) not in second
    assert squash(real_content.PAGE_SENTENCE) not in third
    # The notes of page 2 lie between the two halves, at the page foot.
    assert squash(real_content.FUND_NOTE.text) in second


@pytest.mark.parametrize("name", NAMES)
def test_headings_are_on_their_pages_in_bold_two_of_them_on_two_lines(
    pdfs: dict[str, pdfplumber.PDF], real_layouts: RealLayouts, name: str
) -> None:
    expected = real_layouts.expectations[name]
    for label, number in (*expected.headings, *expected.empty_headings):
        assert any(squash(label) in text for text in readings(pdfs, name, number)), label
        printed = find_words(pdfs[name].pages[number - 1], label)
        assert all("Bold" in w["fontname"] for w in printed), label
        assert min(w["size"] for w in printed) > 11.4, label
        lines = {round(w["top"]) for w in printed}
        assert len(lines) == (2 if label in expected.two_line_headings else 1), label
    assert len(expected.two_line_headings) == (0 if name == NOTE else 2)


@pytest.mark.parametrize("name", NAMES)
def test_empty_headings_are_followed_by_a_heading(
    pdfs: dict[str, pdfplumber.PDF], real_layouts: RealLayouts, name: str
) -> None:
    (label, number), *_ = real_layouts.expectations[name].empty_headings
    page = pdfs[name].pages[number - 1]
    last = find_words(page, label)[-1]
    below = [w for w in page.extract_words(extra_attrs=["fontname"]) if w["top"] > last["bottom"] + 1]
    following = min(below, key=lambda w: (round(w["top"]), w["x0"]))
    assert "Bold" in following["fontname"]  # the next line is the next heading
    assert following["top"] - last["top"] < 45


@pytest.mark.parametrize("name", NAMES)
def test_the_lead_line_is_bold_and_larger_than_the_body(
    pdfs: dict[str, pdfplumber.PDF], real_layouts: RealLayouts, name: str
) -> None:
    (lead, number), *_ = real_layouts.expectations[name].lead_lines
    page = pdfs[name].pages[number - 1]
    printed = find_words(page, lead)
    assert len({round(w["top"]) for w in printed}) == 1  # one line
    assert all(w["size"] == pytest.approx(12.5, abs=0.1) and "Bold" in w["fontname"] for w in printed)
    sizes = Counter(round(c["size"], 1) for c in page.chars)
    assert sizes.most_common(1)[0][0] == pytest.approx(11, abs=0.1)  # the body's size


@pytest.mark.parametrize("name", [REPORT, GUIDE])
def test_boxes_are_framed_by_rules(
    pdfs: dict[str, pdfplumber.PDF], real_layouts: RealLayouts, name: str
) -> None:
    """Each box's heading and paragraphs lie between two horizontal rules as wide as the text."""
    for box in real_layouts.expectations[name].boxes:
        page = pdfs[name].pages[box.page - 1]
        printed = find_words(page, box.heading)
        assert all("Bold" in w["fontname"] for w in printed), box.heading
        heading = printed[0]
        rules = sorted(
            e["top"] for e in page.edges if e["orientation"] == "h" and e["width"] > 0.9 * TEXT_WIDTH
        )
        above = max(top for top in rules if top < heading["top"])
        below = min(top for top in rules if top > heading["bottom"])
        assert heading["top"] - above < 20
        inside = squash(crop_text(page, 0, above, page.width, below))
        assert squash(box.heading) in inside
        for paragraph in box.paragraphs:
            assert squash(paragraph) in inside, paragraph
    assert len(real_layouts.expectations[name].boxes) == 3


@pytest.mark.parametrize("name", [REPORT, GUIDE])
def test_bullets_are_private_use_symbol_characters(
    pdfs: dict[str, pdfplumber.PDF], real_layouts: RealLayouts, name: str
) -> None:
    expected = real_layouts.expectations[name]
    drawn = [c["text"] for page in pdfs[name].pages for c in page.chars]
    private = [c for c in drawn if PRIVATE_USE[0] <= ord(c) <= PRIVATE_USE[1]]
    assert sorted(set(private)) == sorted(expected.bullets)
    assert len(private) == 5  # one per item of the two lists


@pytest.mark.parametrize("name", [REPORT, GUIDE])
def test_the_grid_table_is_ruled_with_a_header_row(
    pdfs: dict[str, pdfplumber.PDF], real_layouts: RealLayouts, name: str
) -> None:
    expected = real_layouts.expectations[name]
    header = list(expected.table_rows[0])
    number = 4 if name == REPORT else 2
    page = pdfs[name].pages[number - 1]
    first = word(page, header[0])
    line = [w for w in page.extract_words(extra_attrs=["fontname"]) if abs(w["top"] - first["top"]) < 2]
    assert " ".join(w["text"] for w in line) == " ".join(header)
    assert all("Bold" in w["fontname"] for w in line)
    text = squash(page_text(pdfs[name], number))
    for row in expected.table_rows:
        assert all(squash(cell) in text for cell in row.values()), row
    horizontal = [e for e in page.edges if e["orientation"] == "h" and e["top"] > first["top"] - 10]
    assert len({round(e["top"]) for e in horizontal}) >= len(expected.table_rows) + 2


@pytest.mark.parametrize("name", [REPORT, NOTE])
def test_note_calls_are_raised_small_digits_and_the_notes_lie_at_the_page_foot(
    pdfs: dict[str, pdfplumber.PDF], real_layouts: RealLayouts, name: str
) -> None:
    for note in real_layouts.expectations[name].notes:
        page = pdfs[name].pages[note.page - 1]
        chars = page.chars
        tail = note.word[-1]
        calls = [
            (before, call)
            for before, call in pairwise(chars)
            if call["text"] == note.call and before["text"] == tail and call["size"] < 8
        ]
        assert calls, note
        before, call = calls[0]
        assert call["x0"] - before["x1"] < 2
        assert call["bottom"] < before["bottom"] - 1.5  # raised
        printed = find_words(page, note.note)
        assert min(w["top"] for w in printed) > page.height * 0.8, note
        assert max(w["size"] for w in printed) < 10, note


def test_the_word_export_places_glyph_clusters_one_by_one(pdfs: dict[str, pdfplumber.PDF]) -> None:
    """Within words, clusters sit a little apart or a little over each other (kerning); on half
    the justified lines no space glyph separates the words, only a wider move."""
    page = pdfs[NOTE].pages[0]
    chars = [c for c in page.chars if c["size"] == pytest.approx(11, abs=0.01)]
    gaps = [b["x0"] - a["x1"] for a, b in pairwise(chars) if abs(a["top"] - b["top"]) < 1]
    in_words = [gap for gap in gaps if -0.5 < gap < 1.0]
    assert sum(gap > 0.15 for gap in in_words) >= 100
    assert sum(gap < -0.1 for gap in in_words) >= 40
    assert sum(gap > 2.5 for gap in gaps) >= 60  # word gaps drawn without a space glyph
    words = word_list(page_text(pdfs[NOTE], 1))
    assert {"réseau", "code", "opérations"} <= set(words)
    assert "²" in "".join(c["text"] for c in chars)
    assert word_export.FOOTER in page_text(pdfs[NOTE], 1)


@pytest.mark.parametrize("name", NAMES)
def test_the_text_layer_words_are_the_documents_words(
    pdfs: dict[str, pdfplumber.PDF], real_layouts: RealLayouts, name: str
) -> None:
    """Every word of each page's text layer is a word the document writes, or the second half of
    a word hyphenated at a line end: the denominator of the readers' word coverage is sound."""
    expected: LayoutExpectations = real_layouts.expectations[name]
    vocabulary = set(word_list(expected.source))
    running = dict(expected.running)
    for number, page in enumerate(pdfs[name].pages, start=1):
        printed = printed_words(page)
        layer = layer_words(printed, [running.get(number, "")])
        unknown = set(layer) - vocabulary
        assert sum(layer.values()) > 20
        assert unknown <= hyphen_tails(printed, vocabulary), (name, number, sorted(unknown))
