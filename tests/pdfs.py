"""Real PDFs for tests, drawn with reportlab: pages of lines, a running header and a footer."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

HEADER = "Rapport d'essai — document de test"


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
