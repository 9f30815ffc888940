"""Pictures of PDF pages for citation cards: real PDFs rendered with pypdfium2."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from ingest import IngestError, page_picture
from tests.pdfs import make_pdf


def test_a_page_is_rendered_once_then_read_from_the_cache(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "bilan.pdf", [["Page un."], ["Page deux."]])
    cache = tmp_path / "pages"
    first = page_picture(pdf, 2, "ab" * 32, cache)
    assert first == cache / f"{'ab' * 8}-p2.png"
    with Image.open(first) as image:
        assert image.size == (round(595.28 * 1.5), round(841.89 * 1.5))  # A4 at 1.5x
    stamp = first.stat().st_mtime_ns
    pdf.unlink()  # the cached picture no longer needs the file
    assert page_picture(pdf, 2, "ab" * 32, cache).stat().st_mtime_ns == stamp
    assert [p.name for p in cache.iterdir()] == [first.name]


def test_a_page_that_does_not_exist_or_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "bilan.pdf", [["Seule page."]])
    with pytest.raises(IngestError, match=r"^bilan\.pdf : pas de page 3$"):
        page_picture(pdf, 3, "cd" * 32, tmp_path / "pages")
    with pytest.raises(IngestError, match="fichier introuvable"):
        page_picture(tmp_path / "absent.pdf", 1, "ef" * 32, tmp_path / "pages")
    assert not (tmp_path / "pages").exists() or not any((tmp_path / "pages").iterdir())


def test_a_file_that_is_not_a_pdf_is_a_clear_error(tmp_path: Path) -> None:
    fake = tmp_path / "faux.pdf"
    fake.write_text("pas un PDF", encoding="utf-8")
    with pytest.raises(IngestError, match=r"^faux\.pdf : aperçu impossible"):
        page_picture(fake, 1, "01" * 32, tmp_path / "pages")


def test_many_requests_for_the_same_new_page_render_it_once_without_error(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    pdf = make_pdf(tmp_path / "bilan.pdf", [[f"Page {n}."] for n in range(1, 4)])
    cache = tmp_path / "pages"
    with ThreadPoolExecutor(8) as pool:  # pdfium is not thread-safe: renders must not overlap
        pictures = list(pool.map(lambda n: page_picture(pdf, 1 + n % 3, "ef" * 32, cache), range(24)))
    assert sorted({p.name for p in pictures}) == [f"{'ef' * 8}-p{n}.png" for n in (1, 2, 3)]
    assert sorted(p.name for p in cache.iterdir()) == sorted({p.name for p in pictures})  # no .part left
