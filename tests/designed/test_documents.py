"""The designed report really exhibits the layouts it claims, checked on the PDF LibreOffice made.

The benchmark trusts the expectations (pages, cut sentences, repeated header...); these tests are
what makes that trust deserved, measuring the PDF with pdfplumber rather than assuming the layout.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator

import pdfplumber
import pytest
from pdfplumber.page import Page

from tests.designed.content import (
    BLOCKS,
    COLUMN_BREAK_SENTENCE,
    COLUMNS_2,
    COLUMNS_3,
    FOOTER,
    FOOTNOTE,
    HEADER,
    PAGE_BREAK_SENTENCE,
    THREE_COLUMN_BREAK_SENTENCE,
    Columns,
)
from tests.designed.documents import PAGES, DesignedReport, markdown

CM = 72 / 2.54
LEFT_MARGIN = 2 * CM
CONTENT_WIDTH = 17 * CM
INDENT = 0.4 * CM
BODY_TOP, BODY_BOTTOM = 75, 780  # below the running header, above the footer (points)
COLUMN_PAGES = {2: COLUMNS_2, 3: COLUMNS_3}


def squash(text: str) -> str:
    """Text without spaces, line breaks and hyphens: a sentence matches whatever the line breaking."""
    return re.sub(r"[\s\-‐]+", "", text)


def column_bounds(columns: Columns) -> list[tuple[float, float]]:
    """The x extent of each column, from the rel-widths and the 0.4 cm indents odt.py writes."""
    total = sum(columns.widths)
    bounds, start = [], LEFT_MARGIN
    for index, width in enumerate(columns.widths):
        end = start + CONTENT_WIDTH * width / total
        left = start + (INDENT if index else 0)
        right = end - (INDENT if index < len(columns.widths) - 1 else 0)
        bounds.append((left, right))
        start = end
    return bounds


@pytest.fixture(scope="module")
def pdf(designed_report: DesignedReport) -> Iterator[pdfplumber.PDF]:
    with pdfplumber.open(designed_report.pdf) as document:
        yield document


def page_text(pdf: pdfplumber.PDF, number: int) -> str:
    return pdf.pages[number - 1].extract_text() or ""


def column_texts(page: Page, columns: Columns, top: float) -> list[str]:
    """Each column's text, read separately (cropped to its bounds, below ``top``)."""
    return [
        page.crop((left - 1, top, right + 1, BODY_BOTTOM)).extract_text() or ""
        for left, right in column_bounds(columns)
    ]


def readings(pdf: pdfplumber.PDF, number: int) -> list[str]:
    """The page's text, and on a page in columns each column's text too (read across, lines mix)."""
    page = pdf.pages[number - 1]
    columns = COLUMN_PAGES.get(number)
    return [page.extract_text() or "", *(column_texts(page, columns, BODY_TOP) if columns else [])]


def heading_top(page: Page, word: str) -> float:
    return next(w["top"] for w in page.extract_words() if w["text"] == word)


def test_the_report_has_five_pages(pdf: pdfplumber.PDF) -> None:
    assert len(pdf.pages) == PAGES


def test_header_and_footer_are_on_every_page(pdf: pdfplumber.PDF) -> None:
    for number in range(1, PAGES + 1):
        text = page_text(pdf, number)
        assert HEADER in text
        assert f"{FOOTER} — Page {number}" in text


def test_headings_are_numbered_by_libreoffice_at_their_sizes(
    pdf: pdfplumber.PDF, designed_report: DesignedReport
) -> None:
    for label, level, number in designed_report.expectations.headings:
        page = pdf.pages[number - 1]
        assert any(squash(label) in squash(text) for text in readings(pdf, number)), label
        words = page.extract_words(extra_attrs=["size", "fontname"])
        numbers = [w for w in words if w["text"] == label.split()[0] and "Bold" in w["fontname"]]
        assert numbers, label
        assert numbers[0]["size"] == pytest.approx(14 if level == 1 else 12.5, abs=0.2)
    body = [w for w in pdf.pages[0].extract_words(extra_attrs=["size"]) if w["text"] == "Entre"]
    assert body[0]["size"] == pytest.approx(11, abs=0.1)


