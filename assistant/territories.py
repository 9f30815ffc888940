"""Questions about the whole set of territories, answered from the structured tables.

"Quels territoires ont participé à la journée 2 ?" or "Combien de territoires… ?"
need every row, which the top passages of a search cannot promise. Pure: the
question and the table rows in, an answer citing every row out (or None when
the question is not such a listing).
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.answering import Answer, Citation
from assistant.rows import TerritoryRow
from assistant.understanding import ListingRequest
from assistant.verification import verify


def answer_listing(question: str, request: ListingRequest, rows: Sequence[TerritoryRow]) -> Answer | None:
    """Every territory of the tables (of one day, if asked), each citing its row."""
    chosen: dict[str, TerritoryRow] = {}
    for row in rows:
        if request.session is None or row.session == request.session:
            chosen.setdefault(row.territory, row)  # the first table naming it: the day table
    if not chosen:
        return None
    citations = tuple(
        Citation(n, row.source, row.page, row.section, row.text, 1.0, row.kind, row.first_page)
        for n, row in enumerate(chosen.values(), start=1)
    )
    names = [f"{row.territory} [{n}]" for n, row in enumerate(chosen.values(), start=1)]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]
    where = f"à la journée {request.session}" if request.session else "aux journées"
    verb = "territoire a participé" if len(names) == 1 else "territoires ont participé"
    text, check = verify(f"{len(names)} {verb} {where} : {listed}.", {c.n: c.text for c in citations})
    return Answer(question, text, citations, verification=check, checked="la liste des territoires")
