"""Test documents with what real designed reports have (issue 26), and what a perfect reader returns."""

from __future__ import annotations

import json
import math
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tests.designed import guide_content, long_report, real_content, word_export
from tests.designed.documents import soffice
from tests.designed.real_blocks import (
    WINGDINGS_ARROW,
    WINGDINGS_SQUARE,
    Block,
    Box,
    Bullets,
    Grid,
    Heading,
    Paragraph,
    block_texts,
    flat_blocks,
)
from tests.designed.real_docx import write_docx
from tests.designed.real_odt import write_report_odt

REPORT, GUIDE, NOTE, LONG = "rapport-transitions", "guide-accompagnement", "note-export-word", "monographies"
PRIVATE_USE = (0xE000, 0xF8FF)


@dataclass(frozen=True)
class BoxExpected:
    """A framed box: its short heading and its paragraphs, each to be read whole with the heading."""

    heading: str
    paragraphs: tuple[str, ...]
    page: int


@dataclass(frozen=True)
class NoteExpected:
    """A raised note call after ``word``: ``context`` is the text around it as a reader gives it
    (the call left out), ``note`` the note's text at the page foot, to be kept whole."""

    word: str
    call: str
    context: str
    note: str
    page: int


@dataclass(frozen=True)
class LayoutExpectations:
    """What a perfect reader of one of these PDFs returns; pages from 1."""

    name: str
    pages: int
    key_sentences: tuple[tuple[str, int], ...]
    headings: tuple[tuple[str, int], ...]  # as printed, numbers included; in the section paths
    empty_headings: tuple[tuple[str, int], ...] = ()  # no body below: in a passage's text or path
    lead_lines: tuple[tuple[str, int], ...] = ()  # semi-bold, larger than the body: in a passage's text
    running: tuple[tuple[int, str], ...] = ()  # (page, running text printed on it)
    table_rows: tuple[dict[str, str], ...] = ()
    boxes: tuple[BoxExpected, ...] = ()
    notes: tuple[NoteExpected, ...] = ()
    reading_order: tuple[tuple[str, str], ...] = ()  # (sentence read first, sentence read after)
    figures: tuple[str, ...] = ()  # numbers with their units, to come out entire
    bullets: tuple[str, ...] = ()  # the private-use bullet characters the PDF's text layer has
    two_line_headings: tuple[str, ...] = ()
    sections: tuple[tuple[str, str], ...] = ()  # (key sentence, heading its section path ends with)
    source: str = field(default="", repr=False)  # every text the document prints
    max_passages: int = 0  # 0: no bound

    @property
    def running_texts(self) -> tuple[str, ...]:
        return tuple(sorted({text for _, text in self.running}))

    def to_json(self) -> str:
        record = asdict(self)
        record.pop("source")
        return json.dumps(record, ensure_ascii=False, indent=2)


@dataclass(frozen=True)
class RealLayouts:
    """The three built PDFs (and their sources) with their expectations, by name."""

    folder: Path
    pdfs: dict[str, Path]
    expectations: dict[str, LayoutExpectations]


def source_text(*texts: str, blocks: Iterable[Block] = ()) -> str:
    """Every text a document prints, one per line."""
    found = list(texts)
    for block in flat_blocks(tuple(blocks)):
        found.extend(block_texts(block))
    return "\n".join(found)


def _labels(blocks: tuple[Block, ...], *, skip: Sequence[Heading] = ()) -> tuple[tuple[str, int], ...]:
    return tuple(
        (block.label, block.page)
        for block in flat_blocks(blocks)
        if isinstance(block, Heading) and block not in skip
    )


def _boxes(blocks: tuple[Block, ...]) -> tuple[BoxExpected, ...]:
    return tuple(
        BoxExpected(box.heading, tuple(line.text for line in box.lines), box.page)
        for box in flat_blocks(blocks)
        if isinstance(box, Box)
    )


def _entries(blocks: tuple[Block, ...]) -> list[Heading | str]:
    """Headings and texts in reading order."""
    found: list[Heading | str] = []
    for block in flat_blocks(blocks):
        found.extend([block] if isinstance(block, Heading) else block_texts(block))
    return found


