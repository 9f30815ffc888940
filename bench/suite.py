"""The benchmark (``make bench``): this project against the naive LangChain pipeline
(bench/naive_pipeline.py: PyPDFLoader, 1000/200 splitter, Chroma, top-k), every figure
measured side by side in the same run, printed as one table with the ratio and the target.

    python -m bench.suite --squad ../shared/eval/piaf-dev.json [--work /tmp/bench] [--runs 3]

1. Indexing the sample report (12 pages), ``--runs`` times each, alternately, into fresh
   stores: ours with an empty vector cache (everything embedded, sentences included), the
   naive pipeline with all-MiniLM-L6-v2 (as the tutorial does) and with our model;
   whole-process wall time and peak memory of the process tree. Then ours again with the
   vectors already in the machine's cache (a re-index, a second store).
2. The PIAF dev articles become PDFs and a questions file (bench/piaf_corpus.py), indexed
   once by ours and by the naive pipeline (MiniLM).
3. Cold starts, ``--runs`` times each: ``ask`` (process start to printed answer) and
   ``serve`` (process start to the page answering), ``--help``.
4. Retrieval and answers over every PIAF dev question (``eval --answers``), with quality.
5. The everyday-words sets on the sample store (answerable, unanswerable, held out), and the
   two real reports of ``../shared/realpdf/`` with their questions; how faithfully those are
   read, ours against the naive loader (bench/real_fidelity.py); and the Cerema guide indexed
   from scratch ``--runs`` times each, alternately, by ours and by the naive pipeline on our
   model.
6. The designed report made by LibreOffice (tests/designed, bench/fidelity.py): fidelity of
   its PDF's passages, against the naive pipeline's, and its answers against its twin's.
7. Scale: synthetic passages (bench/scale.py), 1k and 10k by default.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import fidelity, real_fidelity, scale
from bench.measure import free_port, median, run, until_ready
from bench.piaf_corpus import build_corpus
from tests.designed.documents import build_report

QUESTION = "Quelle est la capitale de la Bretagne ?"
ROOT = Path(__file__).resolve().parents[1]
SAMPLE_PDF = ROOT / "sample" / "bilan-exemple.pdf"


@dataclass(frozen=True)
class Row:
    figure: str
    naive: float | None
    ours: float
    unit: str
    better: str  # "lower" or "higher": which way the ratio reads as an advantage
    target: str = ""
    met: bool | None = None

    def ratio(self) -> str:
        if not self.naive or not self.ours:
            return "-"
        value = self.naive / self.ours if self.better == "lower" else self.ours / self.naive
        return f"{value:.2f}x"


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2 if unit != "" else 3
    return f"{value:.{digits}f} {unit}".strip()


Measured = tuple[float, float, dict[str, Any]]  # wall time, peak memory, what it reported
Indexer = Callable[[Path], Measured]


def _ours(folder: Path, store: Path, cache: Path) -> Measured:
    done = run(["-m", "assistant", "ingest", str(folder), "--store", str(store), "--json"],
               env={"ASSISTANT_MODEL_CACHE": str(cache)})  # fmt: skip
    report = json.loads(done.stdout)
    pages = sum(item["pages"] for item in report["files"])
    return done.seconds, done.peak_mib, {"pages": pages, "chunks": report["chunks_in_store"]}


def _naive(folder: Path, store: Path, model: str) -> Measured:
    done = run(["-m", "bench.naive_pipeline", "index", str(folder), str(store)], env={"NAIVE_MODEL": model})
    return done.seconds, done.peak_mib, json.loads(done.stdout)


def alternately(
    sides: dict[str, Indexer], work: Path, name: str, runs: int, *, warm_up: bool = False
) -> dict[str, list[Measured]]:
    """Each side indexing into a fresh store ``runs`` times, the sides taking turns (after a
    round left out when ``warm_up``): wall time, peak memory and report of every run."""
    left_out = 1 if warm_up else 0
    results: dict[str, list[Measured]] = {side: [] for side in sides}
    for attempt in range(left_out + runs):
        for side, index in sides.items():
            measured = index(_fresh(work / f"{side}-{name}-store"))
            if attempt >= left_out:
                results[side].append(measured)
    return results


def medians(results: dict[str, list[Measured]]) -> tuple[dict[str, float], dict[str, float]]:
    """Each side's median wall time and median peak memory."""
    seconds = {side: median([r[0] for r in rows]) for side, rows in results.items()}
    return seconds, {side: median([r[1] for r in rows]) for side, rows in results.items()}


