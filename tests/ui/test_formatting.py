"""Pure formatters: exact Markdown, and hostile document text shown as text."""

from assistant.answering import Answer, Citation
from ui.formatting import escape_text, format_answer, format_citation, format_status

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
        "**[1]** `Bilan` *bilan\\-exemple.pdf*, p. 4 — 2. Déroulé &gt; 2.2 Journée 2\n> Le budget a été voté."
    )
    notes = Citation(2, "journee-1.md", "", "", "x " * 400, 0.3, "notes")
    card = format_citation(notes)
    assert "`Notes de session`" in card and ", p." not in card
    assert card.endswith(" …") and len(card) < 500


def test_answer_keeps_markers_and_lists_sources() -> None:
    answer = Answer("Q ?", "Le budget a été voté. [1]", (CITATION,))
    text = format_answer(answer)
    assert text.startswith("Le budget a été voté. [1]\n\n**Sources**\n\n**[1]**")


def test_refusal_lists_closest_passages() -> None:
    answer = Answer("Q ?", "Les documents indexés ne permettent pas de répondre.", (CITATION,), refused=True)
    assert "**Passages les plus proches**" in format_answer(answer)


def test_status_line() -> None:
    assert format_status([], 0, "m", "extractif").startswith("Aucun document indexé")
    line = format_status(["bilan-exemple.pdf", "journee-1.md"], 42, "all-MiniLM-L6-v2", "extractif")
    assert line.startswith("**2 document(s) indexé(s)** (42 passages) : bilan\\-exemple.pdf, journee\\-1.md")
    assert "all\\-MiniLM\\-L6\\-v2" in line and "extractif" in line