def _sections(
    entries: Sequence[Heading | str], sentences: Iterable[tuple[str, int]]
) -> tuple[tuple[str, str], ...]:
    """Each key sentence with the heading it is written under (sentences before any heading left out)."""
    found = []
    for sentence, _ in sentences:
        heading = ""
        for entry in entries:
            if isinstance(entry, Heading):
                heading = entry.label
            elif " ".join(sentence.split()) in " ".join(entry.split()):
                if heading:
                    found.append((sentence, heading))
                break
    return tuple(found)


def _rows(grid: Grid) -> tuple[dict[str, str], ...]:
    return tuple(dict(zip(grid.header, row, strict=True)) for row in grid.rows)


def _items(blocks: tuple[Block, ...], page: int) -> tuple[tuple[str, int], ...]:
    return tuple((item, page) for block in blocks if isinstance(block, Bullets) for item in block.items)


def _footers(pages: int, odd: str, even: str) -> tuple[tuple[int, str], ...]:
    """Odd pages carry ``odd``, even pages ``even``; the title page (page 1) none."""
    return tuple((page, odd if page % 2 else even) for page in range(2, pages + 1))


# The first sentence of band 2, read after band 1 and the figure.
BAND_2_FIRST = (
    "La rénovation des écoles et des salles communales arrive en tête des chantiers, avec quarante-deux "
    "bâtiments traités en un an."
)
BAND_2_LAST = "Ses élus comptent y installer des artisans et une recyclerie dès 2026."
FINANCE_FIRST = (
    "Le programme dispose pour sa première année d'une enveloppe de 12,4 millions d'euros, dont 7,1 "
    "millions apportés par la région, 3,8 millions par l'État au titre du fonds vert et le reste par les "
    "départements."
)
BAND_1_LAST = (
    "Les élus référents se réunissent chaque trimestre à l'échelle du département pour comparer leurs "
    "avancées et signaler les blocages rencontrés."
)


