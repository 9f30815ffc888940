"""The citation verifier on hand-written answers: exact counts and cleaned text."""

from __future__ import annotations

from assistant.verification import support, verify

PASSAGES = {
    1: "Le cycle a réuni 47 participants au total, répartis selon les journées.",
    2: "Le budget participatif de 40 000 euros a été voté en juin à Sauvelière.",
}


def test_supported_answer_passes_untouched() -> None:
    text = "Le cycle a réuni 47 participants. [1] Le budget participatif a été voté en juin. [2]"
    cleaned, check = verify(text, PASSAGES)
    assert cleaned == text
    assert (check.cited, check.removed_markers, check.unsupported) == ((1, 2), 0, ())


def test_markers_to_passages_never_given_are_removed_and_counted() -> None:
    cleaned, check = verify("Le cycle a réuni 47 participants. [1] [7] Voté en juin. [3]", PASSAGES)
    assert cleaned == "Le cycle a réuni 47 participants. [1] Voté en juin."
    assert check.cited == (1,)
    assert check.removed_markers == 2
    assert check.unsupported == ("Voté en juin.",)


def test_a_sentence_its_passage_does_not_support_is_flagged() -> None:
    _, check = verify("La mairie a construit une piscine olympique. [1]", PASSAGES)
    assert check.unsupported == ("La mairie a construit une piscine olympique.",)


def test_support_is_the_share_of_content_words_found() -> None:
    assert support("47 participants au total", PASSAGES[1]) == 1.0
    assert support("47 piscines au total", PASSAGES[1]) == 2 / 3


def test_one_marker_closes_a_claim_of_several_sentences() -> None:
    text = "Territoire : Sauvelière. Budget participatif de 40 000 euros voté en juin. [2]"
    _, check = verify(text, PASSAGES)
    assert (check.cited, check.unsupported) == ((2,), ())


def test_extractive_answers_verify_clean() -> None:
    from assistant.answering import compose_answer
    from vectorstore import Chunk, Hit

    hits = [Hit(Chunk(text=PASSAGES[1], doc_id="d", source="b.pdf", kind="bilan"), 0.9)]
    answer = compose_answer("Combien de participants au total ?", hits)
    assert answer.verification.to_dict() == {
        "cited_passages": [1],
        "removed_markers": 0,
        "unsupported_sentences": [],
    }
