"""The kind of answer a question asks for, its focus, and which sentences have that shape."""

from __future__ import annotations

import pytest

from assistant.answer_kinds import (
    AnswerKind,
    Asked,
    contact_values,
    counts,
    defines,
    enumerates,
    expected_kind,
    fits,
    organisation_names,
    person_names,
    read_question,
)

K = AnswerKind


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        # counts, with their unit
        ("Frênebourg-les-Ondes, ça fait combien d'habitants ?", Asked(K.COUNT, "habitants")),
        ("Combien de personnes sont venues à Port-Aiglantine ?", Asked(K.COUNT, "personnes")),
        ("Quel est le taux de satisfaction ?", Asked(K.COUNT, "taux de satisfaction")),
        ("Quelle est la population de la Communauté urbaine de Lumerive ?", Asked(K.COUNT, "population")),
        ("Combien de tonnes de CO2 le cycle a-t-il permis d'éviter ?", Asked(K.COUNT, "tonnes de co2")),
        ("ça monte à combien de degrés ?", Asked(K.COUNT, "degres")),
        # sums of money: a money word asked about, not one in passing
        ("Le cycle d'approfondissement de 2027 va coûter combien ?", Asked(K.AMOUNT, "couter")),
        ("Quel était le prix de la formation ?", Asked(K.AMOUNT, "prix")),
        ("Ça revient à combien par personne ?", Asked(K.AMOUNT)),
        ("Combien chaque collectivité a-t-elle dû verser pour s'inscrire ?", Asked(K.AMOUNT, "verser")),
        (
            "L'enquête sur les frais de raccordement a porté sur combien de réseaux ?",
            Asked(K.COUNT, "reseaux"),
        ),
        # time
        ("Les rencontres commençaient et finissaient à quelle heure ?", Asked(K.HOUR)),
        ("À quelle date le programme a-t-il démarré ?", Asked(K.DATE, "date")),
        ("Y aura-t-il une suite, et à partir de quand ?", Asked(K.DATE)),
        ("Combien de temps durait chaque rencontre ?", Asked(K.DURATION)),
        ("Sur combien d'années les participants voudraient-ils être soutenus ?", Asked(K.DURATION, "annees")),
        ("À quel rythme se réunit l'instance ?", Asked(K.FREQUENCY, "rythme")),
        ("Le panel se réunit tous les combien ?", Asked(K.FREQUENCY)),
        # « quand » as a conjunction is no question of date
        ("Qu'est-ce qui freine une mairie quand elle veut repérer les parties prenantes ?", Asked(K.OPEN)),
        (
            "Quand je laisse mes coordonnées, on me met en contact avec quel gestionnaire ?",
            Asked(K.ORGANISATION, "gestionnaire"),
        ),
        # places, people, organisations, contact details, names
        ("Où se tiendra la troisième journée du cycle d'approfondissement ?", Asked(K.PLACE)),
        ("Dans quel bâtiment se tiendra la rencontre ?", Asked(K.PLACE, "batiment")),
        ("D'où viennent les revenus du tiers-lieu ?", Asked(K.OPEN)),
        ("Qui remplace la cheffe de projet de Roc-Tilleul ?", Asked(K.PERSON)),
        ("Comment s'appelle la responsable du tiers-lieu ?", Asked(K.PERSON, "responsable")),
        ("L'élue référente des Monts Cendrés, elle s'appelle comment ?", Asked(K.PERSON, "elue")),
        ("Qui a financé l'essentiel ?", Asked(K.ORGANISATION)),
        ("Quel bureau d'études avait réalisé la cartographie ?", Asked(K.ORGANISATION, "bureau d'etudes")),
        ("Je peux joindre Léonie Farandole à quel numéro ?", Asked(K.CONTACT, "numero")),
        ("Quelle est l'adresse e-mail de la liste de diffusion ?", Asked(K.CONTACT, "adresse")),
        ("C'est quoi l'adresse du site de France Chaleur Urbaine ?", Asked(K.CONTACT, "adresse")),
        ("Vous avez choisi quel logiciel pour la plateforme partagée ?", Asked(K.NAME, "logiciel")),
        ("Comment s'appelle la liste de diffusion créée en mars ?", Asked(K.NAME, "liste")),
        ("Comment appelle-t-on ces gens qui font le lien ?", Asked(K.OPEN, "gens")),
        # definitions, yes or no, lists, open questions
        ("Qu'est-ce qu'une communauté apprenante ?", Asked(K.DEFINITION)),
        ("Une marche exploratoire, qu'est-ce que c'est ?", Asked(K.DEFINITION)),
        ("DINUM, ça veut dire quoi ?", Asked(K.DEFINITION)),
        (
            "Qu'est-ce qu'un conseiller des Monts Cendrés redoutait avec un panel tiré au sort ?",
            Asked(K.OPEN),
        ),
        ("Les chiffres du budget sont-ils définitifs ?", Asked(K.YES_NO)),
        ("Est-ce que toutes les collectivités inscrites sont venues ?", Asked(K.YES_NO)),
        ("Quels leviers ont été évoqués ?", Asked(K.LIST, "leviers")),
        ("Quels sont les points faibles du programme ?", Asked(K.LIST, "points")),
        ("Pourquoi les habitants se méfient-ils quand on leur demande leur avis ?", Asked(K.OPEN)),
        ("Comment faire venir d'autres personnes que les habitués ?", Asked(K.OPEN)),
    ],
)
def test_what_a_question_asks_for(question: str, asked: Asked) -> None:
    assert read_question(question) == asked
    assert expected_kind(question) is asked.kind


