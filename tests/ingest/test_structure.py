"""Numbered headings, section paths and session numbers."""

from __future__ import annotations

import pytest

from ingest.structure import SectionPath, numbered_heading_level, session_from_text


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("1. Les intentions de départ", 1),
        ("2 Déroulé des journées", 1),
        ("2.3 Journée 3 : les leviers", 2),
        ("3.1.2 Chiffres clés", 3),
        ("2- Définition d’un réseau de chaleur", 1),  # a designer's numbering (Cerema guide)
        ("4.5- Cas particulier : le réseau de chaleur classé", 2),
        ("5 – MEMENTO :", 1),
    ],
)
def test_numbered_headings_have_a_level(line: str, level: int) -> None:
    assert numbered_heading_level(line) == level


@pytest.mark.parametrize(
    "line",
    [
        "12 territoires ont participé à la journée.",  # a sentence, not a heading
        "2. les minuscules ne commencent pas un titre",
        "2024 Une année",  # a year is not a section number
        "2-3 personnes par territoire",
        "Sans numéro",
        "4. " + "Très long titre " * 10,
    ],
)
def test_body_lines_are_not_headings(line: str) -> None:
    assert numbered_heading_level(line) is None


def test_section_path_follows_the_heading_levels() -> None:
    path = SectionPath()
    path.enter(1, "2. Déroulé")
    path.enter(2, "2.1 Journée 1")
    assert path.path == "2. Déroulé > 2.1 Journée 1"
    path.enter(2, "2.2   Journée 2")
    assert path.path == "2. Déroulé > 2.2 Journée 2"
    path.enter(1, "3. Résultats")
    assert path.path == "3. Résultats"


@pytest.mark.parametrize(
    ("parts", "session"),
    [
        (["2. Déroulé > 2.3 Journée 3"], 3),
        (["journee-2"], 2),
        (["notes_session_4"], 4),
        (["Session n° 1"], 1),
        (["Synthèse générale"], None),
    ],
)
def test_session_number_is_read_from_paths_and_names(parts: list[str], session: int | None) -> None:
    assert session_from_text(parts) == session


def test_a_heading_wrapped_at_a_hyphen_is_joined_without_a_space() -> None:
    path = SectionPath()
    path.enter(3, "4.1.2 Contraintes techniques du local de la sous-")
    path.extend("station :")
    assert path.path == "4.1.2 Contraintes techniques du local de la sous-station :"