def indexing(work: Path, runs: int) -> list[Row]:
    """The sample report, indexed from scratch: ours (every vector computed) against the naive
    pipeline with MiniLM and with our model; then ours with the vectors already cached."""
    folder = work / "sample-pdf"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLE_PDF, folder / SAMPLE_PDF.name)
    sides: dict[str, Indexer] = {
        "naive": lambda store: _naive(folder, store, "all-MiniLM-L6-v2"),
        "naive-e5": lambda store: _naive(folder, store, "multilingual-e5-small"),
        "ours": lambda store: _ours(folder, store, _fresh(work / "empty-cache")),
        "ours-cached": lambda store: _ours(folder, store, work / "warm-cache"),
    }
    results = alternately(sides, work, "sample", runs, warm_up=True)  # files cached, cache filled
    seconds, memory = medians(results)
    pages, chunks = results["ours"][0][2]["pages"], results["ours"][0][2]["chunks"]
    naive_chunks = results["naive"][0][2]["chunks"]
    return [
        Row(f"indexing the sample report ({pages} pages; naive {naive_chunks} passages, ours {chunks} "
            f"and their sentences), MiniLM naive: wall time (median of {runs})",
            seconds["naive"], seconds["ours"], "s", "lower"),
        Row("same, naive pipeline on our model (multilingual-e5-small)", seconds["naive-e5"], seconds["ours"],
            "s", "lower"),
        Row("same, ours with the vectors already in the machine's cache", seconds["naive"],
            seconds["ours-cached"], "s", "lower"),
        Row("indexing the sample report: peak memory (process tree), MiniLM naive", memory["naive"],
            memory["ours"], "MiB", "lower"),
        Row("same, naive pipeline on our model", memory["naive-e5"], memory["ours"], "MiB", "lower"),
    ]  # fmt: skip


def _fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    return folder


def piaf_indexing(pdf_dir: Path, work: Path) -> list[Row]:
    """The PIAF dev PDFs, indexed once by each side (they are the stores of the next rows)."""
    ours = _ours(pdf_dir, _fresh(work / "ours-store"), work / "warm-cache")
    naive = _naive(pdf_dir, _fresh(work / "naive-store"), "all-MiniLM-L6-v2")
    return [
        Row(f"indexing {ours[2]['pages']} PIAF PDF pages once (naive {naive[2]['chunks']}, ours "
            f"{ours[2]['chunks']} passages)", naive[0], ours[0], "s", "lower"),
    ]  # fmt: skip


def cold_starts(work: Path, runs: int) -> list[Row]:
    ours_store, naive_store = str(work / "ours-store"), str(work / "naive-store")

    def timed(args: list[str]) -> float:
        return median([run(args).seconds for _ in range(runs)])

    def ready(args: list[str], port_env: Callable[[int], tuple[list[str], dict[str, str]]]) -> float:
        times = []
        for _ in range(runs):
            port = free_port()
            extra, env = port_env(port)
            times.append(until_ready([*args, *extra], port, env))
        return median(times)

    ask_ours = timed(["-m", "assistant", "ask", QUESTION, "--store", ours_store])
    ask_naive = timed(["-m", "bench.naive_pipeline", "ask", QUESTION, naive_store])
    help_ours = timed(["-m", "assistant", "--help"])
    serve_ours = ready(
        ["-m", "bilan", "serve"], lambda port: (["--port", str(port)], {"ASSISTANT_STORE": ours_store})
    )
    serve_naive = ready(
        ["-m", "bench.naive_pipeline", "serve", naive_store], lambda port: (["--port", str(port)], {})
    )
    return [
        Row("`ask` cold start, process start to answer", ask_naive, ask_ours, "s", "lower", "≤ 3 s",
            ask_ours <= 3),
        Row("`--help`", None, help_ours, "s", "lower", "≤ 0.5 s", help_ours <= 0.5),
        Row("`serve` start to page answering", serve_naive, serve_ours, "s", "lower", "≤ 8 s",
            serve_ours <= 8),
    ]  # fmt: skip


