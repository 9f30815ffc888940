"""Hand-made bad files, one per class of trouble a shared folder brings, and the outcomes
each may end in (used by ``tests/ingest/test_bad_files.py``, and by ``bench.fuzz`` and
``python -m bench.badfiles`` through ``bench/badfiles.py``).

Every PDF here is written byte by byte (``minimal_pdf``), so a class is exactly the
defect it names: a decompression bomb, a cyclic page tree, nesting deep enough to
exhaust the parser's recursion, a content stream long enough to outlast the time
limit. ``LIMITS`` are the reading limits the classes are built against (small, so
the run is quick); ``make_bad_files`` writes them all and says what each must become.
"""

from __future__ import annotations

import io
import os
import random
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

INDEXED = "indexed"


@dataclass(frozen=True)
class Limits:
    """Reading limits for the bad-file run: seconds, reader MiB, file MiB, pages."""

    time_limit: float = 5.0
    memory_mb: int = 1024
    max_file_mb: float = 8.0
    max_pages: int = 40

    def environment(self) -> dict[str, str]:
        """The same limits as ``ASSISTANT_*`` variables, for the CLI."""
        return {
            "ASSISTANT_INGEST_TIMEOUT": str(self.time_limit),
            "ASSISTANT_INGEST_MEMORY_MB": str(self.memory_mb),
            "ASSISTANT_MAX_FILE_MB": str(self.max_file_mb),
            "ASSISTANT_MAX_PAGES": str(self.max_pages),
        }


LIMITS = Limits()


@dataclass(frozen=True)
class BadFile:
    """One class: its file, the outcomes it may end in (reason codes, or ``indexed``), and
    for an indexed file the pages it must report empty."""

    name: str
    path: Path
    accepted: frozenset[str]
    empty_pages: int = 0


# -- a minimal PDF writer ------------------------------------------------------


def _stream(data: bytes, compress: bool = False) -> bytes:
    body = zlib.compress(data, 9) if compress else data
    flate = b" /Filter /FlateDecode" if compress else b""
    return b"<< /Length %d%s >>\nstream\n" % (len(body), flate) + body + b"\nendstream"


