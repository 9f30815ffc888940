"""What a file is, decided by its first bytes rather than its name.

A report renamed ``.txt``, a web page saved as ``.pdf``, a picture dropped into
the folder: the loader is chosen by content, and content that no loader reads
is refused with the name of what it looks like.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ingest.errors import IngestError, Reason

PDF, DOCX, ODT, MARKDOWN, TEXT = "pdf", "docx", "odt", "markdown", "text"
_HEAD = 4096
_PDF_MARK_WITHIN = 1024  # the PDF reference allows some bytes before the %PDF- header
_MARKDOWN_SUFFIXES = {".md", ".markdown"}
_ODT_MIME = b"application/vnd.oasis.opendocument.text"

# Signatures of common files that are not documents we read, for a precise reason.
_FOREIGN = (
    (b"\x89PNG", "une image PNG"),
    (b"\xff\xd8\xff", "une image JPEG"),
    (b"GIF8", "une image GIF"),
    (b"II*\x00", "une image TIFF"),
    (b"MM\x00*", "une image TIFF"),
    (b"\xd0\xcf\x11\xe0", "un document Office ancien (.doc, .xls, .ppt)"),
    (b"\x1f\x8b", "une archive gzip"),
    (b"Rar!", "une archive RAR"),
    (b"7z\xbc\xaf", "une archive 7-Zip"),
    (b"\x7fELF", "un programme"),
    (b"{\\rtf", "un document RTF"),
)


def sniff(path: Path) -> str:
    """The kind of document in ``path`` (PDF, DOCX, ODT, Markdown, text), or an IngestError."""
    with path.open("rb") as handle:
        head = handle.read(_HEAD)
    if not head:
        raise IngestError("fichier vide (0 octet)", Reason.EMPTY)
    if b"%PDF-" in head[:_PDF_MARK_WITHIN]:
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _zipped_kind(path)
    for signature, name in _FOREIGN:
        if head.startswith(signature):
            raise IngestError(f"format non pris en charge : le contenu est {name}", Reason.UNSUPPORTED)
    if b"\x00" in head or not looks_like_text(head):
        raise IngestError("fichier binaire d'un format inconnu : ce n'est pas un texte", Reason.UNSUPPORTED)
    if head.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        raise IngestError("format non pris en charge : le contenu est une page HTML", Reason.UNSUPPORTED)
    return MARKDOWN if path.suffix.lower() in _MARKDOWN_SUFFIXES else TEXT


_CONTROL = frozenset(range(32)) - {9, 10, 12, 13} | {127}


def looks_like_text(head: bytes) -> bool:
    """Text has almost no control bytes; a damaged PDF or a picture has plenty."""
    controls = sum(1 for byte in head if byte in _CONTROL)
    return controls <= len(head) // 100


def _zipped_kind(path: Path) -> str:
    """DOCX or ODT, told apart by the parts of the ZIP archive."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return DOCX
            if {"content.xml", "mimetype"} <= names and archive.read("mimetype").strip() == _ODT_MIME:
                return ODT
    except (zipfile.BadZipFile, OSError, ValueError, KeyError) as exc:
        raise IngestError("archive ZIP endommagée (document Word ou OpenDocument ?)", Reason.DAMAGED) from exc
    raise IngestError(
        "format non pris en charge : archive ZIP qui n'est ni un .docx ni un .odt", Reason.UNSUPPORTED
    )
