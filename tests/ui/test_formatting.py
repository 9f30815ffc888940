"""Pure formatters: exact Markdown, and hostile document text shown as text."""

from assistant.answering import Answer, Citation
from assistant.verification import Verification
from ui.formatting import (
    escape_text,
    format_answer,
    format_citation,
    format_draft,
    format_status,
    format_verification,
)

SECTION = "2. Déroulé > 2.2 Journée 2"
CITATION = Citation(1, "bilan-exemple.pdf", "4", SECTION, "Le budget a été voté.", 0.71, "bilan")


def test_escape_text_neutralises_html_links_and_images() -> None:
    hostile = "<script>alert(1)</script> ![x](http://evil.example/p.png) [lien](javascript:alert(1))"
    escaped = escape_text(hostile)
    assert "<" not in escaped and ">" not in escaped.replace("&gt;", "")
    assert "![" not in escaped and "](" not in escaped
    assert escaped.startswith("&lt;script&gt;alert\\(1\\)&lt;/script&gt;")


def test_citation_card_shows_badge_source_page_section_and_excerpt() -> None:
    assert format_citation(CITATION) == (
        '<span id="carte-1"></span>**[1]** `Bilan` *bilan\\-exemple.pdf*, p. 4 — '
        "2. Déroulé &gt; 2.2 Journée 2\n> Le budget a été voté."
    )
    notes = Citation(2, "journee-1.md", "", "", "x " * 400, 0.3, "notes")
    card = format_citation(notes)
    assert "`Notes de séance`" in card and ", p." not in card
    assert card.endswith(" …") and len(card) < 500


def test_answer_keeps_markers_then_its_verification_then_sources() -> None:
    answer = Answer("Q ?", "Le budget a été voté. [1]", (CITATION,), verification=Verification((1,), 0, ()))
    assert format_answer(answer).startswith(
        "Le budget a été voté. [\\[1\\]](#carte-1)\n\n*Vérification : 1 passage(s) cité(s) · 0 marqueur(s) "
        "retiré(s) · 0 citation(s) introuvable(s) retirée(s) · 0 affirmation(s) non étayée(s)*\n\n**Sources**"
        '\n\n<span id="carte-1"></span>**[1]**'
    )
    assert format_answer(answer).endswith("\n> <mark>Le budget a été voté.</mark>")


def test_every_supporting_sentence_is_marked_and_the_excerpt_spans_them() -> None:
    useful = "Première phrase utile. Entre les deux. Seconde phrase utile. "
    passage = "Début. " + "x " * 200 + useful + "y " * 200
    card = format_citation(
        Citation(2, "b.pdf", "3", "", passage, 0.5, "bilan"),
        ["Seconde phrase utile.", "Première phrase utile.", "Absente du passage."],
    )
    excerpt = card.split("\n> ", 1)[1]
    assert excerpt.startswith("… ") and excerpt.endswith(" …")
    assert "<mark>Première phrase utile.</mark> Entre les deux. <mark>Seconde phrase utile.</mark>" in excerpt
    assert excerpt.count("<mark>") == 2 and "Début" not in excerpt


def test_verification_lists_unsupported_claims_as_text() -> None:
    check = Verification((1,), 2, ("La mairie a construit une <b>piscine</b>.",), removed_quotes=1)
    assert format_verification(check) == (
        "*Vérification : 1 passage(s) cité(s) · 2 marqueur(s) retiré(s) · 1 citation(s) introuvable(s) "
        "retirée(s) · 1 affirmation(s) non étayée(s)*\n\nÀ vérifier, aucun passage cité ne les appuie :\n"
        "- La mairie a construit une &lt;b&gt;piscine&lt;/b&gt;."
    )


def test_a_draft_is_escaped_and_marked_as_not_yet_verified() -> None:
    assert format_draft("Le budget [1] <i>voté</i>") == (
        "Le budget [1] &lt;i&gt;voté&lt;/i&gt; ▌\n\n"
        "*Réponse en cours de rédaction ; elle sera vérifiée à la fin.*"
    )


def test_refusal_lists_closest_passages() -> None:
    answer = Answer("Q ?", "Les documents indexés ne permettent pas de répondre.", (CITATION,), refused=True)
    assert "**Passages les plus proches**" in format_answer(answer)


def test_status_line() -> None:
    assert format_status([], 0, "m", "extractif").startswith("Aucun document indexé")
    line = format_status(["bilan-exemple.pdf", "journee-1.md"], 42, "all-MiniLM-L6-v2", "extractif")
    assert line.startswith("**2 document(s) indexé(s)** (42 passages) : bilan\\-exemple.pdf, journee\\-1.md")
    assert "all\\-MiniLM\\-L6\\-v2" in line and "extractif" in line
