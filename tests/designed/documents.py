"""Designed French test documents, laid out by LibreOffice, with what a perfect reader must return.

Hand-drawn PDFs (``tests/pdfs.py``) only test what we thought of drawing. An office suite brings the
layouts real reports have: generated heading numbers, justified and hyphenated French text, columns
of unequal width, a sentence cut by a page or a column break, a footnote, a table whose header row
is repeated on the next page, running header and footer. ``build_report`` writes the ODT with odfpy,
has LibreOffice convert it to PDF and DOCX, writes a Markdown twin of the same content, and returns
the expectations a reader must meet on them (the pages are verified by ``test_documents.py``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from tests.designed import content
from tests.designed.content import (
    BLOCKS,
    BULLETS,
    COLUMN_BREAK_SENTENCE,
    DATES,
    FOOTER,
    FOOTNOTE,
    HEADER,
    PAGE_BREAK_SENTENCE,
    ROWS,
    TABLE_HEADER,
    THREE_COLUMN_BREAK_SENTENCE,
    Block,
    Columns,
    Heading,
    ItemList,
    Paragraph,
    Table,
)
from tests.designed.odt import write_odt

STEM = "bilan-journees"
PAGES = 5


@dataclass(frozen=True)
class Question:
    """A question whose answer is a short exact substring of the document, on a known page."""

    question: str
    answers: tuple[str, ...]
    page: int


@dataclass(frozen=True)
class Expectations:
    """What a perfect reader of the designed report returns; pages are the PDF's, from 1."""

    key_sentences: tuple[tuple[str, int], ...]
    headings: tuple[tuple[str, int, int], ...]
    table_rows: tuple[dict[str, str], ...]
    compounds: tuple[str, ...]
    running_texts: tuple[str, ...]
    footnote: tuple[str, int]
    questions: tuple[Question, ...]

    def to_json(self) -> str:
        """The expectations as JSON, for the benchmark (tuples become lists)."""
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)

    def question_lines(self, source: str, *, pages: bool = True) -> str:
        """The questions as JSON Lines ``{"question", "answers", "source", "page"}`` for ``source``.

        ``pages=False`` leaves the page out, for the Markdown twin which has none.
        """
        lines = []
        for item in self.questions:
            record: dict[str, object] = {"question": item.question, "answers": list(item.answers)}
            record["source"] = source
            if pages:
                record["page"] = item.page
            lines.append(json.dumps(record, ensure_ascii=False))
        return "\n".join(lines) + "\n"

    def write_questions(self, path: Path, source: str, *, pages: bool = True) -> Path:
        """Write :meth:`question_lines` to ``path``."""
        path.write_text(self.question_lines(source, pages=pages), encoding="utf-8")
        return path


@dataclass(frozen=True)
class DesignedReport:
    """The designed report in its four formats, with its expectations."""

    odt: Path
    pdf: Path
    docx: Path
    markdown: Path
    expectations: Expectations


