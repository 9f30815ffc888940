"""OCR of the pages of a PDF that have no text layer, with ocrmypdf and Tesseract (French).

Both are Debian packages (``apt-get install ocrmypdf tesseract-ocr-fra``), not
Python dependencies: when they are missing, ``ingest --ocr`` says so in one line.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from ingest.errors import IngestError, Reason

INSTALL_HINT = "installez-les avec : apt-get install ocrmypdf tesseract-ocr-fra"


def ocr_available() -> bool:
    if not (shutil.which("ocrmypdf") and shutil.which("tesseract")):
        return False
    languages = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False)
    return "fra" in languages.stdout.split()


def ocr_pdf(source: Path, target: Path, pages: list[int]) -> Path:
    """Write to ``target`` a copy of ``source`` where ``pages`` (numbered from 1) got an OCR text layer.

    Only those pages are rasterised and recognised; the others keep their text
    as it is. A page holding only a running header counts as a page to read.
    """
    if not ocr_available():
        raise IngestError(
            f"OCR demandé mais ocrmypdf ou Tesseract (français) est absent ; {INSTALL_HINT}", Reason.OCR
        )
    result = subprocess.run(
        [
            "ocrmypdf",
            "--force-ocr",
            "--pages",
            ",".join(map(str, pages)),
            "-l",
            "fra",
            "--output-type",
            "pdf",
            "--quiet",
            str(source),
            str(target),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        detail = " ".join(result.stderr.split())[-160:]
        raise IngestError(f"l'OCR a échoué ({detail or 'code ' + str(result.returncode)})", Reason.OCR)
    return target