def retrieval(questions: Path, work: Path) -> list[Row]:
    ours = json.loads(
        run(["-m", "assistant", "eval", "--questions", str(questions), "--store", str(work / "ours-store"),
             "--answers", "--json"]).stdout
    )  # fmt: skip
    naive = json.loads(
        run(["-m", "bench.naive_pipeline", "eval", str(questions), str(work / "naive-store")]).stdout
    )
    count = ours["questions"]
    return [
        Row(f"retrieval latency p50 ({count} PIAF questions, query embedding included)",
            naive["latency_ms_p50"], ours["latency_ms_p50"], "ms", "lower"),
        Row("retrieval latency p95", naive["latency_ms_p95"], ours["latency_ms_p95"], "ms", "lower",
            "≤ 60 ms", ours["latency_ms_p95"] <= 60),
        Row("answer latency p50 (no language model: ours extractive, cited, retrieval included; "
            "naive: prompt stuffed)", naive["answer_total_ms_p50"], ours["answer_ms_p50"], "ms", "lower"),
        Row("answer latency p95", naive["answer_total_ms_p95"], ours["answer_ms_p95"], "ms", "lower"),
        Row("PIAF hit@1", naive["hit@1"], ours["hit@1"], "", "higher", "≥ 0.84", ours["hit@1"] >= 0.84),
        Row("PIAF hit@5", naive["hit@5"], ours["hit@5"], "", "higher", "≥ 0.95", ours["hit@5"] >= 0.95),
        Row("PIAF mrr@10", naive["mrr@10"], ours["mrr@10"], "", "higher"),
        Row("PIAF answer_has_gold", None, ours["answer_has_gold"], "", "higher", "≥ 0.80",
            ours["answer_has_gold"] >= 0.80),
        Row("PIAF first_sentence_has_gold", None, ours["first_sentence_has_gold"], "", "higher"),
        Row("PIAF citation precision", None, ours["citation_precision"], "", "higher", "≥ 0.75",
            ours["citation_precision"] >= 0.75),
        Row("PIAF refusal rate (every PIAF question has its answer)", None, ours["refusal_rate"], "", "lower",
            "≤ 0.03", ours["refusal_rate"] <= 0.03),
        Row("PIAF answered in part (the answer says the documents do not give it)", None,
            ours["wrongly_partial"], "", "lower"),
    ]  # fmt: skip


def everyday(work: Path) -> list[Row]:
    """The everyday-words sets (tests/data) on the sample store, the held-out one included
    (ours only: the naive pipeline gives no answer to check, only passages)."""
    store = work / "sample-store"
    if not store.exists():
        run(["-m", "assistant", "ingest", str(ROOT / "sample"), "--store", str(store)],
            env={"ASSISTANT_MODEL_CACHE": str(work / "warm-cache")})  # fmt: skip
    answerable = evaluate(ROOT / "tests/data/everyday_questions.jsonl", store)
    off = evaluate(ROOT / "tests/data/everyday_unanswerable.jsonl", store)
    held = evaluate(ROOT / "tests/data/everyday_holdout.jsonl", store)
    count, off_count = answerable["questions"], off["questions"]
    return [
        Row(f"everyday words ({count} questions): fact and its page cited", None,
            answerable["fact_and_page"], "", "higher", "≥ 0.85", answerable["fact_and_page"] >= 0.85),
        Row("everyday words: fact in the answer", None, answerable["answer_has_gold"], "", "higher"),
        Row("everyday words: fact in the first sentence", None, answerable["first_sentence_has_gold"], "",
            "higher"),
        Row("everyday words: wrongly refused", None, answerable["wrongly_refused"], "", "lower", "≤ 0.05",
            answerable["wrongly_refused"] <= 0.05),
        Row("everyday words: answered in part although the documents answer", None,
            answerable["wrongly_partial"], "", "lower"),
        Row(f"everyday words, not in the documents ({off_count} questions): refused or partial naming "
            "what is missing", None, off["refused_or_partial"], "", "higher", "≥ 0.80",
            off["refused_or_partial"] >= 0.80),
        Row("everyday words: retrieval hit@5", None, answerable["hit@5"], "", "higher"),
        *_set_rows(f"held-out everyday set ({held['answerable']} + {held['unanswerable']} questions)", held),
    ]  # fmt: skip


