"""Listing questions answered from the structured tables, every row cited."""

from __future__ import annotations

import pytest

from assistant.names import mentions, territory_key
from assistant.territories import (
    TerritoryRow,
    answer_listing,
)
from assistant.understanding import ListingRequest, listing_request


def _row(name: str, session: int, page: str, extra: str = "Attentes") -> TerritoryRow:
    columns = (("Territoire", name), (extra, f"{extra} de {name}."))
    return TerritoryRow(name, session, "bilan.pdf", page, f"2.{session} Journée {session}", columns)


ROWS = [
    _row("Commune A", 1, "3"),
    _row("Pays B", 1, "3"),
    _row("Ville C", 2, "4"),
    _row("Commune A", 1, "11", extra="Référent"),  # the annex names A again
]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Quels territoires ont participé à la journée 2 ?", ListingRequest(2, False)),
        ("Quels territoires ont participé à la deuxième journée ?", ListingRequest(2, False)),
        ("Combien de territoires ont participé ?", ListingRequest(None, True)),
        ("Liste des territoires inscrits", ListingRequest(None, False)),
        ("Quels territoires attendaient des indicateurs ?", None),  # a search, not a listing
        ("Qu'attendait la Commune A ?", None),
        ("Quels leviers lors de la journée 2 ?", None),
    ],
)
def test_listing_requests_are_recognised(question: str, expected: ListingRequest | None) -> None:
    assert listing_request(question) == expected


def test_a_day_listing_cites_every_row_of_that_day() -> None:
    answer = answer_listing("Quels territoires à la journée 1 ?", ListingRequest(1, False), ROWS)
    assert answer is not None
    assert answer.text == "2 territoires ont participé à la journée 1 : Commune A [1] et Pays B [2]."
    assert [(c.n, c.page, c.text) for c in answer.citations] == [
        (1, "3", "Territoire : Commune A Attentes : Attentes de Commune A."),
        (2, "3", "Territoire : Pays B Attentes : Attentes de Pays B."),
    ]
    assert answer.verification.unsupported == () and answer.verification.cited == (1, 2)


def test_the_whole_listing_names_each_territory_once() -> None:
    answer = answer_listing("Combien de territoires ?", ListingRequest(None, True), ROWS)
    assert answer is not None
    assert answer.text.startswith(
        "3 territoires ont participé aux journées : Commune A [1], Pays B [2] et Ville C [3]"
    )


def test_no_table_means_no_listing_answer() -> None:
    assert answer_listing("Quels territoires ?", ListingRequest(5, False), ROWS) is None
    assert answer_listing("Quels territoires ?", ListingRequest(None, False), []) is None


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Commune de Sauvelière", "sauveliere"),
        ("Communauté d'agglomération du Val-d'Orbelune", "val-d'orbelune"),
        ("Syndicat mixte des Monts Cendrés", "monts cendres"),
        ("Pôle d'équilibre territorial des Landes d'Ambrecourt", "landes d'ambrecourt"),
        ("Communauté de communes de la Vallée des Pâquerettes", "vallee des paquerettes"),
        ("Lumerive", "lumerive"),
    ],
)
def test_territory_key_is_the_distinctive_part_of_the_name(name: str, key: str) -> None:
    assert territory_key(name) == key


def test_mentions_finds_the_name_as_a_whole_word_only() -> None:
    name = "Communauté d'agglomération du Val-d'Orbelune"
    assert mentions("Une boîte proposée par le Val-d’Orbelune.", name)  # typographic apostrophe
    assert mentions("Une boîte proposée par le Val-d'Orbelune.", name)
    assert not mentions("Les Sauvelièrois sont venus.", "Commune de Sauvelière")
    assert mentions("Réunion à SAUVELIERE.", "Commune de Sauvelière")
