"""Which lines are headings, checked exactly on hand-made lines (sizes in points)."""

from __future__ import annotations

import pytest

from ingest.headings import cover_title, heading_level, is_bold_heading, is_ornament, wraps
from ingest.layout import Line

BODY = 11.0
LEVELS = {15.0: 1, 12.0: 2}


def line(text: str, size: float = BODY, bold: bool = False, y: float = 700.0) -> Line:
    return Line(text, 57.0, y, size, bold)


@pytest.mark.parametrize(
    ("text", "size", "level"),
    [
        ("2.1 Fonctionnement d’un réseau de chaleur", 15.0, 2),  # the number decides
        ("LES INFORMATIONS CLÉS", 15.0, 1),
        ("898", 15.0, None),  # a key figure
        ("x3", 15.0, None),
        ("les copropriétaires peuvent", 15.0, None),  # the rest of a sentence
        ("Une phrase en grand.", 15.0, None),
        ("Texte courant du guide", BODY, None),
    ],
)
def test_heading_levels(text: str, size: float, level: int | None) -> None:
    assert heading_level(line(text, size), LEVELS) == level


def test_a_bold_line_alone_above_plain_text_is_a_heading() -> None:
    heading = [line("L’Éco-prêt à taux zéro (éco-PTZ)", bold=True)]
    text = [line("Ce prêt est attribué aux propriétaires.", y=680)]
    assert is_bold_heading(heading, text, BODY)
    assert not is_bold_heading([line("R1 = ∑i a-i * R1energie-i", bold=True)], text, BODY)  # a formula
    assert not is_bold_heading([line("DOSSIER DE PRESSE", 8.0, bold=True)], text, BODY)  # small type
    assert not is_bold_heading(heading, [line("Suite en gras.", bold=True)], BODY)
    assert not is_bold_heading(heading, None, BODY)


def test_a_heading_goes_on_in_its_own_type_only() -> None:
    heading = line("2.1.5 Présentation des acteurs, leurs", 12.0)
    assert wraps(heading, line("droits et devoirs", 12.0, y=686), BODY)
    assert not wraps(heading, line("La création d’un réseau de chaleur", y=680), BODY)


def test_ornaments_and_the_cover_title() -> None:
    assert is_ornament(line("+", 60.0), BODY) and not is_ornament(line("1600", 24.0), BODY)
    cover = [
        line("Raccordement des copropriétés aux", 24.0, True, 665),
        line("réseaux de chaleur", 24.0, True, 636),
    ]
    cover += [line("Guide méthodologique", 22.0, y=610)]
    assert cover_title(cover, "fichier") == "Raccordement des copropriétés aux réseaux de chaleur"
    assert cover_title([], "fichier") == "fichier"
