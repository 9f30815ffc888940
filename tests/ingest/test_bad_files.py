"""Hostile files: every hand-made class through the real CLI, and sniffing by content."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.errors import IngestError, Reason
from ingest.sniffing import DOCX, MARKDOWN, PDF, TEXT, sniff
from tests.badfiles import LIMITS, BadFile, good_pdf, make_bad_files
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory: pytest.TempPathFactory) -> list[BadFile]:
    return make_bad_files(tmp_path_factory.mktemp("mauvais"))


def test_every_bad_file_class_ends_in_a_reason_it_allows_without_a_traceback(
    bad_files: list[BadFile], tmp_path: Path
) -> None:
    assert len(bad_files) >= 15
    good = tmp_path / "bilan-sain.pdf"
    good.write_bytes(good_pdf())
    result = run_cli(
        "ingest", *(str(b.path) for b in bad_files), str(good), "--json",
        store=tmp_path / "store", env=LIMITS.environment(),
    )  # fmt: skip
    assert result.returncode == 1  # some files failed, the run did not
    assert "Traceback" not in result.stdout + result.stderr
    report = json.loads(result.stdout)
    outcomes = {Path(o["path"]).name: o for o in report["files"]}
    assert set(outcomes) == {b.name for b in bad_files} | {"bilan-sain.pdf"}
    for bad in bad_files:
        outcome = outcomes[bad.name]
        got = outcome["code"] or outcome["status"]
        assert got in bad.accepted, (bad.name, outcome)
        assert outcome["empty_pages"] == bad.empty_pages, bad.name
        if outcome["status"] == "failed":
            assert outcome["reason"] and "\n" not in outcome["reason"]
            assert outcome["seconds"] < LIMITS.time_limit + 5, bad.name
    assert outcomes["bilan-sain.pdf"]["status"] == "indexed"  # the good file among them is indexed
    assert outcomes["bombe-zip.docx"]["code"] in {Reason.MEMORY, Reason.CRASHED}
    bomb = outcomes["bombe-page.pdf"]
    assert bomb["status"] == "indexed" and any("bombe de décompression" in w for w in bomb["warnings"])


def test_a_file_past_the_time_limit_is_stopped_whatever_the_machine(
    bad_files: list[BadFile], tmp_path: Path
) -> None:
    """The per-file time limit through the CLI, deterministic: 3 million text operators
    cannot be read in 50 ms on any machine (with the 5 s of the run above, a fast quiet
    machine reads them in time, which that test accepts)."""
    slow = next(bad for bad in bad_files if bad.name == "interminable.pdf")
    env = {**LIMITS.environment(), "ASSISTANT_INGEST_TIMEOUT": "0.05"}
    result = run_cli("ingest", str(slow.path), "--json", store=tmp_path / "store", env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (outcome,) = json.loads(result.stdout)["files"]
    assert outcome["code"] == Reason.TIMEOUT
    assert outcome["reason"].startswith("lecture interrompue après 0.05 s")


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("rapport.txt", good_pdf(), PDF),  # a PDF with the wrong name is read as a PDF
        ("notes.md", "# Journée 1\n\nTexte.".encode(), MARKDOWN),
        ("notes.data", "Compte rendu accentué.".encode("cp1252"), TEXT),
        ("prefixe.pdf", b"\xef\xbb\xbf  \n" + good_pdf(), PDF),  # bytes before %PDF- are allowed
    ],
)
def test_the_loader_is_chosen_by_content(tmp_path: Path, name: str, content: bytes, kind: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert sniff(path) == kind


def test_a_real_docx_is_recognised_whatever_its_name(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "compte-rendu.bin"
    docx.Document().save(str(path))
    assert sniff(path) == DOCX


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "image PNG"),
        (b"\xd0\xcf\x11\xe0" + bytes(100), "Office ancien"),
        (b"  <!doctype html><html></html>", "page HTML"),
        (bytes(range(1, 32)) * 20, "binaire"),
    ],
)
def test_content_no_loader_reads_is_refused_by_what_it_is(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    with pytest.raises(IngestError) as refused:
        sniff(path)
    assert words in str(refused.value) and refused.value.reason == Reason.UNSUPPORTED
