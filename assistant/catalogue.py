"""What the live passages of a snapshot hold, read without a search: the participants
tables' rows, the levers registry, every passage naming a territory.

Pure: a snapshot's passages in, rows, entries or citations out. These need every
passage, which the top passages of a search cannot promise.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.answering import Citation, citation_for
from assistant.levers import LeverEntry, build_registry, known_territories
from assistant.names import mentions
from assistant.rows import TerritoryRow
from vectorstore.records import Chunk, Hit


def territory_rows(chunks: Sequence[Chunk]) -> list[TerritoryRow]:
    """Every table row that names a territory, by document, day and order of appearance."""
    rows = [chunk for chunk in chunks if chunk.cells and chunk.territory]
    rows.sort(key=lambda c: (c.source, c.session or 0, c.page_start or 0, c.position))
    return [
        TerritoryRow(
            c.territory or "",
            c.session,
            c.source,
            c.page_label,
            c.section,
            c.cells,
            c.kind,
            c.page_start,
            c.page_end or c.page_start,
        )
        for c in rows
    ]


def territory_names(chunks: Sequence[Chunk]) -> list[str]:
    """The territories the tables name, each once, in the order of ``territory_rows``."""
    return list(dict.fromkeys(row.territory for row in territory_rows(chunks)))


def table_row_counts(chunks: Sequence[Chunk]) -> dict[str, int]:
    """How many table rows were read from each document, by source."""
    counts: dict[str, int] = {}
    for chunk in chunks:
        if chunk.cells:
            counts[chunk.source] = counts.get(chunk.source, 0) + 1
    return counts


def lever_entries(chunks: Sequence[Chunk]) -> list[LeverEntry]:
    """Every lever and difficulty the passages name (found at ingestion), each once, with
    its days, the territories that raised it and its citations."""
    rows = territory_rows(chunks)
    return build_registry(chunks, known_territories(chunks, (row.territory for row in rows)))


def passages_naming(chunks: Sequence[Chunk], territory: str) -> list[Citation]:
    """Every passage that names the territory, report first, in reading order, numbered
    as citations."""
    named = [chunk for chunk in chunks if mentions(chunk.text, territory)]
    named.sort(key=lambda c: (c.kind != "bilan", c.source, c.page_start or 0, c.position))
    return [citation_for(n, Hit(chunk, 1.0)) for n, chunk in enumerate(named, start=1)]