@pytest.mark.parametrize(
    ("kind", "sentence", "fit"),
    [
        (K.HOUR, "Les journées allaient de 9 h 30 à 16 h 30.", 1.0),
        (K.HOUR, "Un module avec un horaire en soirée a été proposé.", -1.0),  # no hour given
        (K.HOUR, "L'animation a représenté 26 heures au total.", -1.0),  # a duration
        (K.HOUR, "L'après-midi a été consacrée au codéveloppement.", -1.0),
        (K.DATE, "Le cycle a commencé le 12 mars 2026.", 1.0),
        (K.DATE, "Le bourg date du XIIe siècle.", 1.0),
        (K.DATE, "Les participants étaient satisfaits.", -1.0),
        (K.AMOUNT, "Le coût total s'élève à 38 400 €.", 1.0),
        (K.AMOUNT, "La formation a coûté trois mille euros.", 1.0),
        (K.AMOUNT, "Quarante-sept personnes ont participé.", -1.0),
        (K.DURATION, "Chaque territoire a présenté en cinq minutes un projet.", 1.0),
        (K.DURATION, "Ils demandent un accompagnement sur trois ans.", 1.0),
        (K.DURATION, "L'équipe est arrivée à 10 h 15.", -1.0),  # a time of day
        (K.FREQUENCY, "Une table de coopération trimestrielle a été proposée.", 1.0),
        (K.FREQUENCY, "Ils s'appellent une fois par mois.", 1.0),
        (K.FREQUENCY, "Le panel s'est réuni pour la première fois en septembre.", -1.0),
        (K.COUNT, "Onze personnes étaient présentes.", 1.0),
        (K.COUNT, "Le taux de satisfaction atteint 92 %.", 1.0),
        (K.COUNT, "Une personne était présente.", -1.0),
        (K.PERSON, "L'atelier était animé par Léonie Farandole.", 1.0),
        (K.PERSON, "Il était animé par la directrice.", 0.0),
        (K.PERSON, "Date : jeudi 9 avril 2026 Lieu : Salle des fêtes de Sauvelière Thème : Associer.", 0.0),
        (K.OPEN, "Toute phrase convient.", 0.0),
        (None, "Toute phrase convient.", 0.0),
    ],
)
def test_whether_a_sentence_has_the_asked_shape(kind: AnswerKind | None, sentence: str, fit: float) -> None:
    assert fits(kind, sentence) == fit


def test_people_and_organisations_named_by_a_sentence() -> None:
    sentence = (
        "Un cycle organisé par l'association Les Passeurs de Transitions et le ministère des Territoires "
        "imaginaires, animé par Léonie Farandole et Gaspard Vernazelle avec l'ADEME."
    )
    assert person_names(sentence) == ["Léonie Farandole", "Gaspard Vernazelle"]
    assert organisation_names(sentence) == ["ADEME", "Les", "Territoires"]
    assert person_names("Une rencontre aura lieu à Brumeval, au Pays de Brumeval.") == []


def test_counts_read_the_noun_each_number_counts() -> None:
    found = counts("Onze personnes, dont quatre élus ; Personnes présentes : 4. 5 000 habitants.")
    assert [(c.value, c.unit) for c in found] == [
        ("onze", "personnes"),
        ("quatre", "elus"),
        ("4", ""),
        ("5 000", "habitants"),
        ("4", "personnes presentes"),
    ]


def test_contact_details_of_the_sort_asked() -> None:
    sentence = "Écrire à contact@exemple.fr ou appeler le 02 40 12 83 01, 9 rue René Viviani."
    assert contact_values("numéro", sentence) == ["02 40 12 83 01"]
    assert contact_values("e-mail", sentence) == ["contact@exemple.fr"]
    assert contact_values("adresse postale", sentence) == ["9 rue"]
    assert contact_values("", "Un site web : france-chaleur-urbaine.beta.gouv.fr") == [
        "france-chaleur-urbaine.beta.gouv.fr"
    ]


@pytest.mark.parametrize(
    ("sentence", "term", "defined"),
    [
        ("Une communauté apprenante est un groupe de personnes.", "communaute apprenante", True),
        ("Le « café des services », un petit-déjeuner mensuel.", "cafe des services", True),
        ("Un levier ne figure que dans ces notes : le troc d'ingénierie.", "troc d'ingenierie", True),
        ("La Direction interministérielle du numérique (DINUM) aide les administrations.", "dinum", True),
        (
            "Relancer un projet alimentaire territorial bloqué depuis deux ans.",
            "projet alimentaire territorial",
            False,
        ),
        (
            "Débloquer le projet alimentaire territorial, à l'arrêt depuis deux ans.",
            "projet alimentaire territorial",
            False,
        ),
    ],
)
def test_whether_a_sentence_defines_a_term(sentence: str, term: str, defined: bool) -> None:
    assert defines(sentence, term) is defined


def test_an_enumeration_is_several_short_items() -> None:
    assert enumerates(
        "Les participants ont retenu le tiers-lieu ; une table de coopération ; la commande publique."
    )
    assert not enumerates(
        "Lumerive : baromètre de 10 indicateurs, construit avec le conseil et présenté en octobre."
    )
