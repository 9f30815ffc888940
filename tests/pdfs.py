"""Real PDFs for tests, drawn with reportlab: pages of lines, a running header and a footer."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

HEADER = "Rapport d'essai — document de test"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def make_pdf(
    path: Path,
    pages: Sequence[Sequence[str]],
    *,
    header: str | None = HEADER,
    footer: bool = True,
) -> Path:
    """Write one PDF page per item of ``pages``, each a list of text lines.

    Every page gets ``header`` at the top and "Page N / M" at the bottom, the
    running lines that ingestion must strip.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    width, height = A4
    for number, lines in enumerate(pages, start=1):
        if header:
            pdf.setFont("Helvetica", 8)
            pdf.drawString(50, height - 30, header)
        pdf.setFont("Helvetica", 11)
        y = height - 70
        for line in lines:
            pdf.drawString(50, y, line)
            y -= 16
        if footer:
            pdf.setFont("Helvetica", 8)
            pdf.drawString(width / 2 - 20, 25, f"Page {number} / {len(pages)}")
        pdf.showPage()
    pdf.save()
    return path


def register_vera() -> str:
    """Vera (bundled with reportlab) has the fi and fl ligature glyphs, Helvetica does not."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))
    return "Vera"


def make_styled_pdf(path: Path, lines: Sequence[tuple[str, float, float, float]]) -> Path:
    """One page of lines placed exactly: (text, x, y, font size), in Vera."""
    font = register_vera()
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for text, x, y, size in lines:
        pdf.setFont(font, size)
        pdf.drawString(x, y, text)
    pdf.showPage()
    pdf.save()
    return path


def make_table_pdf(
    path: Path, rows: Sequence[Sequence[str]], *, repeat_header: bool, lead_lines: int
) -> Path:
    """A heading, ``lead_lines`` paragraphs, then a ruled table long enough to cross a page break."""
    from reportlab.lib import colors
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    styles = getSampleStyleSheet()
    story: list = [Paragraph("2.1 Journée 1 — Les territoires présents", styles["Heading2"])]
    story += [
        Paragraph(f"Paragraphe d'introduction numéro {i} avant le tableau.", styles["BodyText"])
        for i in range(lead_lines)
    ]
    table = Table(
        [list(row) for row in rows], colWidths=[150, 150, 150], repeatRows=1 if repeat_header else 0
    )
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story.append(table)
    story.append(Paragraph("Texte après le tableau.", styles["BodyText"]))

    def header(pdf: canvas.Canvas, doc: object) -> None:
        pdf.setFont("Helvetica", 8)
        pdf.drawString(50, A4[1] - 30, HEADER)

    doc = SimpleDocTemplate(str(path), pagesize=A4, invariant=1)
    doc.build(story, onFirstPage=header, onLaterPages=header)
    return path


def make_image_page_pdf(path: Path, caption: str = "Photo de groupe des participants.") -> Path:
    """Three pages; the second holds only a picture of text (no text layer)."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.utils import ImageReader

    image = Image.new("RGB", (1200, 300), "white")
    font = ImageFont.truetype(str(DEJAVU), 30) if DEJAVU.exists() else ImageFont.load_default(size=30)
    ImageDraw.Draw(image).text((40, 100), caption, fill="black", font=font)
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setFont("Helvetica", 11)
    pdf.drawString(50, 700, "Première page avec du texte.")
    pdf.showPage()
    pdf.drawImage(ImageReader(image), 50, 400, width=500, height=125)
    pdf.showPage()
    pdf.setFont("Helvetica", 11)
    pdf.drawString(50, 700, "Troisième page avec du texte.")
    pdf.showPage()
    pdf.save()
    return path