def test_key_sentences_are_on_their_pages(pdf: pdfplumber.PDF, designed_report: DesignedReport) -> None:
    for sentence, number in designed_report.expectations.key_sentences:
        start = squash(" ".join(sentence.split()[:4]))
        assert any(start in squash(text) for text in readings(pdf, number)), sentence


def test_a_sentence_continues_across_the_page_break(pdf: pdfplumber.PDF) -> None:
    first, second = squash(page_text(pdf, 1)), squash(page_text(pdf, 2))
    words = PAGE_BREAK_SENTENCE.split()
    assert squash(" ".join(words[:6])) in first
    assert squash(" ".join(words[-3:])) in second
    assert squash(PAGE_BREAK_SENTENCE) not in first
    assert squash(PAGE_BREAK_SENTENCE) not in second


# Page: its column section, the full-width heading above it, the sentence cut between column i and i+1.
COLUMN_CASES = {
    2: (COLUMNS_2, "Déroulé", COLUMN_BREAK_SENTENCE, 0),
    3: (COLUMNS_3, "Enseignements", THREE_COLUMN_BREAK_SENTENCE, 1),
}


@pytest.mark.parametrize("number", sorted(COLUMN_CASES))
def test_columns_sit_side_by_side_under_a_full_width_heading(pdf: pdfplumber.PDF, number: int) -> None:
    columns, heading, sentence, column = COLUMN_CASES[number]
    page = pdf.pages[number - 1]
    top = heading_top(page, heading) + 15
    bounds = column_bounds(columns)
    body = [w for w in page.extract_words() if top < w["top"] < BODY_BOTTOM]
    for word in body:
        assert any(left - 1 <= word["x0"] and word["x1"] <= right + 1 for left, right in bounds), word
    for left, right in bounds:
        lines = {round(w["top"]) for w in body if left - 1 <= w["x0"] and w["x1"] <= right + 1}
        assert len(lines) >= 12
    # The full-width heading and the columns share the text width.
    assert heading_top(page, heading) < min(w["top"] for w in body)
    texts = [squash(text) for text in column_texts(page, columns, top)]
    words = sentence.split()
    assert squash(" ".join(words[:3])) in texts[column]
    assert squash(" ".join(words[-2:])) in texts[column + 1]
    assert not any(squash(sentence) in text for text in texts)


def test_the_two_column_gutter_is_off_centre(pdf: pdfplumber.PDF) -> None:
    page = pdf.pages[1]
    top = heading_top(page, "Déroulé") + 15
    (_, left_end), (right_start, _) = column_bounds(COLUMNS_2)
    left_words = [w for w in page.extract_words() if top < w["top"] < BODY_BOTTOM and w["x1"] <= left_end + 1]
    centre = page.width / 2
    assert max(w["x1"] for w in left_words) > centre + 30
    assert (left_end + right_start) / 2 - centre > 30


def test_words_are_hyphenated_at_line_ends(pdf: pdfplumber.PDF) -> None:
    """French automatic hyphenation is on: several words are cut with a hyphen that the source lacks."""
    source = markdown()
    texts = [page_text(pdf, 1)]
    for number, columns in ((2, COLUMNS_2), (3, COLUMNS_3)):
        page = pdf.pages[number - 1]
        texts.extend(column_texts(page, columns, BODY_TOP))
    cut = set()
    for text in texts:
        for head, tail in re.findall(r"(\w+)-\n(\w+)", text):
            if f"{head}-{tail}" not in source and re.search(rf"\b{head}{tail}", source):
                cut.add(head + tail)
    assert len(cut) >= 8, cut