def report_expectations() -> LayoutExpectations:
    """The activity report laid out by LibreOffice (``real_content.py``)."""
    c = real_content
    blocks = c.BLOCKS
    sentences = (
        (c.TITLE_SENTENCE, 1),
        (
            "En 2024, vingt-sept intercommunalités se sont engagées dans le programme Territoires en "
            "transition, soit près de 640 000 habitants répartis dans quatre départements.",
            2,
        ),
        (c.COLUMN_SENTENCE, 2),
        (BAND_1_LAST, 2),
        (c.FIGURE.caption, 2),
        (BAND_2_FIRST, 2),
        (
            "Le Pays d'Aurèle fait figure d'exception : il a identifié quatorze friches à reconvertir avant "
            "toute ouverture de nouvelle zone d'activité.",
            2,
        ),
        (BAND_2_LAST, 2),
        (FINANCE_FIRST, 2),
        (
            "Le versement de la seconde moitié a été avancé de deux mois pour les territoires les plus "
            "fragiles, à la demande de leurs élus.",
            2,
        ),
        (c.PAGE_SENTENCE, 2),
        (
            "Elle sera maintenue en 2025, avec un plafond de report fixé à la moitié de la dotation "
            "annuelle.",
            3,
        ),
        (c.LEAD, 3),
        (
            "Le guide décrit pas à pas la préparation d'une feuille de route, depuis le diagnostic partagé "
            "jusqu'au choix des indicateurs.",
            3,
        ),
        *_items(blocks, 3),
        ("Quatre sessions de formation ont réuni 212 élus, le samedi matin pour ménager leurs agendas.", 3),
        (
            "Au 31 décembre 2024, 1 240 logements avaient bénéficié d'une aide à la rénovation dans les "
            "territoires engagés, soit deux fois plus qu'en 2023.",
            4,
        ),
        (
            "La notoriété du programme progresse aussi, puisqu'il est désormais connu de 41 % des habitants "
            "interrogés.",
            4,
        ),
        (
            "Les montants engagés correspondent aux marchés notifiés au 31 décembre ; ils ne comprennent ni "
            "les études préalables ni les frais de personnel.",
            4,
        ),
        (
            "Chaque territoire a désigné un élu référent et un référent technique, qui sont les "
            "interlocuteurs de la région pour toute question relative au contrat.",
            5,
        ),
    )
    notes = (
        NoteExpected("vert", "1", "au titre du fonds vert et le reste", c.FUND_NOTE.text, 2),
        NoteExpected("élus.", "2", "à la demande de leurs élus. Chaque euro", c.EARLY_PAYMENT_NOTE.text, 2),
        NoteExpected("logements", "3", "1 240 logements avaient bénéficié", c.HOUSING_NOTE.text, 4),
        NoteExpected(
            "interrogés.", "4", "des habitants interrogés. Les territoires ruraux", c.SURVEY_NOTE.text, 4
        ),
    )
    return LayoutExpectations(
        name=REPORT,
        pages=5,
        key_sentences=sentences,
        headings=_labels(blocks, skip=(c.EMPTY_HEADING,)),
        empty_headings=((c.EMPTY_HEADING.label, c.EMPTY_HEADING.page),),
        lead_lines=((c.LEAD, 3),),
        running=_footers(5, c.ODD_FOOTER, c.EVEN_FOOTER),
        table_rows=_rows(c.GRID),
        boxes=_boxes(blocks),
        notes=notes,
        reading_order=(
            (c.COLUMN_SENTENCE, BAND_1_LAST),
            (BAND_1_LAST, c.FIGURE.caption),
            (c.FIGURE.caption, BAND_2_FIRST),
            (BAND_2_LAST, FINANCE_FIRST),
        ),
        figures=(
            "640 000 habitants",
            "12,4 millions d'euros",
            "150 000 euros",
            "1 240 logements",
            "2 300 fois",
        ),
        bullets=(WINGDINGS_SQUARE, WINGDINGS_ARROW),
        two_line_headings=(c.TWO_LINE_HEADING.label, c.ANNEX_HEADING.label),
        sections=_sections(_entries(blocks), sentences),
        source=source_text(c.TITLE, c.SUBTITLE, c.TITLE_SENTENCE, c.ODD_FOOTER, c.EVEN_FOOTER, blocks=blocks),
    )


def guide_expectations() -> LayoutExpectations:
    """The accompaniment guide written with python-docx (``guide_content.py``)."""
    g = guide_content
    blocks = g.BLOCKS
    sentences = (
        (g.TITLE_SENTENCE, 1),
        (
            "L'accompagnateur aide une intercommunalité à construire puis à conduire sa feuille de route, "
            "sans "
            "jamais se substituer à ses élus ni à ses services.",
            2,
        ),
        *_items(blocks, 2),
        (g.LEAD, 2),
        (
            "Chaque étape se conclut par une réunion du comité de pilotage local, qui valide les résultats "
            "obtenus et décide de passer à la suivante.",
            2,
        ),
        (
            "L'accompagnateur veille à ce que les conclusions soient rédigées dans une langue accessible à "
            "tous les conseillers communautaires.",
            2,
        ),
        (
            "Il signale au comité de pilotage les retards qui menacent le calendrier et propose, le cas "
            "échéant, une révision de la feuille de route.",
            2,
        ),
        (
            "Il est conseillé de lire au moins les fiches des territoires voisins avant de rencontrer les "
            "élus "
            "pour la première fois.",
            4,
        ),
    )
    return LayoutExpectations(
        name=GUIDE,
        pages=4,
        key_sentences=sentences,
        headings=_labels(blocks, skip=(g.EMPTY_HEADING,)),
        empty_headings=((g.EMPTY_HEADING.label, g.EMPTY_HEADING.page),),
        lead_lines=((g.LEAD, 2),),
        running=_footers(4, g.ODD_FOOTER, g.EVEN_FOOTER),
        table_rows=_rows(g.GRID),
        boxes=_boxes(blocks),
        bullets=(WINGDINGS_SQUARE, WINGDINGS_ARROW),
        two_line_headings=(g.TWO_LINE_HEADING.label, g.UNNUMBERED_HEADING.label),
        sections=_sections(_entries(blocks), sentences),
        source=source_text(g.TITLE, g.SUBTITLE, g.TITLE_SENTENCE, g.ODD_FOOTER, g.EVEN_FOOTER, blocks=blocks),
    )


