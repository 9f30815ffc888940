"""Turn a SQuAD-format file (such as PIAF) into one PDF per article and a questions file.

Each PDF has the article title as a heading, its paragraphs as body text, a
running header and a page footer, like a real report, so the benchmark goes
through the same PDF extraction as real documents.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from reportlab import rl_config

rl_config.invariant = 1

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import getSampleStyleSheet  # noqa: E402
from reportlab.lib.units import cm  # noqa: E402
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer  # noqa: E402

HEADER = "Corpus d'évaluation PIAF — articles de Wikipédia"


def slug(title: str, index: int) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return f"{index:03d}-{re.sub(r'[^A-Za-z0-9]+', '-', ascii_title).strip('-').lower()[:50]}.pdf"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_article_pdf(path: Path, title: str, paragraphs: list[str]) -> None:
    styles = getSampleStyleSheet()

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(2 * cm, A4[1] - 1.2 * cm, HEADER)
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, f"Page {doc.page}")
        canvas.restoreState()

    story: list[Any] = [Paragraph(_escape(title), styles["Heading1"]), Spacer(1, 0.3 * cm)]
    for paragraph in paragraphs:
        story += [Paragraph(_escape(paragraph), styles["BodyText"]), Spacer(1, 0.2 * cm)]
    doc = SimpleDocTemplate(str(path), pagesize=A4, title=title, author="PIAF (Etalab)")
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)


def build_corpus(squad_path: Path, out_dir: Path, limit: int | None = None) -> tuple[Path, Path, int]:
    """Write ``out_dir/pdfs/*.pdf`` and ``out_dir/questions.jsonl``; return them and the article count."""
    data = json.loads(squad_path.read_text(encoding="utf-8"))["data"][:limit]
    pdf_dir = out_dir / "pdfs"
    pdf_dir.mkdir(parents=True, exist_ok=True)
    questions = out_dir / "questions.jsonl"
    with questions.open("w", encoding="utf-8") as out:
        for index, article in enumerate(data):
            name = slug(article["title"], index)
            paragraphs = [p["context"] for p in article["paragraphs"]]
            if not (pdf_dir / name).exists():
                write_article_pdf(pdf_dir / name, article["title"], paragraphs)
            for paragraph in article["paragraphs"]:
                for qa in paragraph["qas"]:
                    answers = sorted({a["text"] for a in qa["answers"] if a["text"].strip()})
                    if answers:
                        item = {"question": qa["question"], "answers": answers, "source": name}
                        out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return pdf_dir, questions, len(data)