def evaluate(questions: Path, store: Path) -> dict[str, Any]:
    """``eval --answers --json`` of a question file on a store."""
    args = ["-m", "assistant", "eval", "--questions", str(questions), "--store", str(store), "--answers"]
    return dict(json.loads(run([*args, "--json"]).stdout))


def _set_rows(name: str, figures: dict[str, Any]) -> list[Row]:
    """A question set's answerable and unanswerable figures against the issue 25 targets."""
    return [
        Row(f"{name}: fact and its page cited", None, figures["fact_and_page"], "", "higher", "≥ 0.85",
            figures["fact_and_page"] >= 0.85),
        Row(f"{name}: wrongly refused", None, figures["wrongly_refused"], "", "lower", "≤ 0.05",
            figures["wrongly_refused"] <= 0.05),
        Row(f"{name}: answered in part although the documents answer", None, figures["wrongly_partial"],
            "", "lower"),
        Row(f"{name}: not in the documents, refused or partial naming what is missing", None,
            figures["refused_or_partial"], "", "higher", "≥ 0.80", figures["refused_or_partial"] >= 0.80),
    ]  # fmt: skip


REAL_REPORTS = {  # ../shared/realpdf/ (never copied into the project) -> its questions in tests/data
    "cerema-raccordement-coproprietes.pdf": "cerema_questions.jsonl",
    "fcu-dossier-presse.pdf": "fcu_questions.jsonl",
}


def real_reports(shared: Path, work: Path) -> list[Row]:
    """The two real reports made outside the project, each indexed alone and asked its
    questions (answerable and not); none when ``shared`` does not hold them."""
    rows = []
    for pdf, questions in REAL_REPORTS.items():
        if not (shared / pdf).exists():
            print(f"{shared / pdf} absent : rapport réel non mesuré", file=sys.stderr)
            continue
        store = work / f"real-{pdf.split('-')[0]}"
        if not store.exists():
            run(["-m", "assistant", "ingest", str(shared / pdf), "--store", str(store)],
                env={"ASSISTANT_MODEL_CACHE": str(work / "warm-cache")})  # fmt: skip
        figures = evaluate(ROOT / "tests/data/realpdf" / questions, store)
        rows += _set_rows(f"{pdf} ({figures['answerable']} + {figures['unanswerable']} questions)", figures)
    return rows


def real_fidelity_rows(shared: Path) -> list[Row]:
    """How faithfully each real report is read (bench/real_fidelity.py), ours against the naive
    loader, against the targets of issue 26; none when ``shared`` does not hold it."""
    rows = []
    for pdf in real_fidelity.REPORTS:
        if not (shared / pdf).exists():
            print(f"{shared / pdf} absent : fidélité de lecture non mesurée", file=sys.stderr)
            continue
        expected = real_fidelity.expectations(pdf)
        ours, naive = real_fidelity.measure(shared / pdf, expected)
        rows += fidelity_rows(pdf, ours, naive, expected)
    return rows


