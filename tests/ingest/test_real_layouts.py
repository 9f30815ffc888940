"""The real-layout documents of issue 26 read as indexing reads them, checked against a perfect reader."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pdfplumber
import pytest

from ingest.chunking import chunk_document
from ingest.pipeline import load_document
from tests.conftest import run_cli
from tests.designed.layout_checks import (
    closest,
    coverage,
    flat,
    holding,
    layer_words,
    on_page,
    passage_words,
    printed_words,
    squash,
    word_list,
)
from tests.designed.real_layouts import (
    GUIDE,
    NOTE,
    PRIVATE_USE,
    REPORT,
    BoxExpected,
    LayoutExpectations,
    RealLayouts,
    build_long_report,
)
from vectorstore.records import Chunk

NAMES = (REPORT, GUIDE, NOTE)
COVERAGE = 0.99
Read = Callable[[str], list[Chunk]]


@pytest.fixture(scope="module")
def read(real_layouts: RealLayouts) -> Read:
    """Each PDF read and chunked as indexing does, once (a document the reader fails on fails only
    its own tests)."""

    @cache
    def passages(name: str) -> list[Chunk]:
        return chunk_document(load_document(real_layouts.pdfs[name]), name)

    return passages


def report(title: str, failures: list[str]) -> str:
    return f"{title} ({len(failures)}):\n  - " + "\n  - ".join(failures)


def _pages(chunk: Chunk) -> str:
    return f"p. {chunk.page_start}-{chunk.page_end}"


def _sentence_failures(sentences: tuple[tuple[str, int], ...], chunks: list[Chunk]) -> list[str]:
    failures = []
    for sentence, page in sentences:
        found = holding(sentence, chunks)
        if not found:
            failures.append(f"« {sentence} » not whole in any passage; there: {closest(sentence, chunks)}")
        elif page and not on_page(found, page):
            failures.append(f"« {sentence} » whole but on {[_pages(c) for c in found]}, not page {page}")
    return failures


@pytest.mark.parametrize("name", NAMES)
def test_every_key_sentence_is_whole_in_one_passage_of_its_page(
    read: Read, real_layouts: RealLayouts, name: str
) -> None:
    failures = _sentence_failures(real_layouts.expectations[name].key_sentences, read(name))
    assert not failures, report(f"{name}: key sentences", failures)


@pytest.mark.parametrize("name", NAMES)
def test_sentences_are_read_under_their_headings(read: Read, real_layouts: RealLayouts, name: str) -> None:
    """The passage holding a key sentence has the section path of the heading it is written under."""
    chunks = read(name)
    failures = []
    for sentence, heading in real_layouts.expectations[name].sections:
        found = holding(sentence, chunks)
        if found and not any(flat(c.section).endswith(flat(heading)) for c in found):
            failures.append(f"« {sentence[:70]}… » under « {found[0].section} », not « {heading} »")
    assert not failures, report(f"{name}: sections", failures)


def _context(word: str, chunks: list[Chunk]) -> str:
    for chunk in chunks:
        for text in (flat(chunk.text), chunk.section):
            match = re.search(rf"(?i)(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])", text)
            if match:
                return f"[{_pages(chunk)}] …{text[max(0, match.start() - 50) : match.end() + 50]}…"
    return ""


@pytest.mark.parametrize("name", NAMES)
def test_no_word_is_cut_or_glued(read: Read, real_layouts: RealLayouts, name: str) -> None:
    """Every word of every passage (text and section path) is a word the document writes."""
    chunks = read(name)
    vocabulary = set(word_list(real_layouts.expectations[name].source))
    read_words = {word for chunk in chunks for word in word_list(chunk.text) + word_list(chunk.section)}
    foreign = sorted(read_words - vocabulary)
    failures = [f"« {word} » in {_context(word, chunks)}" for word in foreign]
    assert not failures, report(f"{name}: words that the document never writes", failures)


@pytest.mark.parametrize("name", NAMES)
def test_no_running_line_reaches_a_passage(read: Read, real_layouts: RealLayouts, name: str) -> None:
    chunks = read(name)
    failures = [
        f"« {running} » in [{_pages(chunk)}] …{flat(chunk.text)[-160:]}…"
        for running in real_layouts.expectations[name].running_texts
        for chunk in chunks
        if running in flat(chunk.text) or running in chunk.section
    ]
    assert not failures, report(f"{name}: running lines in passages", failures)


@pytest.mark.parametrize("name", NAMES)
def test_headings_are_whole_in_the_section_paths(read: Read, real_layouts: RealLayouts, name: str) -> None:
    """Every heading, those on two lines too, is whole in the section path of its passages."""
    chunks = read(name)
    sections = sorted({chunk.section for chunk in chunks})
    failures = []
    for label, page in real_layouts.expectations[name].headings:
        with_it = [c for c in chunks if flat(label) in flat(c.section)]
        if not with_it:
            start = " ".join(label.split()[:2])
            near = [section for section in sections if start in section] or sections
            failures.append(f"« {label} » (page {page}) in no section path; paths: {near}")
        elif page and not on_page(with_it, page):
            failures.append(
                f"« {label} » only in passages of {[_pages(c) for c in with_it]}, not page {page}"
            )
    expected = real_layouts.expectations[name]
    leaks = [
        f"heading « {label} » in the text of [{_pages(c)}] …{flat(c.text)[:120]}…"
        for label, _ in expected.headings
        for c in chunks
        if flat(label) in flat(c.text)
    ]
    for label in expected.two_line_headings:  # its second line must not be read as body text
        tail = " ".join(label.split()[-4:])
        assert flat(expected.source).count(tail) == 1, tail
        leaks += [
            f"« {tail} » of a two-line heading in the text of [{_pages(c)}]"
            for c in chunks
            if tail in flat(c.text)
        ]
    assert not failures + leaks, report(f"{name}: headings", failures + leaks)


@pytest.mark.parametrize("name", NAMES)
def test_headings_without_body_and_lead_lines_are_not_lost(
    read: Read, real_layouts: RealLayouts, name: str
) -> None:
    """A heading with no text under it reaches a passage (its text or its section path); a
    semi-bold lead line, a little larger than the body, is text of a passage, whole."""
    chunks = read(name)
    expected = real_layouts.expectations[name]
    failures = [
        f"empty heading « {label} » (page {page}) in no passage; sections: "
        f"{sorted({c.section for c in chunks})}"
        for label, page in expected.empty_headings
        if not any(flat(label) in flat(c.text) or flat(label) in flat(c.section) for c in chunks)
    ]
    for lead, page in expected.lead_lines:
        if not on_page(holding(lead, chunks), page):
            in_paths = [c.section for c in chunks if flat(lead) in flat(c.section)]
            where = f"only in section paths {sorted(set(in_paths))}" if in_paths else closest(lead, chunks)
            failures.append(f"lead line « {lead} » (page {page}) in no passage's text: {where}")
    assert not failures, report(f"{name}: text lost", failures)


def _box_failures(box: BoxExpected, page: int, chunks: list[Chunk]) -> list[str]:
    failures = _sentence_failures(tuple((p, page) for p in box.paragraphs), chunks)
    first = holding(box.paragraphs[0], chunks)
    if first and not any(box.heading in flat(c.text) or box.heading in c.section for c in first):
        failures.append(f"box « {box.heading} »: its first paragraph is read without the heading")
    parts = {id(c): c for p in box.paragraphs for c in holding(p, chunks)}.values()
    if [c for c in parts if c.cells]:
        failures.append(f"box « {box.heading} » read as table cells: {[dict(c.cells) for c in parts]}")
    if len(parts) > len(box.paragraphs):
        failures.append(f"box « {box.heading} »: {len(box.paragraphs)} paragraphs in {len(parts)} passages")
    return failures


@pytest.mark.parametrize("name", [REPORT, GUIDE])
def test_boxes_are_read_as_their_paragraphs(read: Read, real_layouts: RealLayouts, name: str) -> None:
    """A framed box is prose: each paragraph whole in a passage of its page, the box's heading with
    the first (in the text or the section path), no table cells, no passage per printed line."""
    chunks = read(name)
    failures = []
    for box in real_layouts.expectations[name].boxes:
        failures += _box_failures(box, box.page, chunks)
    assert not failures, report(f"{name}: boxes", failures)


@pytest.mark.parametrize("name", [REPORT, GUIDE])
def test_the_grid_table_keeps_its_rows_and_only_its_rows(
    read: Read, real_layouts: RealLayouts, name: str
) -> None:
    expected = [{k: flat(v) for k, v in row.items()} for row in real_layouts.expectations[name].table_rows]
    rows = [{k: flat(v) for k, v in chunk.cells} for chunk in read(name) if chunk.cells]
    missing = [f"row {row} not read; rows read: {rows}" for row in expected if row not in rows]
    extra = [f"a row the document has not: {row}" for row in rows if row not in expected]
    assert not missing + extra, report(f"{name}: table rows", missing + extra)


@pytest.mark.parametrize("name", NAMES)
def test_no_private_use_character_reaches_a_passage(read: Read, name: str) -> None:
    """Symbol-font bullets (Wingdings « \uf0a7 », « \uf0d8 ») are never given as their codes."""
    low, high = PRIVATE_USE
    failures = [
        f"U+{ord(char):04X} in [{_pages(chunk)}] …{flat(chunk.text)[max(0, index - 40) : index + 80]}…"
        for chunk in read(name)
        for index, char in enumerate(flat(chunk.text) + chunk.section)
        if low <= ord(char) <= high
    ]
    assert not failures, report(f"{name}: private-use characters", failures)


@pytest.mark.parametrize("name", [REPORT, NOTE])
def test_note_calls_leave_their_word_and_the_notes_are_kept(
    read: Read, real_layouts: RealLayouts, name: str
) -> None:
    chunks = read(name)
    failures = []
    for note in real_layouts.expectations[name].notes:
        if not holding(note.context, chunks):
            there = closest(note.context, chunks)
            failures.append(
                f"call {note.call} after « {note.word} »: « {note.context} » not read; there: {there}"
            )
        glued = [c for c in chunks if f"{note.word}{note.call}" in flat(c.text)]
        if glued:
            failures.append(f"« {note.word}{note.call} » (call glued to its word) in [{_pages(glued[0])}]")
        failures += _sentence_failures(((note.note, note.page),), chunks)
    numbers = {note.call for note in real_layouts.expectations[name].notes}
    for chunk in chunks:
        stray = [line for line in chunk.text.splitlines() if line.strip() in numbers]
        if stray:
            text = flat(chunk.text)[-200:]
            failures.append(f"note numbers left as lines of their own {stray} in [{_pages(chunk)}] …{text}…")
    assert not failures, report(f"{name}: note calls and notes", failures)


def test_the_bands_are_read_in_order(read: Read, real_layouts: RealLayouts) -> None:
    """Band 1 is read whole, its left column then its right one, before the figure's caption and
    band 2: the sentence cut between band 1's columns comes out whole, before band 2's text."""
    chunks = read(REPORT)

    def where(sentence: str) -> tuple[int, int] | None:
        found = holding(sentence, chunks)
        return (found[0].position, flat(found[0].text).index(flat(sentence))) if found else None

    failures = []
    for first, then in real_layouts.expectations[REPORT].reading_order:
        before, after = where(first), where(then)
        if before is None or after is None:
            missing = first if before is None else then
            failures.append(f"« {missing} » not whole in a passage; there: {closest(missing, chunks)}")
        elif before >= after:
            failures.append(f"« {then[:60]}… » is read before « {first[:60]}… »")
    assert not failures, report("bands", failures)


@pytest.mark.parametrize("name", [REPORT, NOTE])
def test_figures_come_out_entire(read: Read, real_layouts: RealLayouts, name: str) -> None:
    """Numbers with their units (« 150 m² », « 300 000 € »): no digit dropped, no digit glued."""
    chunks = read(name)
    failures = [
        f"« {figure} » not read; there: {closest(figure, chunks)}"
        for figure in real_layouts.expectations[name].figures
        if not any(re.search(rf"(?<![\d,]){re.escape(figure)}", flat(c.text)) for c in chunks)
    ]
    assert not failures, report(f"{name}: figures", failures)


@pytest.mark.parametrize("name", NAMES)
def test_every_page_word_reaches_a_passage_of_its_page(
    read: Read, real_layouts: RealLayouts, name: str
) -> None:
    """At least 99 % of each page's words (its text layer's, running lines aside), each occurrence
    counted, are words of the passages of that page."""
    chunks = read(name)
    expected: LayoutExpectations = real_layouts.expectations[name]
    vocabulary = set(word_list(expected.source))
    running = dict(expected.running)
    failures = []
    with pdfplumber.open(real_layouts.pdfs[name]) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            layer = layer_words(printed_words(page), [running.get(number, "")])
            share, missing = coverage(layer, passage_words(on_page(chunks, number)), vocabulary)
            if share < COVERAGE:
                failures.append(f"page {number}: {share:.3f} of its words; missing {missing[:25]}")
    assert not failures, report(f"{name}: word coverage under {COVERAGE}", failures)


@pytest.mark.slow
def test_a_fifty_page_report_full_of_boxes_is_indexed_in_two_minutes_in_few_whole_passages(
    tmp_path: Path,
) -> None:
    """Issue 26's speed target: the 50-page python-docx report, converted by LibreOffice, is
    indexed through the command line in at most 2 minutes; its boxes read as prose give at most
    the expected number of passages, with the sampled sentences and boxes whole, every heading in
    the section paths, no word cut or glued and no running line."""
    pdf, expected = build_long_report(tmp_path / "documents")
    started = time.monotonic()
    result = run_cli("ingest", str(pdf), "--json", store=tmp_path / "store")
    seconds = time.monotonic() - started
    assert result.returncode == 0, result.stderr[-2000:]
    (outcome,) = json.loads(result.stdout)["files"]
    chunks = chunk_document(load_document(pdf), "long")
    with pdfplumber.open(pdf) as document:  # page bodies: the footer lies in the bottom 40 points
        texts = [
            squash(page.crop((0, 0, page.width, page.height - 40)).extract_text() or "")
            for page in document.pages
        ]
    assert len(texts) == expected.pages
    sentences = [(s, _printed_on(s, texts)) for s, _ in expected.key_sentences]
    failures = _sentence_failures(tuple(sentences), chunks)
    for box in expected.boxes:
        failures += _box_failures(box, _printed_on(box.paragraphs[0], texts), chunks)
    failures += [
        f"« {label} » in no section path"
        for label, _ in expected.headings
        if not any(flat(label) in flat(c.section) for c in chunks)
    ]
    vocabulary = set(word_list(expected.source))
    read_words = {word for chunk in chunks for word in word_list(chunk.text) + word_list(chunk.section)}
    failures += [f"« {word} » in {_context(word, chunks)}" for word in sorted(read_words - vocabulary)]
    failures += [
        f"running line in [{_pages(c)}] …{flat(c.text)[-120:]}…"
        for c in chunks
        for running in expected.running_texts
        if running in flat(c.text)
    ]
    if seconds > 120:
        failures.append(
            f"indexing took {seconds:.0f} s, over 2 minutes (reading: {outcome['seconds']:.1f} s)"
        )
    if len(chunks) > expected.max_passages:
        failures.append(f"{len(chunks)} passages, {expected.max_passages} at most")
    assert not failures, report(
        f"50-page report ({seconds:.0f} s to index, {len(chunks)} passages, {expected.max_passages} at most)",
        failures,
    )


def _printed_on(sentence: str, bodies: list[str]) -> int:
    """The page where ``sentence``, written once in the report, starts: found in the pages' body
    texts (squashed, footers left out) joined, so that a sentence across a page break is found."""
    joined = "".join(bodies)
    wanted = squash(sentence)
    assert joined.count(wanted) == 1, f"« {sentence} » is printed {joined.count(wanted)} times"
    start, end = joined.index(wanted), 0
    for number, body in enumerate(bodies, start=1):
        end += len(body)
        if start < end:
            return number
    raise AssertionError(sentence)
