"""PDF loading on real PDFs drawn by the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.pdf import load_pdf, read_pdf
from ingest.tables import is_grid, note_call_chars
from tests.pdfs import HEADER, make_pdf, make_styled_pdf

PAGES = [
    ["Bilan d'essai des journées", "Document fictif pour les tests"],
    [
        "1. Les intentions de départ",
        "Les territoires voulaient apprendre ensemble",
        "et partager leurs pratiques.",
    ],
    ["2. Déroulé des journées", "2.1 Journée 1 à Exempleville", "Douze agents ont suivi la matinée."],
    ["Le portage politique est un levier de réussite."],
]


@pytest.fixture
def report(tmp_path: Path) -> Path:
    return make_pdf(tmp_path / "bilan-essai.pdf", PAGES)


def test_pages_are_read_in_order(report: Path) -> None:
    pages, tables = read_pdf(report)
    assert [page.number for page in pages] == [1, 2, 3, 4]
    words = [f.text for f in pages[2].fragments]
    assert words[words.index("Douze") :][:6] == ["Douze", "agents", "ont", "suivi", "la", "matinée."]
    douze = pages[2].fragments[words.index("Douze")]
    assert douze.width > 0 and douze.x < douze.end  # measured, not estimated
    assert tables == []


def test_running_header_and_footer_are_not_in_the_blocks(report: Path) -> None:
    doc = load_pdf(report)
    text = "\n".join(block.text for block in doc.blocks)
    assert HEADER not in text
    assert "Page 2 / 4" not in text
    assert doc.pages == 4
    assert doc.kind == "bilan"


def test_blocks_know_their_page_and_section_path(report: Path) -> None:
    doc = load_pdf(report)
    by_text = {block.text: block for block in doc.blocks}
    agents = by_text["Douze agents ont suivi la matinée."]
    assert (agents.page, agents.section) == (3, "2. Déroulé des journées > 2.1 Journée 1 à Exempleville")
    lever = by_text["Le portage politique est un levier de réussite."]
    assert (lever.page, lever.section) == (4, "2. Déroulé des journées > 2.1 Journée 1 à Exempleville")
    intent = by_text["Les territoires voulaient apprendre ensemble et partager leurs pratiques."]
    assert (intent.page, intent.section) == (2, "1. Les intentions de départ")


def test_title_is_the_first_line_of_the_cover(report: Path) -> None:
    assert load_pdf(report).title == "Bilan d'essai des journées"


def test_file_that_is_not_a_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "faux.pdf"
    path.write_text("bonjour", encoding="utf-8")
    with pytest.raises(IngestError, match="pas un PDF"):
        read_pdf(path)


def test_truncated_pdf_is_a_one_line_reason(report: Path, tmp_path: Path) -> None:
    broken = tmp_path / "casse.pdf"
    broken.write_bytes(report.read_bytes()[:300])
    with pytest.raises(IngestError) as raised:
        read_pdf(broken)
    assert "\n" not in str(raised.value)


def test_password_protected_pdf_is_refused(report: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(report).pages:
        writer.add_page(page)
    writer.encrypt("secret")
    locked = tmp_path / "verrouille.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(IngestError, match="mot de passe"):
        read_pdf(locked)


def test_a_blank_page_is_no_scan_to_warn_about(tmp_path: Path) -> None:
    """The Cerema guide's page 2 draws nothing: no « page scannée ? » for it."""
    pdf = make_pdf(
        tmp_path / "blanc.pdf", [["Une page de texte."], [], ["Une autre page."]], header=None, footer=False
    )
    doc = load_pdf(pdf)
    assert doc.warnings == () and doc.empty_pages == ()
    assert [block.page for block in doc.blocks] == [1, 3]


def test_a_cover_title_set_on_two_lines_is_whole(tmp_path: Path) -> None:
    lines = [
        ("Raccordement des copropriétés aux", 57, 665, 24),
        ("réseaux de chaleur", 57, 636, 24),
        ("Guide méthodologique", 57, 610, 22),
        ("Le guide présente les réseaux de chaleur aux copropriétés.", 57, 500, 11),
    ]
    title = load_pdf(make_styled_pdf(tmp_path / "guide.pdf", lines)).title
    assert title == "Raccordement des copropriétés aux réseaux de chaleur"