KEY_SENTENCES: tuple[tuple[str, int], ...] = (
    (
        "Entre septembre 2024 et janvier 2025, quatorze territoires ruraux et périurbains se sont réunis "
        "pour apprendre ensemble à conduire des transformations durables.",
        1,
    ),
    (
        "Le comité de pilotage, présidé par Hélène Quérand, a fixé trois objectifs au cycle dès la réunion "
        "de lancement du 3 juin 2024.",
        1,
    ),
    (BULLETS[0], 1),
    (BULLETS[2], 1),
    (DATES[0], 1),
    (
        "Au total, 86 personnes ont participé à au moins une journée, dont 42 élus et 44 agents ou "
        "partenaires associatifs.",
        1,
    ),
    (PAGE_BREAK_SENTENCE, 1),
    (
        "L'évaluation finale, conduite en février 2025 auprès de 71 répondants, montre que 92 % d'entre "
        "eux recommanderaient le cycle à un territoire voisin.",
        2,
    ),
    (
        "La première journée s'est ouverte le 12 septembre 2024 dans la salle des fêtes de "
        "Saint-Ormel-sur-Lisse, devant 64 participants.",
        2,
    ),
    (
        "La maire, Inès Daurignac, a présenté le projet de revitalisation du centre-bourg, engagé depuis "
        "2021 et longtemps freiné par des conflits d'usage autour de la place du marché.",
        2,
    ),
    (
        "La deuxième journée a eu lieu le 17 octobre 2024 à Val-d'Orbelune, une commune nouvelle de 3200 "
        "habitants issue de la fusion de trois villages en 2019.",
        2,
    ),
    (COLUMN_BREAK_SENTENCE, 2),
    (
        "La journée s'est conclue par une visite de la ferme collective des Quatre-Vents, reprise en 2022 "
        "par une coopérative de sept jeunes agriculteurs.",
        2,
    ),
    ("Le lendemain, un questionnaire envoyé aux participants a recueilli 58 réponses.", 2),
    ("La règle du binôme entre un élu et un agent a favorisé une appropriation durable des outils.", 3),
    (
        "La troisième journée, consacrée à l'expérimentation, a réuni seulement 51 participants en raison "
        "d'intempéries.",
        3,
    ),
    (THREE_COLUMN_BREAK_SENTENCE, 3),
    (
        "La journée de clôture s'est tenue le 23 janvier 2025 à Montcaillou-le-Vieux, en présence du "
        "vice-président de la région chargé de l'aménagement.",
        3,
    ),
    (
        "Le comité de pilotage a décidé de reconduire le cycle à l'automne 2025 pour une nouvelle "
        "promotion de douze territoires.",
        5,
    ),
    ("Une journée de retrouvailles réunira les deux promotions le 16 octobre 2025 à Lanvéran.", 5),
    (
        "Les journées passeront de quatre à cinq, afin de laisser plus de place aux échanges entre "
        "homologues.",
        5,
    ),
)

QUESTIONS: tuple[Question, ...] = (
    Question("Qui préside le comité de pilotage du cycle ?", ("Hélène Quérand",), 1),
    Question("À quelle date a eu lieu la réunion de lancement du cycle ?", ("3 juin 2024",), 1),
    Question("Combien de personnes ont participé à au moins une journée ?", ("86 personnes", "86"), 1),
    Question("Quel est le budget total du cycle ?", ("38 500 euros",), 1),
    Question(
        "Depuis quand Hélène Quérand dirige-t-elle le service de coopération territoriale ?", ("2019",), 1
    ),
    Question("Quelle part des répondants recommanderait le cycle à un territoire voisin ?", ("92 %",), 2),
    Question("Qui est la maire de Saint-Ormel-sur-Lisse ?", ("Inès Daurignac",), 2),
    Question("Quel thème a été retenu pour la deuxième journée ?", ("jeux d'acteurs",), 2),
    Question("Combien de participants a réuni la troisième journée ?", ("51 participants", "51"), 3),
    Question("Où s'est tenue la journée de clôture ?", ("Montcaillou-le-Vieux",), 3),
    Question(
        "Quelle suite Saint-Ormel-sur-Lisse a-t-il donnée au cycle ?",
        ("Un comité d'usagers de la place du marché se réunit chaque mois depuis janvier 2025.",),
        4,
    ),
    Question("Quel montant le Haut-Ferrail ouvre-t-il en budget participatif ?", ("20 000 euros",), 5),
    Question("Quand aura lieu la journée de retrouvailles des deux promotions ?", ("16 octobre 2025",), 5),
)

COMPOUNDS = (
    "Saint-Ormel-sur-Lisse",
    "Val-d'Orbelune",
    "centre-bourg",
    "Montcaillou-le-Vieux",
    "Bréval-les-Étangs",
    "Hautes-Brumes",
    "Quatre-Vents",
    "vice-président",
    "c'est-à-dire",
    "jusque-là",
    "vingt-deux",
    "Île-de-Penmor",
)


def headings() -> tuple[Heading, ...]:
    """Every heading of the report, those inside column sections included, in reading order."""
    found: list[Heading] = []
    for block in BLOCKS:
        inner = block.blocks if isinstance(block, Columns) else (block,)
        found.extend(item for item in inner if isinstance(item, Heading))
    return tuple(found)