def fidelity_rows(
    pdf: str,
    ours: real_fidelity.RealFidelity,
    naive: real_fidelity.RealFidelity,
    expected: real_fidelity.RealExpectations,
) -> list[Row]:
    """One report's fidelity rows: the running-text row only when it has running texts, the
    note-call row only when it has note calls."""
    sentences = ours.sentences_whole / ours.sentences
    headings = ours.headings_found / ours.headings
    rows = [
        Row(f"{pdf}: words of its text layer found in the passages ({ours.words})", naive.coverage,
            ours.coverage, "", "higher", "≥ 0.99", ours.coverage >= 0.99),
        Row(f"{pdf}: key sentences whole in one passage of their page ({ours.sentences})",
            naive.sentences_whole / naive.sentences, sentences, "", "higher", "≥ 0.90", sentences >= 0.90),
        Row(f"{pdf}: word fragments (broken, glued or cut words)", len(naive.fragments), len(ours.fragments),
            "", "lower", "0", not ours.fragments),
        Row(f"{pdf}: headings in section paths ({ours.headings})", naive.headings_found / naive.headings,
            headings, "", "higher", "≥ 0.90", headings >= 0.90),
        Row(f"{pdf}: private-use characters (Wingdings bullets…) in the passages", naive.private_use,
            ours.private_use, "", "lower"),
        Row(f"{pdf}: reading and cutting into passages ({naive.passages} naive, {ours.passages} ours)",
            naive.seconds, ours.seconds, "s", "lower"),
    ]  # fmt: skip
    if expected.running_texts:
        rows.insert(3, Row(f"{pdf}: passages holding the running header or footer", naive.running_leaks,
                           ours.running_leaks, "", "lower", "0", ours.running_leaks == 0))  # fmt: skip
    if expected.note_calls:
        rows.insert(-2, Row(f"{pdf}: note calls glued to their word", naive.note_calls_glued,
                            ours.note_calls_glued, "", "lower"))  # fmt: skip
    return rows


CEREMA = "cerema-raccordement-coproprietes.pdf"


def real_indexing(shared: Path, work: Path, runs: int) -> list[Row]:
    """The Cerema guide indexed from scratch ``runs`` times each, alternately: our ``ingest``
    (fresh store, empty vector cache) against the naive pipeline on the same model."""
    pdf = shared / CEREMA
    if not pdf.exists():
        return []
    folder = work / "cerema-only"  # the naive pipeline indexes a folder: the PDF linked, not copied
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / CEREMA).exists():
        (folder / CEREMA).symlink_to(pdf.resolve())
    sides: dict[str, Indexer] = {
        "naive-e5": lambda store: _naive(folder, store, "multilingual-e5-small"),
        "ours": lambda store: _ours(pdf, store, _fresh(work / "empty-cache")),
    }
    results = alternately(sides, work, "cerema", runs)
    seconds, memory = medians(results)
    pages, chunks = results["ours"][0][2]["pages"], results["ours"][0][2]["chunks"]
    naive_chunks = results["naive-e5"][0][2]["chunks"]
    return [
        Row(f"indexing the Cerema guide ({pages} pages; naive {naive_chunks} passages, ours {chunks} and "
            f"their sentences), both on multilingual-e5-small, fresh store and empty vector cache: wall "
            f"time (median of {runs})", seconds["naive-e5"], seconds["ours"], "s", "lower"),
        Row("same: peak memory (process tree)", memory["naive-e5"], memory["ours"], "MiB", "lower"),
    ]  # fmt: skip


def designed(work: Path) -> list[Row]:
    """The designed report made by LibreOffice (tests/designed): how faithfully its PDF is
    read, against the naive pipeline's passages, and its questions answered on the PDF and on
    its Markdown twin."""
    report = build_report(work / "designed")
    twin = report.markdown.read_text(encoding="utf-8")
    ours = fidelity.measure(report.pdf, report.expectations, twin)
    base = fidelity.naive(report.pdf, report.expectations, twin)
    answered = fidelity.answers(report, work / "designed")
    pdf, md = answered["pdf"]["answer_has_gold"], answered["md"]["answer_has_gold"]
    share = ours.sentences_intact / ours.sentences
    return [
        Row(f"designed PDF (LibreOffice, 5 pages): key sentences intact in one passage ({ours.sentences})",
            base.sentences_intact / base.sentences, share, "", "higher", "≥ 0.98", share >= 0.98),
        Row("designed PDF: words cut or glued (not in its Markdown twin)", len(base.foreign_words),
            len(ours.foreign_words), "", "lower", "0", not ours.foreign_words),
        Row("designed PDF: passages holding the running header or footer", base.running_leaks,
            ours.running_leaks, "", "lower", "0", ours.running_leaks == 0),
        Row("designed PDF: numbered headings in section paths", base.headings_found / base.headings,
            ours.headings_found / ours.headings, "", "higher", "≥ 0.95",
            ours.headings_found >= 0.95 * ours.headings),
        Row("designed PDF: table rows with every cell right", base.rows_right / base.rows,
            ours.rows_right / ours.rows, "", "higher", "all", ours.rows_right == ours.rows),
        Row("designed PDF: gold answer in the answer (its Markdown twin in the target)", None, pdf, "",
            "higher", f"= {md:.3f}", pdf >= md),
    ]  # fmt: skip