def test_note_calls_are_taken_out_of_table_cells() -> None:
    """« logements³ » in a ruled table's cell read « logements3 » in the Cerema guide."""

    def char(text: str, x0: float, size: float = 10.0, bottom: float = 700.0) -> dict:
        return {
            "text": text,
            "x0": x0,
            "x1": x0 + size * 0.5,
            "top": bottom - size,
            "bottom": bottom,
            "size": size,
        }

    word = [char(c, 100 + 5 * n) for n, c in enumerate("logements")]
    call = char("3", 145.2, size=6.0, bottom=696.0)
    figure = [char(c, 160 + 5 * n) for n, c in enumerate("70 m2")]  # body-size digits stay
    calls = note_call_chars([*word, call, *figure])
    assert calls == {(145.2, 690.0, "3")}


def test_headings_with_no_text_of_their_own_are_kept_as_text(tmp_path: Path) -> None:
    """A cover's lines and a chapter heading straight above its first section were dropped
    as titles: their words reached no passage. They are text, one block a page."""
    lines = [
        ("Raccordement des copropriétés", 57, 700, 24),
        ("Guide méthodologique", 57, 670, 20),
        ("4. Faisabilité du raccordement", 57, 600, 16),
        ("4.1 Compatibilité du bâtiment", 57, 570, 13),
        ("Il faut d’abord regarder le système de chauffage.", 57, 540, 11),
        ("Un raccordement demande un local pour la sous-station.", 57, 526, 11),
    ]
    blocks = load_pdf(make_styled_pdf(tmp_path / "guide.pdf", lines)).blocks
    assert [(b.text, b.page, b.section) for b in blocks] == [
        (
            "Raccordement des copropriétés\nGuide méthodologique\n4. Faisabilité du raccordement",
            1,
            "Raccordement des copropriétés",
        ),
        (
            "Il faut d’abord regarder le système de chauffage.\n"
            "Un raccordement demande un local pour la sous-station.",
            1,
            "4. Faisabilité du raccordement > 4.1 Compatibilité du bâtiment",
        ),
    ]


def test_a_key_figure_in_large_type_is_text_and_an_ornament_is_dropped(tmp_path: Path) -> None:
    """France Chaleur Urbaine's press kit: « 898 » in 24 points near the page top was taken
    for a page number, « 1600 » for a heading, and a 60-point « + » for a heading too."""
    lines = [
        ("LES INFORMATIONS CLÉS", 57, 760, 15),
        ("898", 57, 700, 24),
        ("Tel est le nombre de réseaux de chauffage urbain", 57, 688, 12),
        ("présents en France en 2021.", 57, 674, 12),
        ("+", 444, 640, 60),
        ("1600", 57, 600, 24),
        ("C’est le nombre de réseaux à étendre d’ici 2030.", 57, 588, 12),
    ]
    blocks = load_pdf(make_styled_pdf(tmp_path / "chiffres.pdf", lines)).blocks
    assert [(b.text, b.section) for b in blocks] == [
        ("898", "LES INFORMATIONS CLÉS"),
        (
            "Tel est le nombre de réseaux de chauffage urbain présents en France en 2021.",
            "LES INFORMATIONS CLÉS",
        ),
        ("1600", "LES INFORMATIONS CLÉS"),
        ("C’est le nombre de réseaux à étendre d’ici 2030.", "LES INFORMATIONS CLÉS"),
    ]


@pytest.mark.parametrize(
    ("cells", "grid"),
    [
        ((("Habitat collectif", "Réseau existant"), ("Oui", "Non"), ("Non", "Oui")), True),
        ((("Définition : un réseau de chaleur est un système de distribution.",),), False),  # a frame
        (
            (("Faciliter et accélérer le raccordement", ""), ("", ": s"), ("", "otoh")),
            False,
        ),  # a cover's rules
    ],
)
def test_only_real_grids_are_tables(cells: tuple[tuple[str, ...], ...], grid: bool) -> None:
    assert is_grid(cells) is grid


def test_text_set_sideways_is_read_after_the_page(tmp_path: Path) -> None:
    """The press kit's photo credit runs up the margin: its words were lost."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "credit.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setFont("Helvetica", 11)
    pdf.drawString(57, 700, "Les réseaux de chaleur alimentent 4 millions de logements.")
    pdf.saveState()
    pdf.translate(12, 300)
    pdf.rotate(90)
    pdf.setFont("Helvetica", 6)
    pdf.drawString(0, 0, "Crédits photos : adobe stock")
    pdf.restoreState()
    pdf.showPage()
    pdf.save()
    assert [b.text for b in load_pdf(path).blocks] == [
        "Les réseaux de chaleur alimentent 4 millions de logements.",
        "Crédits photos : adobe stock",
    ]
