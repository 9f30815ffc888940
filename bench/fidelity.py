"""How faithfully a designed report is read: the office-suite document of tests/designed, as
PDF, ODT and DOCX, against what a perfect reader returns and against its Markdown twin.

    python -m bench.fidelity [--work /tmp/bench-fidelity]

For each file: key sentences intact in one passage, words that are no word of the twin (a
word cut at a line end and left apart, or glued to its neighbour), passages holding the
running header or footer, numbered headings found in the section paths, table rows with
all their cells right. Then the same questions asked of a store holding the PDF and of one
holding its Markdown twin (``eval --answers``): the answers should match.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from bench.measure import run
from tests.designed.documents import DesignedReport, build_report, build_unruled_pdf
from tests.designed.fidelity import Fidelity, Passage, measure, score


def naive(pdf: Path, expected: Any, twin: str) -> Fidelity:
    """The naive pipeline's passages of the PDF (PyPDFLoader, 1000/200 splitter) scored alike."""
    from langchain_community.document_loaders import PyPDFLoader
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    pages = PyPDFLoader(str(pdf)).load()
    pieces = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(pages)
    return score(pdf.name, [Passage(piece.page_content) for piece in pieces], expected, twin)


def answers(report: DesignedReport, work: Path) -> dict[str, dict[str, Any]]:
    """``eval --answers`` figures for the questions, on a store of the PDF and of the twin."""
    figures = {}
    for path, pages in ((report.pdf, True), (report.markdown, False)):
        store = work / f"store-{path.suffix[1:]}"
        folder = work / f"only-{path.suffix[1:]}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / path.name).write_bytes(path.read_bytes())
        run(["-m", "assistant", "ingest", str(folder), "--store", str(store)])
        questions = work / f"{path.name}.questions.jsonl"
        report.expectations.write_questions(questions, path.name, pages=pages)
        done = run(["-m", "assistant", "eval", "--questions", str(questions), "--store", str(store),
                    "--answers", "--json"])  # fmt: skip
        figures[path.suffix[1:]] = json.loads(done.stdout)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-fidelity"))
    args = parser.parse_args()
    report = build_report(args.work / "documents")
    twin = report.markdown.read_text(encoding="utf-8")
    rows = [measure(path, report.expectations, twin) for path in (report.pdf, report.odt, report.docx)]
    rows.append(measure(build_unruled_pdf(args.work / "documents"), report.expectations, twin))
    rows.append(naive(report.pdf, report.expectations, twin))
    print(json.dumps([row.to_dict() for row in rows], ensure_ascii=False, indent=1))
    figures = answers(report, args.work)
    for name, values in figures.items():
        print(name, {key: values.get(key) for key in ("answer_has_gold", "page_hit", "hit@1", "hit@5")})


if __name__ == "__main__":
    main()