def scaling(args: argparse.Namespace) -> list[Row]:
    options = scale.parser().parse_args(
        ["--squad", str(args.squad), "--work", str(args.work / "scale"), "--real", str(args.real),
         "--questions", str(args.questions), "--sizes", *map(str, args.sizes)]
    )  # fmt: skip
    measured = {(r["size"], r["side"]): r for r in scale.measure(options)}
    targets = {10000: 60.0, 100000: 100.0}
    rows = []
    for size in sorted(args.sizes):
        n, o = measured[(size, "naive")], measured[(size, "ours")]
        target = targets.get(size)
        rows += [
            Row(f"{size} passages: retrieval p50", n["p50_ms"], o["p50_ms"], "ms", "lower"),
            Row(f"{size} passages: retrieval p95", n["p95_ms"], o["p95_ms"], "ms", "lower",
                f"≤ {target:.0f} ms" if target else "", o["p95_ms"] <= target if target else None),
            Row(f"{size} passages: build (embedding {o['embedding_s']:.0f} s"
                f"{'' if o['real_vectors'] == size else ', at the measured rate'} + writing)",
                n["build_s"], o["build_s"], "s", "lower"),
            Row(f"{size} passages: writing and indexing only", n["write_s"], o["write_s"], "s", "lower"),
            Row(f"{size} passages: disk", n["disk_mib"], o["disk_mib"], "MiB", "lower"),
            Row(f"{size} passages: serving peak memory", n["peak_rss_mib"], o["peak_rss_mib"], "MiB",
                "lower", *(("≤ 2048 MiB", o["peak_rss_mib"] <= 2048) if size >= 100000 else ("", None))),
        ]  # fmt: skip
    return rows


def table(rows: list[Row]) -> str:
    lines = [
        "| figure | naive LangChain | this project | advantage | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        met = "" if row.met is None else ("yes" if row.met else "**no**")
        lines.append(
            f"| {row.figure} | {_fmt(row.naive, row.unit)} | {_fmt(row.ours, row.unit)} | {row.ratio()} | "
            f"{row.target} | {met} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--squad", type=Path, required=True, help="SQuAD-format JSON (PIAF dev)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench"))
    parser.add_argument("--realpdf", type=Path, default=ROOT.parent / "shared" / "realpdf")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--real", type=int, default=1000, help="scale passages embedded by the model")
    parser.add_argument("--questions", type=int, default=300, help="questions per scale measurement")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    pdf_dir, questions, articles = build_corpus(args.squad, args.work)
    rows = indexing(args.work, args.runs)
    print(table(rows), flush=True)  # partial tables as the run goes: it takes a while
    rows += piaf_indexing(pdf_dir, args.work)
    rows += cold_starts(args.work, args.runs)
    rows += retrieval(questions, args.work)
    rows += everyday(args.work)
    rows += real_reports(args.realpdf, args.work)
    rows += real_fidelity_rows(args.realpdf)
    rows += real_indexing(args.realpdf, args.work, args.runs)
    rows += designed(args.work)
    print(table(rows), flush=True)
    rows += scaling(args)
    (args.work / "table.md").write_text(table(rows) + "\n")
    print(f"\n{articles} articles PIAF ; tableau complet : {args.work / 'table.md'}\n")
    print(table(rows))
    return 0 if all(row.met is not False for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