def _sentences(text: str) -> list[str]:
    """A paragraph's sentences (split after « . » followed by a capital)."""
    found, start = [], 0
    for index in range(len(text) - 2):
        if text[index] == "." and text[index + 1] == " " and text[index + 2].isupper():
            found.append(text[start : index + 1])
            start = index + 2
    return [*found, text[start:]]


def note_expectations() -> LayoutExpectations:
    """The note drawn glyph cluster by glyph cluster, as Word exports it (``word_export.py``)."""
    w = word_export
    sentences: list[tuple[str, int]] = []
    headings: list[tuple[str, int]] = []
    for page, blocks in enumerate(w.PAGES, start=1):
        for block in blocks:
            if isinstance(block, Heading):
                headings.append((block.label, page))
            elif isinstance(block, Paragraph):
                sentences.extend((sentence, page) for sentence in _sentences(w.plain(block.text)))
    entries = [w.plain(b.text) if isinstance(b, Paragraph) else b for page in w.PAGES for b in page]
    drawn = [entry if isinstance(entry, str) else entry.label for entry in entries]
    empty = ("2. Le réseau de chaleur", 1)
    return LayoutExpectations(
        name=NOTE,
        pages=len(w.PAGES),
        key_sentences=tuple(sentences),
        headings=tuple(h for h in headings if h != empty),
        empty_headings=(empty,),
        lead_lines=((w.plain(w.LEAD), 1),),
        running=tuple((page, w.FOOTER) for page in range(1, len(w.PAGES) + 1)),
        notes=(
            NoteExpected("logements", "1", "porté sur 14 logements d'une surface", w.NOTES[0].text, 1),
            NoteExpected("loyers.", "2", "remboursé par les loyers. La consommation", w.NOTES[1].text, 1),
        ),
        figures=(
            "1 020 m²",
            "150 m²",
            "30 km",
            "300 000 €",
            "120 000 €",
            "45 000 €",
            "135 000 €",
            "42 %",
            "18 500 kWh",
            "310 tonnes",
            "12 km",
            "27 %",
            "200 m",
            "89 €",
            "480 000 €",
        ),
        sections=_sections(entries, sentences),
        source="\n".join([w.TITLE, w.FOOTER, *drawn, *(note.text for note in w.NOTES)]),
    )


def convert_to_pdf(sources: Sequence[Path], folder: Path) -> list[Path]:
    """Convert office files to PDF with one LibreOffice run, in a private profile."""
    with tempfile.TemporaryDirectory(prefix="real-layouts-lo-profile-") as profile:
        subprocess.run(
            [
                soffice(),
                "--headless",
                "--norestore",
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                *map(str, sources),
            ],
            timeout=300,
            check=True,
            capture_output=True,
        )
    pdfs = [folder / f"{source.stem}.pdf" for source in sources]
    for pdf in pdfs:
        if not pdf.is_file():
            raise RuntimeError(f"LibreOffice did not produce {pdf}")
    return pdfs


