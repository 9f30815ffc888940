"""A day's run-in fields read, and the sentence answering a count, a place or a date with them
(pure, on passages shaped like the sample's; then through the sample's real answers)."""

from __future__ import annotations

from assistant.answer_kinds import AnswerKind
from assistant.answering import without_run_in_label
from assistant.day_facts import day_fact, run_in_fields
from assistant.engine import Engine
from vectorstore import Chunk

FIELDS = (
    "Date : jeudi 12 mars 2026 Lieu : Grange des Trois-Ormeaux, à Brumeval Thème : Cartographier "
    "le système d'acteurs Participants : 11 personnes\nLa première journée a posé le vocabulaire commun."
)
DAY_1 = Chunk(text=FIELDS, doc_id="b", source="bilan.pdf", kind="bilan", session=1, page_start=3)
DAY_2 = Chunk(
    text="Date : jeudi 9 avril 2026 Lieu : Salle des fêtes de Sauvelière Participants : 13\nSuite.",
    doc_id="b",
    source="bilan.pdf",
    kind="bilan",
    session=2,
    page_start=4,
)


def test_run_in_fields_are_read_from_a_line_made_of_them_only() -> None:
    assert run_in_fields(FIELDS) == {
        "date": "jeudi 12 mars 2026",
        "lieu": "Grange des Trois-Ormeaux, à Brumeval",
        "theme": "Cartographier le système d'acteurs",
        "participants": "11 personnes",
    }
    assert run_in_fields("Le coût total : 38 400 €. Il a été tenu.") == {}  # one label is a sentence
    assert run_in_fields("Selon le bilan, Lieu : salle A Date : mai") == {}  # not from the line's start


def test_a_count_a_place_or_a_date_of_a_day_gets_a_sentence_of_its_own() -> None:
    passages = [DAY_2, DAY_1]
    count = day_fact(AnswerKind.COUNT, "personnes", 1, passages)
    assert count is not None and (count.sentence, count.rank) == (
        "11 personnes ont participé à la première journée, à Brumeval.",
        1,
    )
    place = day_fact(AnswerKind.PLACE, "", 1, passages)
    assert place is not None and place.sentence == (
        "Lieu de la première journée : Grange des Trois-Ormeaux, à Brumeval (le jeudi 12 mars 2026)."
    )
    date = day_fact(AnswerKind.DATE, "", 2, passages)
    assert date is not None and date.sentence == (
        "La deuxième journée a eu lieu le jeudi 9 avril 2026 (Salle des fêtes de Sauvelière)."
    )
    bare = day_fact(AnswerKind.COUNT, "participants", 2, passages)
    assert bare is not None and bare.sentence.startswith("13 personnes ont participé à la deuxième journée")


def test_no_sentence_without_a_day_a_field_or_people_counted() -> None:
    assert day_fact(AnswerKind.COUNT, "personnes", None, [DAY_1]) is None  # which day?
    assert day_fact(AnswerKind.COUNT, "territoires", 1, [DAY_1]) is None  # not people
    assert day_fact(AnswerKind.OPEN, "", 1, [DAY_1]) is None
    assert day_fact(AnswerKind.PLACE, "", 3, [DAY_1, DAY_2]) is None  # no passage of that day


def test_the_sample_answers_how_many_where_and_when_with_a_lead_sentence(sample_engine: Engine) -> None:
    answer = sample_engine.answerer.quiet_answer("Combien de personnes à la première journée ?")
    assert answer.text.startswith("11 personnes ont participé à la première journée, à Brumeval. [1]")
    assert (answer.citations[0].source, answer.citations[0].page) == ("bilan-exemple.pdf", "3")
    assert "Participants :" not in answer.text and "Territoire :" not in answer.text  # no glued labels
    place = sample_engine.answerer.quiet_answer("c'était où la journée 3 ?")
    assert place.text.startswith(
        "Lieu de la troisième journée : Tiers-lieu La Fabrique des Hérons, à Port-Aiglantine "
        "(le jeudi 21 mai 2026). [1]"
    )
    assert not place.verification.flagged


def test_a_run_in_label_is_not_said_in_an_answer() -> None:
    assert without_run_in_label("Leviers identifiés. Les participants ont retenu A ; B.") == (
        "Les participants ont retenu A ; B."
    )
    assert without_run_in_label("**Difficultés évoquées.** Les échanges ont fait ressortir A.") == (
        "Les échanges ont fait ressortir A."
    )
    for kept in (
        "Le coût total : 38 400 €.",  # a colon gives the value: kept
        "Le cycle a réuni 47 participants. Ils venaient de 12 territoires.",  # a sentence, not a label
        "Article 26. La loi prévoit…",  # a number: a reference, kept
    ):
        assert without_run_in_label(kept) == kept


def test_the_levers_button_question_gets_no_raw_label(sample_engine: Engine) -> None:
    answer = sample_engine.answerer.quiet_answer(
        "Qu'ont dit les documents du levier « le tirage au sort pour diversifier les profils » "
        "lors de la journée 2 ?"
    )
    assert "tirage au sort" in answer.text
    assert "Leviers identifiés." not in answer.text and "Difficultés évoquées." not in answer.text
