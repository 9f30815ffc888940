"""Questions about the whole set of territories, answered from the structured tables.

"Quels territoires ont participé à la journée 2 ?" or "Combien de territoires… ?"
need every row, which the top passages of a search cannot promise. Pure: the
question and the table rows in, an answer citing every row out (or None when
the question is not such a listing).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answering import Answer, Citation
from assistant.rows import TerritoryRow
from assistant.verification import verify
from vectorstore.french_text import fold, terms

# Words a listing question may hold besides "territoires" and a day number.
_LISTING_TERMS = set(
    terms(
        "territoires collectivités participé participants participaient inscrits présents venus journée cycle"
    )
    + terms("liste ensemble tous toutes ont été venu accueilli reçu")
)
_LISTING_START = re.compile(r"^\s*(?:quels?|quelles?|combien|liste[rz]?|donne[rz]?|cite[rz]?)\b")


@dataclass(frozen=True)
class ListingRequest:
    session: int | None
    count: bool


def listing_request(question: str) -> ListingRequest | None:
    """The listing the question asks for, or None when it asks something else."""
    question_terms = terms(question)
    if "territoir" not in question_terms or not _LISTING_START.match(fold(question)):
        return None
    numbers = [int(term) for term in question_terms if term.isdigit()]
    if set(question_terms) - _LISTING_TERMS - {str(n) for n in numbers} or len(numbers) > 1:
        return None  # the question is about something more specific: search for it
    return ListingRequest(numbers[0] if numbers else None, "combien" in fold(question))


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
    return Answer(question, text, citations, verification=check)


_INSTITUTION = re.compile(
    r"^(?:commune|ville|metropole|departement|region|communaute (?:de communes|d'agglomeration|urbaine)|"
    r"syndicat(?: mixte)?|pole d'equilibre territorial(?: et rural)?|parc naturel regional|pays)"
    r"\s+(?:de la |de l'|des |du |de |d')?",
)


def territory_key(name: str) -> str:
    """The distinctive part of a territory's name, folded: "Commune de Sauvelière" ->
    "sauveliere", "Communauté d'agglomération du Val-d'Orbelune" -> "val-d'orbelune",
    as notes and prose name them."""
    folded = " ".join(_apostrophes(fold(name)).split())
    return _INSTITUTION.sub("", folded, count=1) or folded


def mentions(text: str, territory: str) -> bool:
    """Whether ``text`` names the territory (by its distinctive part, as a whole word)."""
    key = re.escape(territory_key(territory))
    return re.search(rf"(?<![\w-]){key}(?![\w-])", _apostrophes(fold(text))) is not None


def _apostrophes(text: str) -> str:
    return text.replace("’", "'").replace("ʼ", "'")