def test_the_table_header_is_repeated_on_the_next_page(
    pdf: pdfplumber.PDF, designed_report: DesignedReport
) -> None:
    rows = designed_report.expectations.table_rows
    assert len(rows) >= 12
    for number in (4, 5):
        page = pdf.pages[number - 1]
        words = page.extract_words()
        suites = next(w for w in words if w["text"] == "Suites")
        header = [w for w in words if abs(w["top"] - suites["top"]) < 2]
        assert [w["text"] for w in header] == ["Territoire", "Attentes", "Suites", "données"]
        assert len(header) == 4
        header_top = max(w["top"] for w in header)
        territories = [w for w in words if w["top"] > header_top and w["x0"] < LEFT_MARGIN + 10]
        assert territories
        assert page.rects or page.lines  # the cells are ruled
    first_column = (LEFT_MARGIN - 1, BODY_TOP, LEFT_MARGIN + 3.2 * CM, BODY_BOTTOM)
    fourth, fifth = (squash(pdf.pages[n - 1].crop(first_column).extract_text()) for n in (4, 5))
    on_fifth = [row for row in rows if squash(row["Territoire"]) in fifth]
    assert len(on_fifth) >= 2
    assert all(squash(row["Territoire"]) in fourth for row in rows if row not in on_fifth)
    # A compound wrapped at its own hyphen, the case a reader must not join into « Saint-Ormel-surLisse ».
    assert "Saint-Ormel-sur-\nLisse" in pdf.pages[3].crop(first_column).extract_text()


def test_the_footnote_sits_at_the_page_bottom(pdf: pdfplumber.PDF) -> None:
    page = pdf.pages[FOOTNOTE.page - 1]
    words = page.extract_words(extra_attrs=["size"])
    note = [w for w in words if w["text"] == "dirige"]
    assert len(note) == 1
    assert note[0]["size"] < 10
    body = [w for w in words if w["size"] == pytest.approx(11, abs=0.1) and w["top"] < BODY_BOTTOM]
    assert note[0]["top"] > max(w["bottom"] for w in body)
    assert note[0]["top"] > page.height * 0.85
    index = next(i for i, w in enumerate(words) if w["text"] == "Quérand" and w["size"] > 10)
    call, following = words[index + 1], words[index + 2]
    # The call mark is a small « 1 » glued to the word, inside the sentence (a comma follows).
    assert call["text"] == "1"
    assert call["size"] < 8
    assert call["x0"] - words[index]["x1"] < 2
    assert following["text"].startswith(",")
    assert squash(FOOTNOTE.text) in squash(page.extract_text())


def test_the_markdown_twin_has_the_same_content(designed_report: DesignedReport) -> None:
    text = designed_report.markdown.read_text(encoding="utf-8")
    expected = designed_report.expectations
    for sentence, _ in expected.key_sentences:
        assert sentence in text
    for label, level, _ in expected.headings:
        assert f"\n{'#' * level} {label}\n" in text
    for row in expected.table_rows:
        assert "| " + " | ".join(row.values()) + " |" in text
    assert "\n- " + expected.key_sentences[2][0] in text
    assert expected.footnote[0] in text
    assert sum(isinstance(block, Columns) for block in BLOCKS) == 2


def test_expectations_are_consistent_and_serialisable(designed_report: DesignedReport) -> None:
    text = designed_report.markdown.read_text(encoding="utf-8")
    expected = designed_report.expectations
    assert len(expected.key_sentences) >= 18
    assert {page for _, page in expected.key_sentences} == set(range(1, PAGES + 1)) - {4}
    for word in expected.compounds:
        assert word in text
    for question in expected.questions:
        assert question.answers
        assert all(answer in text for answer in question.answers), question
    assert json.loads(expected.to_json())["footnote"] == [FOOTNOTE.text, FOOTNOTE.page]
    lines = expected.question_lines(designed_report.pdf.name).splitlines()
    assert len(lines) == len(expected.questions) >= 12
    record = json.loads(lines[0])
    assert set(record) == {"question", "answers", "source", "page"}
    assert record["source"] == designed_report.pdf.name
    twin = json.loads(expected.question_lines(designed_report.markdown.name, pages=False).splitlines()[0])
    assert set(twin) == {"question", "answers", "source"}


def test_the_docx_and_odt_carry_the_text(designed_report: DesignedReport) -> None:
    for path, member in ((designed_report.docx, "word/document.xml"), (designed_report.odt, "content.xml")):
        with zipfile.ZipFile(path) as archive:
            xml = archive.read(member).decode("utf-8")
        assert "Inès Daurignac" in xml
        assert "Saint-Ormel-sur-Lisse" in xml
