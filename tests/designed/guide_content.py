"""The accompaniment guide's content, written with python-docx as Word users write (DOCX to PDF)."""

from __future__ import annotations

from tests.designed.real_blocks import (
    WINGDINGS_ARROW,
    WINGDINGS_SQUARE,
    Block,
    Box,
    BoxLine,
    Bullets,
    Grid,
    Heading,
    Paragraph,
)
from tests.designed.real_docx import WordFile

TITLE = "Guide de l'accompagnement des territoires"
SUBTITLE = "Édition 2025, à l'usage des accompagnateurs de proximité"
TITLE_SENTENCE = (
    "Ce guide s'adresse aux accompagnateurs qui suivent les intercommunalités engagées dans le programme "
    "Territoires en transition."
)
ODD_FOOTER = "Guide de l'accompagnement — édition 2025"
EVEN_FOOTER = "Réseau régional des accompagnateurs"
LEAD = "Un accompagnement dure trois ans et suit quatre étapes."

DEFINITION_BOX = Box(
    "Accompagnateur de proximité",
    (
        BoxLine(
            "Un accompagnateur de proximité est un professionnel mis à disposition par la région pour suivre "
            "au plus quatre territoires d'un même département. Il est choisi parmi les agents des agences "
            "d'urbanisme, des conseils d'architecture ou des associations agréées par le programme."
        ),
        BoxLine(
            "Sa mission est fixée par une lettre de mission signée par le président de l'intercommunalité "
            "accompagnée."
        ),
    ),
    page=2,
)

QUESTIONS_BOX = Box(
    "Questions des élus",
    (
        BoxLine("Combien coûte l'accompagnement pour une intercommunalité ?", strong=True),
        BoxLine(
            "Rien : la région prend en charge la totalité du temps de l'accompagnateur, ses déplacements "
            "compris, pendant les trois années du contrat."
        ),
        BoxLine("Peut-on changer d'accompagnateur en cours de route ?", strong=True),
        BoxLine(
            "Oui, sur demande motivée du président adressée au service régional des transitions, qui propose "
            "un remplaçant dans un délai de deux mois."
        ),
    ),
    page=3,
)

LEGAL_BOX = Box(
    "Article 3 – Confidentialité",
    (
        BoxLine(
            "L'accompagnateur est tenu à la discrétion sur les informations dont il a connaissance dans "
            "l'exercice de sa mission, notamment sur les projets qui n'ont pas encore été rendus publics."
        ),
        BoxLine(
            "Il ne peut utiliser les documents du territoire accompagné à d'autres fins que celles de sa "
            "mission sans l'accord écrit de son président."
        ),
    ),
    page=3,
    small=True,
)

INTERVENTIONS = Bullets(
    (
        "l'animation des comités de pilotage et des ateliers ouverts aux habitants ;",
        "la relecture des cahiers des charges avant le lancement des marchés ;",
        "la mise en relation avec d'autres territoires confrontés aux mêmes difficultés.",
    ),
    char=WINGDINGS_SQUARE,
)

ABSTENTIONS = Bullets(
    (
        "Il ne rédige pas les délibérations, qui relèvent des services de la collectivité.",
        "Il ne représente pas le territoire auprès des financeurs, même à sa demande.",
    ),
    char=WINGDINGS_ARROW,
)

GRID = Grid(
    ("Étape", "Durée indicative", "Livrable attendu"),
    (
        ("Diagnostic partagé", "Quatre mois", "Portrait du territoire"),
        ("Feuille de route", "Trois mois", "Programme d'actions chiffré"),
        ("Mise en œuvre", "Deux ans", "Bilans d'étape semestriels"),
        ("Évaluation", "Cinq mois", "Rapport d'évaluation final"),
    ),
    page=2,
)

TWO_LINE_HEADING = Heading(
    1,
    "2.",
    "Les étapes d'un accompagnement réussi, du premier diagnostic partagé jusqu'à l'évaluation finale",
    2,
)
EMPTY_HEADING = Heading(2, "2.2", "La feuille de route", 2)
UNNUMBERED_HEADING = Heading(
    1,
    "",
    "Pour aller plus loin – Ressources à consulter avant la première réunion avec les élus",
    4,
    new_page=True,
)

BLOCKS: tuple[Block, ...] = (
    Heading(1, "1.", "Le rôle de l'accompagnateur", 2, new_page=True),
    Paragraph(
        "L'accompagnateur aide une intercommunalité à construire puis à conduire sa feuille de route, sans "
        "jamais se substituer à ses élus ni à ses services. Il intervient en moyenne deux jours par mois "
        "dans "
        "chaque territoire qu'il suit, et davantage pendant la phase de diagnostic. Son rôle est d'abord "
        "d'aider les équipes à formuler leurs questions, à organiser leurs réunions et à trouver les "
        "ressources dont elles ont besoin."
    ),
    DEFINITION_BOX,
    Paragraph("Ses interventions prennent plusieurs formes :"),
    INTERVENTIONS,
    Paragraph("Il doit en revanche s'abstenir de certaines tâches :"),
    ABSTENTIONS,
    TWO_LINE_HEADING,
    Paragraph(LEAD, lead=True),
    Paragraph(
        "Chaque étape se conclut par une réunion du comité de pilotage local, qui valide les résultats "
        "obtenus "
        "et décide de passer à la suivante. Le calendrier indicatif présenté plus loin peut être adapté à la "
        "taille du territoire et au nombre de communes qui le composent."
    ),
    Heading(2, "2.1", "Le diagnostic partagé", 2),
    Paragraph(
        "Le diagnostic partagé dure en général quatre mois. Il croise les données disponibles sur l'énergie, "
        "la mobilité et le foncier avec les témoignages recueillis lors de deux ateliers ouverts aux "
        "habitants. L'accompagnateur veille à ce que les conclusions soient rédigées dans une langue "
        "accessible à tous les conseillers communautaires."
    ),
    EMPTY_HEADING,
    Heading(2, "2.3", "Le suivi des chantiers", 2),
    Paragraph(
        "Pendant la mise en œuvre, l'accompagnateur réunit l'équipe projet une fois par trimestre pour faire "
        "le point sur chaque chantier. Il signale au comité de pilotage les retards qui menacent le "
        "calendrier et propose, le cas échéant, une révision de la feuille de route."
    ),
    GRID,
    QUESTIONS_BOX,
    LEGAL_BOX,
    UNNUMBERED_HEADING,
    Paragraph(
        "Le centre de ressources du programme rassemble les fiches d'expérience, les modèles de cahiers des "
        "charges et les comptes rendus des rencontres départementales. Il est conseillé de lire au moins les "
        "fiches des territoires voisins avant de rencontrer les élus pour la première fois."
    ),
)


def word_file() -> WordFile:
    """The guide as python-docx writes it."""
    return WordFile(TITLE, SUBTITLE, TITLE_SENTENCE, ODD_FOOTER, EVEN_FOOTER, BLOCKS)
