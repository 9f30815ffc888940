"""Listing answers: which questions ask for a list, and the lead and items built for them
(pure, on hand-made passages shaped like the sample's, then on the indexed sample)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answering import compose_answer, listing_answer
from assistant.engine import Engine
from assistant.listing import (
    Column,
    ListingQuestion,
    Subject,
    day_name,
    in_words,
    listing_question,
    territory_listing,
    topic_listing,
)
from assistant.rows import TerritoryRow
from assistant.wording import verification_line
from tests.conftest import run_cli
from vectorstore import Chunk, Hit

E, F = Column.EXPECTATIONS, Column.FOLLOW_UPS


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # the territories' expectations, follow-ups, or both
        ("Qu'attendaient les territoires de la deuxième journée ?", (Subject.TERRITORIES, (E,), 2)),
        (
            "Quelles étaient les attentes des territoires lors de la journée 2 ?",
            (Subject.TERRITORIES, (E,), 2),
        ),
        ("Qu'espéraient les communes de la 2e journée ?", (Subject.TERRITORIES, (E,), 2)),
        ("quelles étaient les attentes", (Subject.TERRITORIES, (E,), None)),
        ("Que souhaitaient les collectivités à la première journée ?", (Subject.TERRITORIES, (E,), 1)),
        ("Quelles suites ont été données après la journée 3 ?", (Subject.TERRITORIES, (F,), 3)),
        (
            "Quelles suites ont été données aux attentes des territoires de la journée 1 ?",
            (Subject.TERRITORIES, (F,), 1),
        ),
        ("Qu'ont fait les territoires après la journée 4 ?", (Subject.TERRITORIES, (F,), 4)),
        ("Que sont devenus les territoires de la journée 2 ?", (Subject.TERRITORIES, (F,), 2)),
        (
            "Quelles étaient les attentes et les suites données lors de la journée 3 ?",
            (Subject.TERRITORIES, (E, F), 3),
        ),
        # the territories themselves
        ("Quelles communes étaient présentes à la journée 2 ?", (Subject.TERRITORIES, (), 2)),
        ("quels territoires ont participé à la 3e journée", (Subject.TERRITORIES, (), 3)),
        ("Qui était présent lors de la journée 4 ?", (Subject.TERRITORIES, (), 4)),
        ("Quelles étaient les collectivités représentées ?", (Subject.TERRITORIES, (), None)),
        # levers and difficulties
        ("Quels leviers ont été évoqués lors de la journée 2 ?", (Subject.LEVERS, (), 2)),
        ("Quels leviers ont été retenus lors de la deuxième journée ?", (Subject.LEVERS, (), 2)),
        ("quels leviers", (Subject.LEVERS, (), None)),
        ("Quelles pistes d'action pour la session 4 ?", (Subject.LEVERS, (), 4)),
        ("les difficultés rencontrées", (Subject.DIFFICULTIES, (), None)),
        (
            "Quelles difficultés les territoires ont-ils rencontrées lors de la 2ème journée ?",
            (Subject.DIFFICULTIES, (), 2),
        ),
        (
            "Quels obstacles rendent l'évaluation compliquée, d'après la quatrième rencontre ?",
            (Subject.DIFFICULTIES, (), 4),
        ),
        ("Quels freins à la participation ?", (Subject.DIFFICULTIES, (), None)),
    ],
)
def test_a_listing_question_says_what_list_it_asks_for(
    question: str, expected: tuple[Subject, tuple[Column, ...], int | None]
) -> None:
    assert listing_question(question) == ListingQuestion(*expected)


@pytest.mark.parametrize(
    "question",
    [
        # facts, reasons, yes or no: a sentence answer
        "Quel budget participatif a été voté ?",
        "Combien de territoires ont participé ?",
        "Combien de difficultés ont été relevées ?",
        "Quel est le principal levier de la journée 2 ?",
        "Quelle difficulté a été la plus citée ?",
        "Pourquoi les attentes n'ont-elles pas été satisfaites ?",
        "Comment les territoires ont-ils surmonté les difficultés ?",
        "Quand les suites ont-elles été données ?",
        "Les leviers de la journée 2 ont-ils été repris ?",
        "Qu'est-ce qu'un levier ?",
        "En gros, agir de façon systémique, ça veut dire jouer sur quels leviers à la fois ?",
        "Quels objectifs avaient été fixés au lancement ?",
        "Quel était le thème de la journée 2 ?",
        "Où s'est tenue la première journée ?",
        "Quelles difficultés et quels leviers lors des journées 1 et 2 ?",
        "Quels leviers lors des journées 1 et 2 ?",
        # one territory named: about it, not a list
        "Qu'attendait la Commune de Roc-Tilleul ?",
        "Quelles suites le Pays de Brumeval a-t-il données ?",
        "Quels leviers ont été évoqués à Sauvelière ?",
        "Quelle suite pour les Landes d'Ambrecourt ?",
        # "suite", "attendu" in other senses
        "Que s'est-il passé par la suite ?",
        "Quels résultats étaient attendus du cycle ?",
        "Quelle part de l'espérance de vie couvre une étude de deux ans ?",
        "Que sont devenus les établissements après la réforme ?",
        "A partir de quel moment le bronzage est devenu un must social ?",
        "Quelles aides à la rénovation énergétique des logements ont été présentées aux territoires ?",
        "Qui a représenté le ministère ?",
    ],
)
def test_factual_and_narrow_questions_are_not_lists(question: str) -> None:
    assert listing_question(question) is None


def test_counts_and_days_are_written_in_french_words() -> None:
    assert [in_words(n) for n in (1, 3, 12, 17, 25)] == ["un", "trois", "douze", "dix-sept", "25"]
    assert [day_name(d) for d in (1, 2, 4, 12)] == [
        "la première journée",
        "la deuxième journée",
        "la quatrième journée",
        "la journée 12",
    ]


# -- hand-made passages, shaped like the sample's ---------------------------------------

DAY_2 = "2. Le déroulé > 2.2 Journée 2 — Associer les habitants"


def row(territory: str, expects: str, follow: str, session: int = 2, page: str = "4") -> TerritoryRow:
    columns = (("Territoire", territory), ("Attentes", expects), ("Suites données", follow))
    return TerritoryRow(territory, session, "bilan.pdf", page, DAY_2, columns)


ROWS = [
    row("Commune de Sauvelière", "Toucher les familles et les jeunes.", "Budget participatif voté en juin."),
    row("Syndicat mixte des Monts Cendrés", "Faire accepter la réserve.", "Panel citoyen de 24 personnes."),
    row("Pays de Brumeval", "Relancer le projet alimentaire.", "Comité relancé en mai.", session=1, page="3"),
]
REPORT_DAY_2 = Chunk(
    text=(
        "Difficultés évoquées. Les échanges entre pairs ont fait ressortir la faible présence des jeunes, "
        "la méfiance d'habitants déjà consultés sans retour, et des délais administratifs trop longs.\n"
        "Leviers identifiés. Les participants ont retenu le budget participatif, qui donne un vrai pouvoir "
        "de décision ; le tirage au sort pour diversifier les profils ; et une restitution intitulée "
        "« ce que nous avons fait de vos idées »."
    ),
    doc_id="bilan",
    source="bilan.pdf",
    kind="bilan",
    section=DAY_2,
    page_start=4,
    session=2,
)
NOTES_LEVERS = Chunk(
    text=(
        "Le tirage au sort et les permanences ont aussi été retenus. Un levier n'apparaît que dans ces "
        "notes : la **boîte à idées itinérante**, proposée par le Val-d'Orbelune. Il s'agit d'une boîte "
        "installée dans le bus.\nUne élue a résumé : « On nous demande notre avis quand tout est déjà "
        "décidé, et cela se voit tout de suite. »"
    ),
    doc_id="notes",
    source="journee-2.md",
    kind="notes",
    section="Leviers évoqués",
    session=2,
)
NOTES_EXPECTATIONS = Chunk(
    text="- **Sauvelière** : toucher d'autres publics.\n- **Monts Cendrés** : rendre la réserve acceptable.",
    doc_id="notes",
    source="journee-2.md",
    kind="notes",
    section="Ce que les territoires attendaient",
    session=2,
)
NOTES_FOLLOW_UPS = Chunk(
    text="- Sauvelière : budget participatif voté.\n- Monts Cendrés : panel citoyen.",
    doc_id="notes",
    source="journee-2.md",
    kind="notes",
    section="Suites",
    session=2,
)


def test_expectations_list_every_territory_of_the_day_and_only_the_expectations() -> None:
    asked = ListingQuestion(Subject.TERRITORIES, (E,), 2)
    answer = listing_answer(
        "Qu'attendaient les territoires de la journée 2 ?", asked, [Hit(REPORT_DAY_2, 0.5)], ROWS
    )
    assert answer is not None
    assert answer.text == (
        "Deux territoires ont participé à la deuxième journée ; voici ce que chacun en attendait :\n"
        "- Commune de Sauvelière : Toucher les familles et les jeunes [1]\n"
        "- Syndicat mixte des Monts Cendrés : Faire accepter la réserve [2]"
    )
    assert [(c.n, c.source, c.page, c.text.split(".")[0]) for c in answer.citations] == [
        (1, "bilan.pdf", "4", "Territoire : Commune de Sauvelière"),
        (2, "bilan.pdf", "4", "Territoire : Syndicat mixte des Monts Cendrés"),
    ]
    assert answer.verification.cited == (1, 2) and not answer.verification.flagged


def test_follow_ups_alone_or_both_columns_as_asked() -> None:
    follow = listing_answer(
        "?", ListingQuestion(Subject.TERRITORIES, (F,), 1), [Hit(REPORT_DAY_2, 0.5)], ROWS
    )
    assert follow is not None
    assert follow.text == (
        "Un territoire a participé à la première journée ; voici les suites données :\n"
        "- Pays de Brumeval : Comité relancé en mai [1]"
    )
    both = listing_answer(
        "?", ListingQuestion(Subject.TERRITORIES, (E, F), None), [Hit(REPORT_DAY_2, 0.5)], ROWS
    )
    assert both is not None
    assert both.text.splitlines() == [
        "Trois territoires ont participé aux journées ; voici ce que chacun en attendait et les suites "
        "données :",
        "- Commune de Sauvelière (journée 2) — attentes : Toucher les familles et les jeunes ; "
        "suites données : Budget participatif voté en juin [1]",
        "- Syndicat mixte des Monts Cendrés (journée 2) — attentes : Faire accepter la réserve ; "
        "suites données : Panel citoyen de 24 personnes [2]",
        "- Pays de Brumeval (journée 1) — attentes : Relancer le projet alimentaire ; "
        "suites données : Comité relancé en mai [3]",
    ]
    assert not both.verification.flagged


def test_a_retrieved_row_is_cited_as_the_retrieved_passage() -> None:
    retrieved = Chunk(
        text="Territoire : Syndicat mixte des Monts Cendrés. Attentes : Faire accepter la réserve. "
        "Suites données : Panel citoyen de 24 personnes.",
        doc_id="bilan",
        source="bilan.pdf",
        kind="bilan",
        section=DAY_2,
        page_start=4,
        session=2,
        territory="Syndicat mixte des Monts Cendrés",
        cells=ROWS[1].columns,
    )
    answer = listing_answer("?", ListingQuestion(Subject.TERRITORIES, (E,), 2), [Hit(retrieved, 0.42)], ROWS)
    assert answer is not None
    assert answer.text.splitlines()[1:] == [
        "- Commune de Sauvelière : Toucher les familles et les jeunes [1]",
        "- Syndicat mixte des Monts Cendrés : Faire accepter la réserve [2]",
    ]
    assert answer.citations[1].score == 0.42 and answer.citations[1].text == retrieved.text


def test_without_table_rows_the_notes_lists_give_the_territories_without_a_count() -> None:
    asked = ListingQuestion(Subject.TERRITORIES, (E, F), 2)
    listing = territory_listing(asked, [NOTES_FOLLOW_UPS, NOTES_EXPECTATIONS])
    assert listing is not None
    answer = listing_answer("?", asked, [Hit(NOTES_FOLLOW_UPS, 0.5), Hit(NOTES_EXPECTATIONS, 0.4)])
    assert answer is not None
    assert answer.text.splitlines() == [
        "D'après les passages retrouvés, voici ce qu'attendaient les territoires de la deuxième journée "
        "et les suites données :",
        "- Sauvelière — attentes : toucher d'autres publics [1] ; "
        "suites données : budget participatif voté [2]",
        "- Monts Cendrés — attentes : rendre la réserve acceptable [1] ; suites données : panel citoyen [2]",
    ]
    assert [c.section for c in answer.citations] == ["Ce que les territoires attendaient", "Suites"]
    assert not answer.verification.flagged


def test_levers_are_the_labelled_enumeration_then_what_the_notes_add() -> None:
    asked = ListingQuestion(Subject.LEVERS, (), 2)
    answer = listing_answer("?", asked, [Hit(NOTES_LEVERS, 0.6), Hit(REPORT_DAY_2, 0.5)])
    assert answer is not None
    assert answer.text.splitlines() == [
        "Les leviers évoqués lors de la deuxième journée :",
        "- Le budget participatif, qui donne un vrai pouvoir de décision [1]",
        "- Le tirage au sort pour diversifier les profils [1]",
        "- Une restitution intitulée « ce que nous avons fait de vos idées » [1]",
        "- Un levier n'apparaît que dans ces notes : la boîte à idées itinérante, "
        "proposée par le Val-d'Orbelune [2]",
    ]
    # the report first; the notes' repetition, its « Il s'agit… » and its long quotation left out
    assert [c.source for c in answer.citations] == ["bilan.pdf", "journee-2.md"]
    assert answer.verification.cited == (1, 2) and not answer.verification.flagged


@pytest.mark.parametrize(
    ("question", "focus"),
    [
        ("Quels leviers ont été évoqués pour mobiliser les élus ?", "pour mobiliser les élus"),
        ("Quels leviers auprès des habitants ?", "auprès des habitants"),
        ("Quelles difficultés avec les élus lors de la journée 2 ?", "avec les élus"),  # the day apart
        ("Quelles difficultés avec les élus ?", "avec les élus"),
        ("Quels leviers ont été évoqués sur le financement ?", "sur le financement"),
        ("Quels leviers ont été évoqués lors de la journée 2 ?", ""),
        ("Quels leviers ?", ""),
    ],
)
def test_a_levers_question_may_say_whom_or_what_they_are_about(question: str, focus: str) -> None:
    asked = listing_question(question)
    assert asked is not None and asked.focus == focus


def test_levers_about_a_target_are_those_naming_it_or_the_answer_says_there_are_none() -> None:
    about = topic_listing(
        ListingQuestion(Subject.LEVERS, (), 2, "pour diversifier les profils"), [REPORT_DAY_2]
    )
    assert about is not None
    assert about.lead == "Les leviers évoqués pour diversifier les profils :"
    assert [item.text for item in about.items] == ["Le tirage au sort pour diversifier les profils"]
    none = topic_listing(
        ListingQuestion(Subject.LEVERS, (), 2, "pour mobiliser les entreprises"), [REPORT_DAY_2]
    )
    assert none is not None
    assert none.lead == (
        "Les documents ne citent aucun levier pour mobiliser les entreprises. "
        "Voici tous les leviers évoqués lors de la deuxième journée :"
    )
    assert len(none.items) == 3


def test_the_same_difficulty_from_the_report_and_the_notes_is_one_item_citing_both() -> None:
    report = Chunk(
        text="Difficultés évoquées. Les échanges ont fait ressortir le cloisonnement entre services "
        "d'une même collectivité, le manque de temps des agents, et des cartographies trop lourdes.",
        doc_id="bilan", source="bilan.pdf", kind="bilan", section=DAY_2, page_start=3, session=1,
    )  # fmt: skip
    notes = Chunk(
        text="Le cloisonnement entre services est revenu dans les trois témoignages. Un élu a dit "
        "craindre les conflits avec la chambre d'agriculture.",
        doc_id="notes", source="journee-1.md", kind="notes", section="Difficultés évoquées", session=1,
    )  # fmt: skip
    answer = listing_answer(
        "?", ListingQuestion(Subject.DIFFICULTIES, (), 1), [Hit(notes, 0.7), Hit(report, 0.6)]
    )
    assert answer is not None
    assert answer.text.splitlines() == [
        "Les difficultés rencontrées lors de la première journée :",
        "- Le cloisonnement entre services d'une même collectivité [1] [2]",
        "- Le manque de temps des agents [1]",
        "- Des cartographies trop lourdes [1]",
        "- Un élu a dit craindre les conflits avec la chambre d'agriculture [2]",
    ]
    assert [c.source for c in answer.citations] == ["bilan.pdf", "journee-1.md"]
    assert not answer.verification.flagged


def test_difficulties_leave_the_levers_paragraph_and_its_label_out() -> None:
    listing = topic_listing(ListingQuestion(Subject.DIFFICULTIES, (), None), [REPORT_DAY_2])
    assert listing is not None
    assert listing.lead == "Les difficultés rencontrées lors de la deuxième journée :"
    assert [item.text for item in listing.items] == [
        "La faible présence des jeunes",
        "La méfiance d'habitants déjà consultés sans retour",
        "Des délais administratifs trop longs",
    ]


def test_a_single_sentence_is_no_list_and_the_usual_answer_is_given() -> None:
    day = Chunk(
        text="Le manque de temps a été cité.",
        doc_id="d",
        source="b.pdf",
        kind="bilan",
        section="2.4 Journée 4 > Difficultés",
    )
    assert topic_listing(ListingQuestion(Subject.DIFFICULTIES), [day]) is None
    answer = compose_answer("Quelles difficultés lors de la journée 4 ?", [Hit(day, 0.5)])
    assert answer.text == "Le manque de temps a été cité. [1]"


# -- the indexed sample -----------------------------------------------------------------


def test_the_sample_lists_the_expectations_of_the_second_day(sample_engine: Engine) -> None:
    answer = sample_engine.ask("Qu'attendaient les territoires de la deuxième journée ?")
    lines = answer.text.splitlines()
    assert (
        lines[0]
        == "Trois territoires ont participé à la deuxième journée ; voici ce que chacun en attendait :"
    )
    assert [line.split(" : ")[0] for line in lines[1:]] == [
        "- Commune de Sauvelière",
        "- Communauté d'agglomération du Val-d'Orbelune",
        "- Syndicat mixte des Monts Cendrés",
    ]
    assert all(line.endswith(f"[{n}]") for n, line in enumerate(lines[1:], start=1))
    assert "Suites données" not in answer.text and "Budget participatif" not in answer.text
    assert [(c.source, c.page) for c in answer.citations] == [("bilan-exemple.pdf", "4")] * 3
    assert verification_line(answer.verification, answer.checked, answer.gap) == (
        "✓ Phrases citées mot pour mot de 3 passages · elles donnent ce qui est demandé : "
        "la liste, lue dans les documents"
    )


def test_the_sample_lists_the_levers_of_the_second_day(sample_engine: Engine) -> None:
    answer = sample_engine.ask("Quels leviers ont été évoqués lors de la journée 2 ?")
    lines = answer.text.split("\n\n")[0].splitlines()
    assert lines[0] == "Les leviers évoqués lors de la deuxième journée :"
    assert lines[1] == (
        "- Le budget participatif, qui donne aux habitants un pouvoir de décision réel sur une enveloppe "
        "identifiée [1]"
    )
    assert "- Le tirage au sort pour diversifier les profils [1]" in lines
    assert any("boîte à idées itinérante" in line and line.endswith("[2]") for line in lines)
    assert "Leviers identifiés" not in answer.text and "Difficultés" not in answer.text
    assert [c.source for c in answer.citations] == ["bilan-exemple.pdf", "journee-2.md"]
    assert not answer.verification.flagged


def test_ask_prints_the_lead_the_items_then_the_sources_and_the_check(sample_store: Path) -> None:
    result = run_cli(
        "ask",
        "Quelles suites ont été données aux attentes des territoires de la journée 1 ?",
        store=sample_store,
    )
    assert result.returncode == 0, result.stderr
    answer, sources = result.stdout.split("\n\nSources :\n")
    assert answer.splitlines() == [
        "Trois territoires ont participé à la première journée ; voici les suites données par chacun :",
        "- Communauté de communes des Hautes-Saulaies : Carte des acteurs de l'eau réalisée en avril avec "
        "14 partenaires ; nomination d'un référent transition [1]",
        "- Pays de Brumeval : Atelier de cartographie reproduit avec 9 agriculteurs ; comité alimentaire "
        "relancé en mai [2]",
        "- Commune de Frênebourg-les-Ondes : Adoption de la « roue des acteurs » en conseil municipal ; "
        "binôme d'entraide formé avec les Hautes-Saulaies [3]",
    ]
    assert "Attentes" not in answer  # the follow-ups were asked, not the expectations
    cards = [line for line in sources.splitlines() if line.startswith("[")]
    assert cards == [
        f"[{n}] (bilan) bilan-exemple.pdf, p. 3 — 2. Le déroulé des quatre journées > 2.1 Journée 1 — "
        "Cartographier le système d'acteurs"
        for n in (1, 2, 3)
    ]
    assert result.stdout.rstrip().endswith(
        "\n\n✓ Phrases citées mot pour mot de 3 passages · elles donnent ce qui est demandé : "
        "la liste, lue dans les documents"
    )
