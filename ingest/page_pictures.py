"""Pictures of PDF pages, so a citation can show the page it comes from.

pypdfium2 (already installed with pdfplumber) renders the page; the picture is
cached as a PNG next to the store, named by the file's content hash and the
page, so a page is rendered once whatever asks for it.

pdfium is not thread-safe (two renders at once can crash the process), and many
people asking at once cite the same pages: renders take one lock, and a page
rendered while a request waited for it is not rendered again.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pypdfium2

from ingest.errors import IngestError

SCALE = 1.5  # 108 dpi: readable when opened larger, about 150 kB a page
_PDFIUM = threading.Lock()


def page_picture(pdf: Path, page: int, sha256: str, cache: Path) -> Path:
    """The PNG of page ``page`` (from 1) of ``pdf``, rendered on first use."""
    target = cache / f"{sha256[:16]}-p{page}.png"
    if target.exists():
        return target
    with _PDFIUM:
        if target.exists():  # rendered while this request waited
            return target
        return _render(pdf, page, target)


def _render(pdf: Path, page: int, target: Path) -> Path:
    if not pdf.is_file():
        raise IngestError(f"{pdf.name} : fichier introuvable, l'aperçu de la page est indisponible")
    try:
        document = pypdfium2.PdfDocument(str(pdf))
    except pypdfium2.PdfiumError as exc:
        raise IngestError(f"{pdf.name} : aperçu impossible ({exc})") from exc
    try:
        if not 1 <= page <= len(document):
            raise IngestError(f"{pdf.name} : pas de page {page}")
        image = document[page - 1].render(scale=SCALE).to_pil()
    finally:
        document.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.stem}-{os.getpid()}.part")  # another process may render too
    image.save(partial, format="PNG")
    partial.replace(target)  # never a half-written picture
    return target
