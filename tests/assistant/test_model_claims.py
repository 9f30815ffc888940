"""Which sentences of a language model's reply earn their place: exact cases, and paraphrases
found by meaning with the real bundled model."""

from __future__ import annotations

from dataclasses import replace

import pytest
from langchain_core.embeddings import Embeddings

from assistant.model_claims import MEANING_SUPPORT, kept_claims, rebuilt, rebuilt_lines
from assistant.understanding import read
from vectorstore import Chunk, Hit
from vectorstore.sentence_vectors import pack

COST = "Le coût total du cycle s'élève à 38 400 €, soit environ 817 € par participant."
ANIMATION = "Les journées étaient animées par Léonie Farandole pour l'association."
QUESTION = read("Combien a coûté le cycle ?")


def hit(text: str) -> Hit:
    return Hit(Chunk(text=text, doc_id="b.pdf", source="b.pdf", kind="bilan", page_start=9), 0.8)


HITS = [hit(COST), hit(ANIMATION)]


@pytest.mark.parametrize(
    ("claim", "markers", "kept"),
    [
        ("Le cycle a coûté 38 400 € au total", (1,), True),
        ("Le cycle a coûté 38 400 €, soit 817 € par participant", (1,), True),
        ("Le cycle a coûté 52 000 € au total", (1,), False),  # a figure changed
        ("Le cycle a été animé par Léonie Farandole", (2,), True),
        ("Le cycle a été animé par Gaspard Vernazelle", (2,), False),  # a name not in its passage
        ("Première affirmation", (1,), False),  # the example small models copy
        ("Termine chaque phrase par le numéro du passage qui l'appuie", (1,), False),  # the rules
        ("Combien a coûté le cycle ?", (1,), False),  # the question again
        ("Le cycle a coûté", (1,), False),  # nothing the question does not say
        ("Le coût total du cycle s'élève à 38 400 €", (5,), False),  # a passage never given
        ("Une piscine a été construite", (1,), False),  # not in its passage
        ("38 400 €", (1,), False),  # a bare value: what it costs is not said (Qwen, issue 25)
        ("4", (1,), False),
    ],
)
def test_a_model_sentence_is_kept_only_when_its_passage_holds_it(
    claim: str, markers: tuple[int, ...], kept: bool
) -> None:
    found, dropped = kept_claims(QUESTION, [(claim, markers)], HITS)
    assert (found == [(claim, markers)]) is kept
    assert (dropped == (claim,)) is not kept


def test_a_sentence_without_a_marker_is_cited_by_the_passage_that_holds_it() -> None:
    found, dropped = kept_claims(
        QUESTION, [("Le cycle a coûté 38 400 €. Une piscine a été bâtie.", ())], HITS
    )
    assert found == [("Le cycle a coûté 38 400 €.", (1,))]  # each sentence stands alone
    assert dropped == ("Une piscine a été bâtie.",)


def test_a_figure_the_question_gives_may_recur() -> None:
    question = read("Qui animait la journée 2 ?")
    found, _ = kept_claims(question, [("La journée 2 était animée par Léonie Farandole", (2,))], HITS)
    assert found == [("La journée 2 était animée par Léonie Farandole", (2,))]


def test_a_paraphrase_is_found_by_meaning(embeddings: Embeddings) -> None:
    """No word in common but its meaning: the passage's stored sentence vector is close to
    the claim's (the real bundled model); an unrelated claim is not."""
    passage = "Le questionnaire de fin de cycle indique un taux de satisfaction élevé."
    vectors = pack(embeddings.embed_documents([passage]))
    stored = [Hit(replace(hit(passage).chunk, sentence_vectors=vectors), 0.8)]
    question = read("Les gens étaient-ils contents ?")
    para = "Les répondants sont très satisfaits du cycle"
    other = "Les élus ont voté contre la réserve naturelle"
    found, dropped = kept_claims(question, [(para, (1,)), (other, (1,))], stored, embeddings.embed_query)
    assert found == [(para, (1,))] and dropped == (other,)
    assert 0.8 < MEANING_SUPPORT < 1


def test_kept_claims_are_written_back_with_their_markers() -> None:
    kept = [("Le cycle a coûté 38 400 €", (1,)), ("Il était animé par Léonie Farandole.", (2,))]
    assert rebuilt(kept) == "Le cycle a coûté 38 400 € [1]. Il était animé par Léonie Farandole [2]."
    assert rebuilt_lines(kept) == [
        "Le cycle a coûté 38 400 € [1].",
        "Il était animé par Léonie Farandole [2].",
    ]
