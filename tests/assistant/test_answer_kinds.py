"""The kind of answer a question asks for, and which sentences have that shape."""

from __future__ import annotations

import pytest

from assistant.answer_kinds import AnswerKind, expected_kind, fits


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Les rencontres commençaient et finissaient à quelle heure ?", AnswerKind.HOUR),
        ("À quelle date le programme a-t-il démarré ?", AnswerKind.DATE),
        ("Y aura-t-il une suite, et à partir de quand ?", AnswerKind.DATE),
        ("En quelle année la commune a-t-elle été fondée ?", AnswerKind.DATE),
        ("Quel était le prix de la formation ?", AnswerKind.AMOUNT),
        ("Ça revient à combien par personne ?", AnswerKind.AMOUNT),
        ("Combien chaque collectivité a-t-elle dû verser pour s'inscrire ?", AnswerKind.AMOUNT),
        ("Combien de temps durait chaque rencontre ?", AnswerKind.DURATION),
        ("Sur combien d'années les participants voudraient-ils être soutenus ?", AnswerKind.DURATION),
        ("À quel rythme se réunit l'instance ?", AnswerKind.FREQUENCY),
        ("Combien de personnes sont venues à Port-Aiglantine ?", AnswerKind.COUNT),
        ("Quel est le taux de satisfaction ?", AnswerKind.COUNT),
        ("Qui menait les ateliers, côté association et côté État ?", AnswerKind.PERSON),
        ("Comment s'appelle la responsable du tiers-lieu ?", AnswerKind.PERSON),
        ("Pourquoi les habitants se méfient-ils ?", None),
        ("Comment faire venir d'autres personnes que les habitués ?", None),
        ("Quels leviers ont été évoqués ?", None),
    ],
)
def test_the_kind_a_question_asks_for(question: str, kind: AnswerKind | None) -> None:
    assert expected_kind(question) is kind


@pytest.mark.parametrize(
    ("kind", "sentence", "fit"),
    [
        (AnswerKind.HOUR, "Les journées allaient de 9 h 30 à 16 h 30.", 1.0),
        (AnswerKind.HOUR, "Un module avec un horaire en soirée a été proposé.", 1.0),
        (AnswerKind.HOUR, "L'animation a représenté 26 jours au total.", -1.0),
        (AnswerKind.DATE, "Le cycle a commencé le 12 mars 2026.", 1.0),
        (AnswerKind.DATE, "Le bourg date du XIIe siècle.", 1.0),
        (AnswerKind.DATE, "Les participants étaient satisfaits.", -1.0),
        (AnswerKind.AMOUNT, "Le coût total s'élève à 38 400 €.", 1.0),
        (AnswerKind.AMOUNT, "La formation a coûté trois mille euros.", 1.0),
        (AnswerKind.AMOUNT, "Quarante-sept personnes ont participé.", -1.0),
        (AnswerKind.DURATION, "Chaque territoire a présenté en cinq minutes un projet.", 1.0),
        (AnswerKind.DURATION, "Ils demandent un accompagnement sur trois ans.", 1.0),
        (AnswerKind.DURATION, "La journée s'est tenue à Brumeval.", -1.0),
        (AnswerKind.FREQUENCY, "Une table de coopération trimestrielle a été proposée.", 1.0),
        (AnswerKind.FREQUENCY, "Une table de coopération a été proposée.", -1.0),
        (AnswerKind.COUNT, "Onze personnes étaient présentes.", 1.0),
        (AnswerKind.COUNT, "Le taux de satisfaction atteint 92 %.", 1.0),
        (AnswerKind.COUNT, "Une personne était présente.", -1.0),
        (AnswerKind.PERSON, "L'atelier était animé par Léonie Farandole.", 1.0),
        (AnswerKind.PERSON, "Il était animé par la directrice.", 0.0),
        (None, "Toute phrase convient.", 0.0),
    ],
)
def test_whether_a_sentence_has_the_asked_shape(kind: AnswerKind | None, sentence: str, fit: float) -> None:
    assert fits(kind, sentence) == fit