def build_real_layouts(folder: Path) -> RealLayouts:
    """Build the three documents in ``folder`` with their expectations (one JSON file each).

    - ``rapport-transitions.pdf``: an ODT (``real_odt.py``) laid out by LibreOffice: a page whose
      two justified, hyphenated columns are cut into bands by full-width headings and a figure, a
      sentence running from band 1's left column into its right one, a paragraph across a page
      break, footers differing on odd and even pages and none on the title page, a box made as a
      bordered one-cell table and one as a bordered frame, Wingdings bullets, a numbered and an
      unnumbered heading on two lines, a heading with no body, a semi-bold lead line, note calls
      after a word and after a full stop, a ruled table;
    - ``guide-accompagnement.pdf``: a DOCX written with python-docx (``real_docx.py``) as Word users
      write (boxes as bordered one-cell tables, Wingdings bullets and heading numbers from
      numbering definitions, odd and even footers, a title page without one), converted by
      LibreOffice in the same run as the ODT;
    - ``note-export-word.pdf``: drawn with reportlab as Word's PDF export draws text
      (``word_export.py``).

    The expectations are plain data written beside the content; the pages they give are checked
    on the built PDFs by ``test_real_layouts.py``."""
    folder.mkdir(parents=True, exist_ok=True)
    odt = write_report_odt(folder / f"{REPORT}.odt")
    docx = write_docx(folder / f"{GUIDE}.docx", guide_content.word_file())
    report_pdf, guide_pdf = convert_to_pdf([odt, docx], folder)
    note_pdf = word_export.write_word_export(folder / f"{NOTE}.pdf")
    expected = {REPORT: report_expectations(), GUIDE: guide_expectations(), NOTE: note_expectations()}
    for name, expectations in expected.items():
        (folder / f"{name}.expectations.json").write_text(expectations.to_json(), encoding="utf-8")
    return RealLayouts(folder, {REPORT: report_pdf, GUIDE: guide_pdf, NOTE: note_pdf}, expected)


# --- The 50-page report (speed target), built only by the slow tests and benchmarks ---

PASSAGE_TEXT = 1800  # a section's text longer than this makes one more passage


def long_report_expectations(seed: int = 26) -> LayoutExpectations:
    """A sample of its sentences (their pages are found in the PDF: page 0 here) and boxes, its
    headings, and the most passages a reader that reads the boxes as prose may make: per
    section, one passage per 1 800 characters, plus one per box (a box may be a passage of its
    own). A reader making a passage per printed line of the boxes makes several times more."""
    blocks = long_report.blocks(seed)
    sections: list[int] = []
    boxes = 0
    for block in blocks:
        if isinstance(block, Heading):
            sections.append(0)
            continue
        sections[-1] += sum(len(text) + 1 for text in block_texts(block))
        boxes += isinstance(block, Box)
    # a box is a passage of its own, and the text after it goes on in another
    bound = sum(math.ceil(size / PASSAGE_TEXT) for size in sections if size) + 2 * boxes
    source = source_text(
        long_report.TITLE,
        long_report.SUBTITLE,
        long_report.TITLE_SENTENCE,
        long_report.ODD_FOOTER,
        long_report.EVEN_FOOTER,
        blocks=blocks,
    )
    flat_source = " ".join(source.split())

    def once(text: str) -> bool:  # written once in the report: its page is known
        return flat_source.count(" ".join(text.split())) == 1

    prose = [b.text for b in blocks if isinstance(b, Paragraph) and not b.text.endswith(":")]
    sample = [sentence for sentence in (_sentences(text)[-1] for text in prose[1::3]) if once(sentence)]
    boxes = [box for box in _boxes(blocks) if all(once(text) for text in box.paragraphs)]
    return LayoutExpectations(
        name=LONG,
        pages=50,
        key_sentences=tuple((sentence, 0) for sentence in sample),
        headings=_labels(blocks),
        running=_footers(50, long_report.ODD_FOOTER, long_report.EVEN_FOOTER),
        boxes=tuple(boxes[::3]),
        bullets=(WINGDINGS_SQUARE,),
        source=source,
        max_passages=bound,
    )


def build_long_report(folder: Path, seed: int = 26) -> tuple[Path, LayoutExpectations]:
    """Write the 50-page DOCX full of boxes and convert it to PDF; its expectations."""
    folder.mkdir(parents=True, exist_ok=True)
    docx = write_docx(folder / f"{LONG}.docx", long_report.word_file(seed))
    (pdf,) = convert_to_pdf([docx], folder)
    expected = long_report_expectations(seed)
    (folder / f"{LONG}.expectations.json").write_text(expected.to_json(), encoding="utf-8")
    return pdf, expected
