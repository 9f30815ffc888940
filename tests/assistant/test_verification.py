"""The citation verifier on hand-written answers: exact counts and cleaned text."""

from __future__ import annotations

from assistant.verification import ELIDED_QUOTATION, Verification, quoted_in, support, verify

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
        "removed_quotes": 0,
        "unsupported_sentences": [],
    }


def test_a_quotation_found_word_for_word_in_its_cited_passage_is_kept() -> None:
    text = "Le bilan indique que « le cycle a réuni 47 participants » au total. [1]"
    cleaned, check = verify(text, PASSAGES)
    assert cleaned == text
    assert check.removed_quotes == 0


def test_a_quotation_its_cited_passage_does_not_hold_is_replaced_and_counted() -> None:
    text = (
        "Le bilan parle d'« une réussite éclatante » pour ce cycle de 47 participants. [1] "
        "Le budget participatif a été “voté en juin” à Sauvelière. [2]"
    )
    cleaned, check = verify(text, PASSAGES)
    assert cleaned == (
        f"Le bilan parle d'{ELIDED_QUOTATION} pour ce cycle de 47 participants. [1] "
        "Le budget participatif a été “voté en juin” à Sauvelière. [2]"
    )
    assert check.removed_quotes == 1
    assert check.cited == (1, 2)


def test_a_quotation_is_checked_against_the_passage_its_claim_cites_only() -> None:
    # The words are in passage 2, but the claim cites passage 1.
    cleaned, check = verify("On a dit « voté en juin à Sauvelière ». [1]", PASSAGES)
    assert cleaned == f"On a dit {ELIDED_QUOTATION}. [1]"
    assert check.removed_quotes == 1


def test_straight_quotes_are_checked_too_and_an_invented_marker_does_not_save_them() -> None:
    cleaned, check = verify('Il est écrit "47 participants au total" [1] et "un franc succès" [9].', PASSAGES)
    assert cleaned == f'Il est écrit "47 participants au total" [1] et {ELIDED_QUOTATION}.'
    assert (check.removed_markers, check.removed_quotes) == (1, 1)


def test_word_for_word_ignores_case_punctuation_and_apostrophe_glyphs_but_not_words() -> None:
    passage = "L’équipe a dit : « On nous demande notre avis quand tout est déjà décidé. »"
    assert quoted_in("on nous demande notre avis, quand tout est déjà décidé", passage)
    assert quoted_in("l'équipe a dit", passage)
    assert not quoted_in("On nous demande notre avis quand tout est decide", passage)
    assert not quoted_in("nous demande avis", passage)
    assert not quoted_in("équipe a", "Une équipe admirable")


def test_verifying_twice_changes_nothing_more() -> None:
    once, first = verify("Il a parlé d'« un succès total » [1] et de « 47 participants » [1].", PASSAGES)
    twice, second = verify(once, PASSAGES)
    assert twice == once
    assert (first.removed_quotes, second.removed_quotes) == (1, 0)


def test_flagged_says_whether_anything_was_removed_or_flagged() -> None:
    assert not Verification((1,), 0, ()).flagged
    assert Verification((1, 2), 1, ()).flagged and Verification((1,), 0, (), removed_quotes=1).flagged
    assert Verification((1,), 0, ("Une affirmation.",)).flagged


def test_the_check_keeps_the_claims_it_checked_with_their_markers() -> None:
    text = "Le cycle a réuni 47 participants. [1] Le budget a été voté en juin [2] [1]. Sans renvoi."
    cleaned, check = verify(text, PASSAGES)
    assert check.checked == (
        ("Le cycle a réuni 47 participants.", (1,)),
        ("Le budget a été voté en juin", (2, 1)),
        ("Sans renvoi.", ()),
    )
    assert check.claims_citing(cleaned) == {
        1: ["Le cycle a réuni 47 participants.", "Le budget a été voté en juin"],
        2: ["Le budget a été voté en juin"],
    }
    # the claims are not cut again from the text: they are the verifier's
    assert check.claims_citing("Autre chose [3].") == check.claims_citing(cleaned)
    # a verification rebuilt from its dictionary keeps counts, not claims: the text is cut again
    rebuilt = Verification((1, 2), 0, ("Sans renvoi.",))
    assert rebuilt.checked is None and rebuilt == check
    assert rebuilt.claims_citing(cleaned) == check.claims_citing(cleaned)


# -- lists: each item a claim of its own, the lead no claim --------------------------------

LIST_PASSAGES = {
    1: "Territoire : Commune de Sauvelière. Attentes : Toucher les familles et les jeunes.",
    2: "Territoire : Syndicat mixte des Monts Cendrés. Attentes : Faire accepter la réserve de biodiversité.",
}


def test_each_list_item_is_a_claim_and_the_lead_is_none() -> None:
    from assistant.verification import claims

    text = (
        "Deux territoires ont participé à la deuxième journée :\n"
        "- Commune de Sauvelière : Toucher les familles et les jeunes [1]\n"
        "- Syndicat mixte des Monts Cendrés : Faire accepter la réserve [2]"
    )
    assert claims(text) == [
        ("Commune de Sauvelière : Toucher les familles et les jeunes", [1]),
        ("Syndicat mixte des Monts Cendrés : Faire accepter la réserve", [2]),
    ]
    cleaned, check = verify(text, LIST_PASSAGES)
    assert cleaned == text
    assert (check.cited, check.unsupported) == ((1, 2), ())


def test_an_item_is_checked_against_its_own_marker_only() -> None:
    # Without the cut at each line, the unmarked item would have joined the next one's claim.
    text = "Les attentes :\n- Une piscine olympique pour la commune\n- Faire accepter la réserve [2]"
    _, check = verify(text, LIST_PASSAGES)
    assert check.unsupported == ("Une piscine olympique pour la commune",)
    _, wrong = verify("Les attentes :\n- Toucher les familles et les jeunes [2]", LIST_PASSAGES)
    assert wrong.unsupported == ("Toucher les familles et les jeunes",)


def test_only_a_short_lead_ending_with_a_colon_before_a_list_goes_unchecked() -> None:
    unmarked = "Le budget participatif a été voté. Voici les attentes :\n- Faire accepter la réserve [2]"
    assert verify(unmarked, LIST_PASSAGES)[1].unsupported == ("Le budget participatif a été voté.",)
    long_lead = " ".join(["mot"] * 31) + " :\n- Faire accepter la réserve [2]"
    assert verify(long_lead, LIST_PASSAGES)[1].unsupported == (" ".join(["mot"] * 31) + " :",)
    no_list = "Voici les attentes :\nFaire accepter la réserve [2]"  # no list item follows
    assert verify(no_list, LIST_PASSAGES)[1].unsupported == ()  # one claim, marked
    marked = "La piscine olympique [1] :\n- Faire accepter la réserve [2]"
    assert verify(marked, LIST_PASSAGES)[1].unsupported == ("La piscine olympique",)


def test_a_quotation_in_an_item_is_checked_against_that_item_s_passage() -> None:
    text = "Les attentes :\n- « Toucher les familles » [2]\n- « Toucher les familles » [1]"
    cleaned, check = verify(text, LIST_PASSAGES)
    assert cleaned == f"Les attentes :\n- {ELIDED_QUOTATION} [2]\n- « Toucher les familles » [1]"
    assert check.removed_quotes == 1