def text_content(lines: Sequence[str]) -> bytes:
    """A content stream that draws ``lines`` in Helvetica, one under the other."""
    parts = [b"BT /F1 12 Tf 72 760 Td 16 TL"]
    for line in lines:
        escaped = line.encode("latin-1", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(")
        parts.append(b"(" + escaped.replace(b")", b"\\)") + b") '")
    parts.append(b"ET")
    return b"\n".join(parts)


def minimal_pdf(pages: Sequence[bytes], compress: Sequence[bool] = (), kids: bytes | None = None) -> bytes:
    """A PDF whose pages draw the given content streams (object numbers: 1 catalog,
    2 page tree, 3 font, then a page and its content per page). ``kids`` overrides the
    page tree's /Kids array (to make it cyclic)."""
    count = len(pages)
    page_ids = [4 + 2 * n for n in range(count)]
    refs = b" ".join(b"%d 0 R" % pid for pid in page_ids)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids if kids is not None else refs, count),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for n, content in enumerate(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % (page_ids[n] + 1)
        )
        objects.append(_stream(content, compress=bool(compress and compress[n])))
    return _assemble(objects)


def _assemble(objects: Sequence[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


GOOD_LINES = ["Bilan de la journee 2", "Les territoires ont partage leurs leviers de cooperation."]


def good_pdf() -> bytes:
    return minimal_pdf([text_content(GOOD_LINES), text_content(["Deuxieme page du bilan."])])


# -- the classes -----------------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def _zip_bomb_docx() -> bytes:
    """A real .docx whose document.xml inflates to 1.5 GiB of spaces (a few MiB compressed)."""
    import docx

    source = io.BytesIO()
    docx.Document().save(source)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(source) as original,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as bomb,
    ):
        for item in original.infolist():
            if item.filename != "word/document.xml":
                bomb.writestr(item, original.read(item))
        with bomb.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(b'<?xml version="1.0"?><w:document xmlns:w="x">')
            block = b" " * (1 << 24)
            for _ in range(96):
                member.write(block)
            member.write(b"</w:document>")
    return out.getvalue()


def _nested_pdf() -> bytes:
    depth = 100_000
    deep = b"[" * depth + b"]" * depth
    return minimal_pdf([text_content(["Texte."])]).replace(b"/Count 1 >>", b"/Count 1 /Deep " + deep + b" >>")


def _slow_pdf() -> bytes:
    """One page drawing three million tiny strings: more work than the time limit allows."""
    ops = b"BT /F1 1 Tf " + b"1 0 Td (a) Tj " * 3_000_000 + b"ET"
    return minimal_pdf([ops], compress=[True])


def _bomb_pdf() -> bytes:
    """A first page of text, then a page whose content inflates to 256 MiB of spaces."""
    compressor = zlib.compressobj(1)
    block = b" " * (1 << 24)
    body = b"".join(compressor.compress(block) for _ in range(16)) + compressor.flush()
    bomb = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream"
    pdf = minimal_pdf([text_content(GOOD_LINES), b"BT ET"])
    return pdf.replace(_stream(b"BT ET"), bomb) if _stream(b"BT ET") in pdf else pdf


def _rebuild_xref(pdf: bytes) -> bytes:
    """Offsets change when an object's body is replaced: write the PDF again from its objects."""
    from re import DOTALL, finditer

    bodies = [match.group(1) for match in finditer(rb"\d+ 0 obj\n(.*?)\nendobj\n", pdf, DOTALL)]
    return _assemble(bodies)


def _encrypted_pdf(folder: Path) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(good_pdf())))
    writer.encrypt(user_password="secret-de-la-fabrique", owner_password="proprietaire")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _image_only_pdf() -> bytes:
    """A page that paints an image and has no text layer."""
    image = b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
    image += b"/BitsPerComponent 8 /Length 4 >>\nstream\n\x00\xff\xff\x00\nendstream"
    pdf = minimal_pdf([b"q 200 0 0 200 100 500 cm /Im1 Do Q"])
    pdf = pdf.replace(b"/Font << /F1 3 0 R >> >>", b"/Font << /F1 3 0 R >> /XObject << /Im1 3 0 R >> >>")
    return _rebuild_xref(pdf.replace(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", image))


def _classes(folder: Path) -> list[tuple[str, Callable[[], bytes], frozenset[str], int]]:
    good = good_pdf()
    half = good[: len(good) // 2]
    xref_at = good.rindex(b"xref")
    return [
        ("vide.pdf", lambda: b"", frozenset({"vide"}), 0),
        ("page-web.pdf", lambda: b"<!DOCTYPE html><html><body>404</body></html>", frozenset({"format"}), 0),
        ("photo.pdf", lambda: b"\x89PNG\r\n\x1a\n" + os.urandom(2048), frozenset({"format"}), 0),
        ("binaire.txt", lambda: random.Random(7).randbytes(4096), frozenset({"format"}), 0),
        ("tronque.pdf", lambda: half, frozenset({"endommage", "sans-texte", INDEXED}), 0),
        (
            "xref-casse.pdf",
            lambda: good[:xref_at] + b"xref\n0 9\nn'importe quoi\n" + good[xref_at + 40 :],
            frozenset({"endommage", INDEXED}),
            0,
        ),
        ("chiffre.pdf", lambda: _encrypted_pdf(folder), frozenset({"protege"}), 0),
        ("bombe-page.pdf", lambda: _rebuild_xref(_bomb_pdf()), frozenset({INDEXED}), 1),
        ("imbrique.pdf", _nested_pdf, frozenset({"endommage", "arret", "memoire"}), 0),
        (
            "arbre-cyclique.pdf",
            lambda: minimal_pdf([text_content(["x"])], kids=b"2 0 R"),
            frozenset({"endommage", "sans-texte", "delai"}),
            0,
        ),
        # Three million text operators: a busy machine stops at the time limit, a quiet fast
        # one reads it in time and finds no text. Both are right; the time limit itself is
        # proven by a reader that can never finish (tests/ingest/test_pdf_structure.py).
        ("interminable.pdf", _slow_pdf, frozenset({"delai", "sans-texte"}), 0),
        (
            "trop-de-pages.pdf",
            lambda: minimal_pdf([b"BT ET"] * (LIMITS.max_pages + 5)),
            frozenset({"trop-de-pages"}),
            0,
        ),
        (
            "trop-gros.txt",
            lambda: b"Ligne de texte.\n" * (int(LIMITS.max_file_mb * (1 << 20)) // 16 + 100),
            frozenset({"trop-gros"}),
            0,
        ),
        ("scan.pdf", _image_only_pdf, frozenset({"sans-texte"}), 0),
        ("sans-page.pdf", lambda: minimal_pdf([]), frozenset({"sans-texte"}), 0),
        ("tableur.docx", lambda: _zip({"xl/workbook.xml": b"<workbook/>"}), frozenset({"format"}), 0),
        ("zip-casse.docx", lambda: b"PK\x03\x04" + os.urandom(512), frozenset({"endommage"}), 0),
        ("bombe-zip.docx", _zip_bomb_docx, frozenset({"memoire", "arret", "delai", "endommage"}), 0),
        (
            "odt-sans-contenu.odt",
            lambda: _zip({"mimetype": b"application/vnd.oasis.opendocument.text"}),
            frozenset({"format"}),
            0,
        ),
        (
            "entete-yaml.md",
            lambda: b"---\ntitre: [non ferme\n---\n\n# Notes\n\nTexte.",
            frozenset({"texte-illisible"}),
            0,
        ),
    ]


def make_bad_files(folder: Path) -> list[BadFile]:
    """Write every class into ``folder`` (and a named pipe, which is no file at all)."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for name, build, accepted, empty in _classes(folder):
        path = folder / name
        path.write_bytes(build())
        made.append(BadFile(name, path, accepted, empty))
    pipe = folder / "tube.md"
    if not pipe.exists():
        os.mkfifo(pipe)
    made.append(BadFile("tube.md", pipe, frozenset({"pas-un-fichier"})))
    return made