def expectations() -> Expectations:
    """The expectations of the designed report (independent of any build)."""
    return Expectations(
        key_sentences=KEY_SENTENCES,
        headings=tuple((heading.label, heading.level, heading.page) for heading in headings()),
        table_rows=tuple(dict(zip(TABLE_HEADER, row, strict=True)) for row in ROWS),
        compounds=COMPOUNDS,
        running_texts=(HEADER, FOOTER),
        footnote=(FOOTNOTE.text, FOOTNOTE.page),
        questions=QUESTIONS,
    )


def markdown() -> str:
    """The Markdown twin: same text, numbered ``#``/``##`` headings, the footnote after its section."""
    parts = [f"**{content.TITLE}**", content.SUBTITLE]
    pending_note: list[str] = []
    for block in BLOCKS:
        for item in block.blocks if isinstance(block, Columns) else (block,):
            if isinstance(item, Heading) and pending_note:
                parts.append(pending_note.pop())
            parts.append(_markdown_block(item))
            if isinstance(item, Paragraph) and item.note is not None:
                pending_note.append(f"Note 1 : {item.note.text}")
    parts.extend(pending_note)
    return "\n\n".join(parts) + "\n"


def _markdown_block(block: Block) -> str:
    match block:
        case Heading():
            return f"{'#' * block.level} {block.label}"
        case Paragraph():
            return block.text
        case ItemList():
            if block.numbered:
                return "\n".join(f"{index}. {item}" for index, item in enumerate(block.items, start=1))
            return "\n".join(f"- {item}" for item in block.items)
        case Table():
            lines = ["| " + " | ".join(TABLE_HEADER) + " |", "|" + " --- |" * len(TABLE_HEADER)]
            lines.extend("| " + " | ".join(row) + " |" for row in block.rows)
            return "\n".join(lines)
    raise TypeError(f"no Markdown for {block!r}")


def soffice() -> str:
    """The LibreOffice executable; a missing office suite is an error, never a silent skip."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise RuntimeError(
            "LibreOffice (soffice) is required to build the designed test documents; install it "
            "(apt-get install libreoffice-writer fonts-liberation2 hyphen-fr)"
        )
    return found


def convert(odt: Path, target: str, folder: Path) -> None:
    """Convert ``odt`` with LibreOffice into ``folder``, in a private profile so that runs never clash."""
    with tempfile.TemporaryDirectory(prefix="designed-lo-profile-") as profile:
        subprocess.run(
            [
                soffice(),
                "--headless",
                "--norestore",
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--convert-to",
                target,
                "--outdir",
                str(folder),
                str(odt),
            ],
            timeout=180,
            check=True,
            capture_output=True,
        )


def build_unruled_pdf(folder: Path) -> Path:
    """The same report with its table drawn without any rule (columns aligned by whitespace
    only), as PDF: the text and pages are those of ``build_report``'s."""
    folder.mkdir(parents=True, exist_ok=True)
    odt = write_odt(folder / f"{STEM}-sans-filets.odt", ruled=False)
    convert(odt, "pdf", folder)
    pdf = odt.with_suffix(".pdf")
    if not pdf.is_file():
        raise RuntimeError(f"LibreOffice did not produce {pdf}")
    return pdf


def build_report(folder: Path) -> DesignedReport:
    """Write the ODT, its PDF and DOCX conversions, the Markdown twin and expectations in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    odt = write_odt(folder / f"{STEM}.odt")
    convert(odt, "pdf", folder)
    convert(odt, "docx:MS Word 2007 XML", folder)
    pdf, docx = folder / f"{STEM}.pdf", folder / f"{STEM}.docx"
    for produced in (pdf, docx):
        if not produced.is_file():
            raise RuntimeError(f"LibreOffice did not produce {produced}")
    twin = folder / f"{STEM}.md"
    twin.write_text(markdown(), encoding="utf-8")
    expected = expectations()
    (folder / f"{STEM}.expectations.json").write_text(expected.to_json(), encoding="utf-8")
    expected.write_questions(folder / f"{STEM}.questions.jsonl", pdf.name)
    expected.write_questions(folder / f"{STEM}.md.questions.jsonl", twin.name, pages=False)
    return DesignedReport(odt=odt, pdf=pdf, docx=docx, markdown=twin, expectations=expected)
