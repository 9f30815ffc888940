"""The performance benchmark's own parts: its table, its synthetic corpus, its measurements."""

from __future__ import annotations

import sys

from bench import scale
from bench.measure import run
from bench.suite import Row, table


def test_ratios_read_as_an_advantage_whichever_way_a_figure_improves() -> None:
    faster = Row("indexing", 24.0, 12.0, "s", "lower", "≥ 1.5x naive", True)
    more = Row("pages/s", 5.0, 10.0, "", "higher")
    slower = Row("p95", 20.0, 40.0, "ms", "lower", "≤ 30 ms", False)
    assert (faster.ratio(), more.ratio(), slower.ratio()) == ("2.00x", "2.00x", "0.50x")
    assert Row("--help", None, 0.3, "s", "lower").ratio() == "-"
    lines = table([faster, slower]).splitlines()
    assert lines[2] == "| indexing | 24.0 s | 12.0 s | 2.00x | ≥ 1.5x naive | yes |"
    assert lines[3] == "| p95 | 20.0 ms | 40.0 ms | 0.50x | ≤ 30 ms | **no** |"


def test_the_synthetic_passages_are_distinct_sentence_pairs() -> None:
    sentences = [f"Phrase numéro {n} du corpus d'essai." for n in range(50)]
    pairs = scale.sentence_pairs(2000, len(sentences))
    assert len(set(pairs)) == 2000 and all(first != second for first, second in pairs)
    assert [first for first, _ in pairs[:51]] == [*range(50), 0]
    chunks = scale.synthetic_chunks(sentences, pairs)
    assert len({chunk.id for chunk in chunks}) == 2000
    assert chunks[0].text == f"{sentences[0]} {sentences[pairs[0][1]]}"
    assert chunks[150].doc_id == "synthetique-00001"
    assert scale.sentence_pairs(100, 50) == pairs[:100]  # seeded: every run builds the same corpus


def test_sentences_are_split_deduplicated_and_short_ones_dropped() -> None:
    paragraphs = [
        "Première phrase assez longue. Court. Deuxième phrase assez longue !",
        "Première phrase assez longue.",
    ]
    assert scale.sentences_of(paragraphs) == [
        "Première phrase assez longue.",
        "Deuxième phrase assez longue !",
    ]


def test_a_measured_run_reports_its_memory_and_output() -> None:
    done = run(["-c", "import time; block = bytearray(300 << 20); time.sleep(0.5); print('fini')"])
    assert done.stdout.strip() == "fini" and done.returncode == 0
    assert 300 <= done.peak_mib < 600 and done.seconds >= 0.5


def test_the_serving_peak_is_this_process_own() -> None:
    assert 10 < scale.peak_rss_mib() < 4096 and sys.platform == "linux"
