"""Answers as Markdown: exact messages, cards, the verifier's badge, the export, and hostile
document text shown as text."""

import re

from markdown_it import MarkdownIt

from assistant.answering import LISTED, Answer, Citation
from assistant.verification import Verification, verify
from assistant.wording import QUOTED, verification_line
from tests.ui.test_escaping import HOSTILE
from ui.answer_markdown import (
    UNKNOWN_KIND,
    conversation_markdown,
    format_answer,
    format_citation,
    format_draft,
    format_verification,
    kind_badge,
)

SECTION = "2. Déroulé > 2.2 Journée 2"
CITATION = Citation(1, "bilan-exemple.pdf", "4", SECTION, "Le budget a été voté.", 0.71, "bilan")


def test_citation_card_shows_badge_source_page_section_and_excerpt() -> None:
    assert format_citation(CITATION, anchor="r1-") == (
        '<span id="r1-carte-1"></span>**[1]** `Bilan` *bilan\\-exemple.pdf*, p. 4 — '
        "2. Déroulé &gt; 2.2 Journée 2\n> Le budget a été voté."
    )
    notes = Citation(2, "journee-1.md", "", "", "x " * 400, 0.3, "notes")
    card = format_citation(notes)
    assert "`Notes de séance`" in card and ", p." not in card
    assert card.endswith(" …") and len(card) < 500


def test_answer_keeps_markers_then_its_verification_then_sources() -> None:
    answer = Answer("Q ?", "Le budget a été voté. [1]", (CITATION,), verification=Verification((1,), 0, ()))
    assert format_answer(answer, anchor="r2-").startswith(
        'Le budget a été voté. <a class="renvoi" href="#r2-carte-1" '
        'title="source 1 : bilan-exemple.pdf, page 4">[1]</a>\n\n'
        '<details class="verification"><summary>✓ Phrases citées mot pour mot d\'un passage · question '
        "ouverte : relisez les passages pour juger</summary>\n\n"
        f"{QUOTED} La question n'appelle pas une donnée précise (un chiffre, une date, un nom) : relisez "
        "les passages pour juger de la réponse. Passages cités : [1].\n\n</details>\n\n**Sources**"
        '\n\n<span id="r2-carte-1"></span>**[1]**'
    )
    assert format_answer(answer).endswith("\n> <mark>Le budget a été voté.</mark>")


def test_each_answer_links_its_markers_to_its_own_cards() -> None:
    first = Answer("Q1 ?", "Le budget a été voté. [1]", (CITATION,), verification=Verification((1,), 0, ()))
    second = Answer("Q2 ?", "Le budget est tenu. [1]", (CITATION,), verification=Verification((1,), 0, ()))
    anchors = [re.findall(r'id="([^"]+)"', format_answer(a)) for a in (first, second)]
    links = [re.findall(r'class="renvoi" href="#([^"]+)"', format_answer(a)) for a in (first, second)]
    assert anchors == links and anchors[0] != anchors[1] and all(a[0].endswith("carte-1") for a in anchors)


def test_a_passage_s_list_items_are_each_on_their_own_line_in_the_card() -> None:
    items = "- Hautes-Saulaies : carte des acteurs.\n- Pays de Brumeval : atelier *refait*.\n1. Troisième."
    notes = Citation(1, "journee-1.md", "", "Suites données", items, 0.5, "notes")
    card = format_citation(notes, ["Pays de Brumeval : atelier *refait*."])
    assert card.endswith(
        "> • Hautes\\-Saulaies : carte des acteurs.<br>"
        "• <mark>Pays de Brumeval : atelier \\*refait\\*.</mark><br>• Troisième."
    )
    hyphen = Citation(2, "a.md", "", "", "Un tiers-lieu - ouvert en mai.", 0.5, "notes")
    assert format_citation(hyphen).endswith("> Un tiers\\-lieu \\- ouvert en mai.")  # not an item


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


def test_verification_lists_the_removed_claims_as_text() -> None:
    check = Verification(
        (1,), 2, ("La mairie a construit une <b>piscine</b>.",), removed_quotes=1, paraphrased=True
    )
    assert format_verification(check, "le coût") == (
        "**⚠ 1 phrase du modèle retrouvée dans le passage cité · elles donnent ce qui est "
        "demandé : le coût ; 2 renvois sans source retirés ; 1 citation introuvable retirée ; 1 affirmation "
        "non étayée retirée**\n\nRetirées de la réponse, aucun passage cité ne les appuie :\n"
        "- La mairie a construit une &lt;b&gt;piscine&lt;/b&gt;."
    )
    assert format_verification(Verification((1,), 1, ())) == (
        "**⚠ Phrases citées mot pour mot d'un passage · question ouverte : relisez les passages pour juger ; "
        "1 renvoi sans source retiré**"
    )


def test_a_partial_answer_says_so_in_bold_and_in_a_visible_badge() -> None:
    gap = "Les documents ne donnent pas le nombre d'habitants de Sauvelière."
    text = f"{gap} Voici ce qu'ils en disent :\n- Le budget a été voté. [1]"
    answer = Answer("Q ?", text, (CITATION,), verification=Verification((1,), 0, ()), gap=gap)
    shown = format_answer(answer, anchor="r3-")
    assert shown.startswith(f"**{gap}** Voici ce qu'ils en disent :\n\n- Le budget a été voté.")
    assert (
        "\n\n**◐ Réponse partielle : les documents ne donnent pas le nombre d'habitants de Sauvelière · "
        "phrases citées mot pour mot d'un passage**\n\n" in shown
    )
    assert "<details" not in shown


def test_the_badge_says_the_verification_line_of_assistant_wording() -> None:
    """The words of ``ask``'s last line (tests/assistant/test_cli.py), only wrapped in HTML."""
    for check, checked, gap in (
        (Verification((1, 2), 0, ()), "le montant", ""),
        (Verification((1,), 1, ("Une affirmation.",)), "", ""),
        (Verification((1,), 0, ()), "", "Les documents ne donnent pas la date."),
    ):
        badge = format_verification(check, checked, gap)
        line = verification_line(check, checked, gap)
        assert line in badge
        assert re.sub(r"<[^>]+>|\*\*", "", badge).startswith(line)


def test_cards_highlight_the_claims_the_verifier_checked() -> None:
    """The claims come from the verification, not from cutting the answer again."""
    text, check = verify("Le budget a été voté. [1]", {1: CITATION.text})
    assert check.checked == (("Le budget a été voté.", (1,)),)
    answer = Answer("Q ?", text, (CITATION,), verification=check)
    assert format_answer(answer).endswith("\n> <mark>Le budget a été voté.</mark>")
    # what the verifier kept is what is marked, whatever the text says
    kept = Verification((1,), 0, (), checked=(("Le budget a été voté.", (1,)),))
    other = Answer("Q ?", "Une autre phrase du passage. [1]", (CITATION,), verification=kept)
    assert format_answer(other).endswith("\n> <mark>Le budget a été voté.</mark>")


def test_a_draft_is_escaped_and_marked_as_not_yet_verified() -> None:
    assert format_draft("Le budget [1] <i>voté</i>") == (
        "Le budget [1] &lt;i&gt;voté&lt;/i&gt; ▌\n\n"
        "*Réponse en cours de rédaction ; chaque phrase sera recherchée dans les passages à la fin.*"
    )


def test_refusal_lists_closest_passages() -> None:
    answer = Answer("Q ?", "Les documents indexés ne permettent pas de répondre.", (CITATION,), refused=True)
    assert "**Passages les plus proches**" in format_answer(answer)


def test_answers_and_cards_from_hostile_passages_are_text() -> None:
    citation = Citation(1, "piege.md", "", "Remarques <b>", HOSTILE, 0.5, "notes")
    answer = Answer("Q ?", f"{HOSTILE} [1]", (citation,), verification=Verification((1,), 0, ()))
    shown = format_answer(answer, anchor="r1-")
    assert '<a class="renvoi" href="#r1-carte-1" title="source 1 : piege.md">[1]</a>' in shown
    assert '<span id="r1-carte-1"></span>' in shown
    assert "<mark>" in shown  # the supporting sentence is still highlighted
    ours = (
        r'</?mark>|<span id="r1-carte-1"></span>|<a class="renvoi"[^>]*>\[1\]</a>'
        r"|</?details[^>]*>|</?summary>"
    )
    without_ours = re.sub(ours, "", shown)
    for rendered in ("<", "![", "://", "www.", "@", "](http"):
        assert rendered not in without_ours
    assert "<" not in format_draft(HOSTILE).replace("▌", "")


# -- list answers: a real Markdown list, each item escaped, markers linked -------------------

ROW_1 = Citation(
    1,
    "bilan-exemple.pdf",
    "4",
    SECTION,
    "Territoire : Commune de Sauvelière. Attentes : Sortir des réunions publiques (toujours les mêmes).",
    1.0,
    "bilan",
)
ROW_2 = Citation(
    2,
    "bilan-exemple.pdf",
    "4",
    SECTION,
    "Territoire : Communauté d'agglomération du Val-d'Orbelune. "
    "Attentes : Associer les quartiers <b>éloignés</b>.",
    1.0,
    "bilan",
)
LISTING = Answer(
    "Qu'attendaient les territoires de la deuxième journée ?",
    "Deux territoires ont participé à la deuxième journée ; voici ce que chacun en attendait :\n"
    "- Commune de Sauvelière : Sortir des réunions publiques (toujours les mêmes) [1]\n"
    "- Communauté d'agglomération du Val-d'Orbelune : Associer les quartiers <b>éloignés</b> [2]",
    (ROW_1, ROW_2),
    verification=Verification((1, 2), 0, ()),
    checked=LISTED,
)


def marker(anchor: str, n: int, page: str = "4") -> str:
    title = f"source {n} : bilan-exemple.pdf, page {page}"
    return f'<a class="renvoi" href="#{anchor}carte-{n}" title="{title}">[{n}]</a>'


def test_a_list_answer_is_a_markdown_list_of_escaped_items_with_linked_markers() -> None:
    message = format_answer(LISTING, anchor="r3-")
    text = message.split("\n\n<details")[0]
    assert text == (
        "Deux territoires ont participé à la deuxième journée ; voici ce que chacun en attendait :\n\n"
        "- Commune de Sauvelière : Sortir des réunions publiques \\(toujours les mêmes\\) "
        f"{marker('r3-', 1)}\n"
        "- Communauté d'agglomération du Val\\-d'Orbelune : "
        f"Associer les quartiers &lt;b&gt;éloignés&lt;/b&gt; {marker('r3-', 2)}"
    )
    assert (
        "<summary>✓ Phrases citées mot pour mot de 2 passages · elles donnent ce qui est demandé : la liste, "
        "lue dans les documents</summary>" in message
    )


def test_a_list_item_s_cells_are_highlighted_in_its_card() -> None:
    message = format_answer(LISTING, anchor="r3-")
    first_card = message.split('<span id="r3-carte-1"></span>')[1].split("<span")[0]
    assert "<mark>Commune de Sauvelière</mark>" in first_card
    assert "<mark>Sortir des réunions publiques \\(toujours les mêmes\\)</mark>" in first_card


def test_only_line_starting_dashes_are_list_syntax() -> None:
    answer = Answer(
        "Q ?",
        "Les leviers :\n* Le tirage au sort - pour diversifier [1]\n• Une « restitution » [1]\n"
        "Suite - fin. [1]",
        (CITATION,),
        verification=Verification((1,), 0, ()),
    )
    text = format_answer(answer, anchor="a-").split("\n\n<details")[0]
    assert text == (
        "Les leviers :\n\n"
        f"- Le tirage au sort \\- pour diversifier {marker('a-', 1)}\n"
        f"- Une « restitution » {marker('a-', 1)}\n\n"
        f"Suite \\- fin. {marker('a-', 1)}"
    )


def test_a_marker_is_titled_with_where_it_leads_and_a_hostile_source_stays_text() -> None:
    hostile = Citation(1, 'x" onmouseover="alert(1)<b>.pdf', "2-3", "", "Texte.", 0.5, "bilan")
    answer = Answer("Q ?", "Texte. [1]", (hostile,), verification=Verification((1,), 0, ()))
    assert (
        '<a class="renvoi" href="#a-carte-1" title="source 1 : x&quot; onmouseover=&quot;alert(1)&lt;b&gt;'
        '.pdf, page 2-3">[1]</a>'
    ) in format_answer(answer, anchor="a-")


def test_a_draft_list_keeps_its_lines() -> None:
    assert format_draft("Les leviers :\n- Le budget [1]\n- Le <i>tirage</i>") == (
        "Les leviers :\n\n- Le budget [1]\n- Le &lt;i&gt;tirage&lt;/i&gt; ▌\n\n"
        "*Réponse en cours de rédaction ; chaque phrase sera recherchée dans les passages à la fin.*"
    )


# -- the conversation's export ---------------------------------------------------------------

REPORT = Citation(
    1, "bilan-exemple.pdf", "8", "3.1 Quelques chiffres", "Le taux de satisfaction est de 92 %.", 0.9, "bilan"
)
NOTE = Citation(2, "journee-2.md", "", "Déroulé", "Treize personnes ont participé.", 0.5, "notes")


def test_the_conversation_export_gives_each_answer_with_its_sources() -> None:
    answers = [
        Answer("Quel est le taux de satisfaction ?", "Il est de 92 %. [1]", (REPORT,)),
        Answer("Et la journée 2 ?", "Treize personnes. [2]", (NOTE,)),
    ]
    assert conversation_markdown(answers) == (
        "# Conversation avec l'assistant du bilan\n\n"
        "## 1. Quel est le taux de satisfaction ?\n\nIl est de 92 %. [1]\n\nSources :\n\n"
        "- [1] Bilan : bilan-exemple.pdf, p. 8 — 3.1 Quelques chiffres\n"
        "  > Le taux de satisfaction est de 92 %.\n\n"
        "## 2. Et la journée 2 ?\n\nTreize personnes. [2]\n\nSources :\n\n"
        "- [2] Notes de séance : journee-2.md — Déroulé\n  > Treize personnes ont participé.\n"
    )


def test_the_export_reads_as_plain_markdown_without_needless_escapes() -> None:
    """Issue 28: the file said ``bilan\\-exemple.pdf``, ``\\(journée 1\\)`` and ``&gt;``: it
    now reads as written, a list answer staying a list."""
    exported = conversation_markdown(
        [LISTING, Answer("Et la journée 1 ?", "Douze personnes (journée 1). [1]", (ROW_1,))]
    )
    assert exported == (
        "# Conversation avec l'assistant du bilan\n\n"
        "## 1. Qu'attendaient les territoires de la deuxième journée ?\n\n"
        "Deux territoires ont participé à la deuxième journée ; voici ce que chacun en attendait :\n\n"
        "- Commune de Sauvelière : Sortir des réunions publiques (toujours les mêmes) [1]\n"
        "- Communauté d'agglomération du Val-d'Orbelune : "
        "Associer les quartiers &lt;b>éloignés&lt;/b> [2]\n\n"
        "Sources :\n\n"
        "- [1] Bilan : bilan-exemple.pdf, p. 4 — 2. Déroulé > 2.2 Journée 2\n"
        f"  > {ROW_1.text}\n\n"
        "- [2] Bilan : bilan-exemple.pdf, p. 4 — 2. Déroulé > 2.2 Journée 2\n"
        "  > Territoire : Communauté d'agglomération du Val-d'Orbelune. Attentes : Associer les quartiers "
        "&lt;b>éloignés&lt;/b>.\n\n"
        "## 2. Et la journée 1 ?\n\nDouze personnes (journée 1). [1]\n\nSources :\n\n"
        "- [1] Bilan : bilan-exemple.pdf, p. 4 — 2. Déroulé > 2.2 Journée 2\n"
        f"  > {ROW_1.text}\n"
    )
    for needless in ("\\-", "\\(", "\\)", "&gt;", "\\."):
        assert needless not in exported, needless
    assert rendered(exported).count("<ul>") == 3  # the answer's list, then each answer's sources
    refused = Answer("Q ?", "Les documents indexés ne permettent pas de répondre.", (REPORT,), refused=True)
    assert "\n\nPassages les plus proches :\n\n- [1] Bilan : " in conversation_markdown([refused])


def rendered(markdown: str) -> str:
    """The export as a Markdown viewer shows it: CommonMark with raw HTML allowed, and tables."""
    return MarkdownIt("commonmark").enable("table").render(markdown)


def tags(html: str) -> list[str]:
    return sorted(set(re.findall(r"<(\w+)", html)))


def test_the_conversation_export_carries_no_html_link_or_remote_image() -> None:
    """Issue 18, finding 7: the export carried the documents' raw HTML and links."""
    hostile = Citation(
        1, "piege.md", "", "<b>Section</b>",
        'Voir <img src=x onerror="alert(1)"> ![suivi](http://pistage.example/p.png) '
        "[clic](javascript:alert(1)) <https://ailleurs.example> http://ailleurs.example",
        0.5, "notes",
    )  # fmt: skip
    answer = Answer("<script>alert(1)</script> ?", "Réponse <iframe src=//x></iframe> [1]", (hostile,))
    exported = conversation_markdown([answer])
    for raw in ("<img", "<script", "<iframe", "<b>", "](", "<https", "http://"):
        assert raw not in exported, raw
    assert "&lt;img src=x onerror=" in exported and "suivi" in exported
    assert "clic (javascript:alert(1))" in exported  # its target shown as text, not a link
    html = rendered(exported)
    assert tags(html) == ["blockquote", "h1", "h2", "li", "p", "ul"]
    assert (
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
        and "<h2>1. &lt;script&gt;alert(1)&lt;/script&gt; ?</h2>" in html
    )


def test_document_text_cannot_break_the_export_s_structure_or_make_a_link() -> None:
    """A passage's lines starting like Markdown blocks, a link definition that would turn the
    markers into links, brackets, pipes, entities and backslashes: all shown as written."""
    hostile = Citation(
        1, "notes.md", "", "# Titre\n> cité",
        "# Pas un titre\n> pas une citation\n- pas une liste\n1. pas une liste\n---\n```\n"
        "[1]: javascript:alert(1)\n[x]: http://pistage.example\n| a | b |\n|---|---|\n"
        "&lt;b&gt; &amp; C:\\dossier \\[x\\] contact@ville.fr www.ville.fr",
        0.5, "notes",
    )  # fmt: skip
    text = (
        "# Faux titre [1]\n> Fausse citation [1]\n[1]: javascript:alert(1)\nSuite [1](javascript:x) ===\n==="
    )
    exported = conversation_markdown([Answer("Question\n# injectée ?", text, (hostile,))])
    html = rendered(exported)
    assert tags(html) == ["blockquote", "h1", "h2", "li", "p", "ul"]
    assert html.count("<h1>") == 1 and html.count("<h2>") == 1 and html.count("<blockquote>") == 1
    assert "<h2>1. Question # injectée ?</h2>" in html
    assert "<p># Faux titre [1]\n&gt; Fausse citation [1]\n[1]: javascript:alert(1)\n" in html
    assert (
        "<blockquote>\n<p># Pas un titre &gt; pas une citation - pas une liste 1. pas une liste --- ``` "
        "[1]: javascript:alert(1) [x]: http://pistage.example | a | b | |---|---| &amp;lt;b&amp;gt; "
        "&amp;amp; C:\\dossier \\[x\\] contact@ville.fr www.ville.fr</p>\n</blockquote>" in html
    )
    assert exported.splitlines()[4:7] == [
        "\\# Faux titre [1]",
        "\\> Fausse citation [1]",
        "\\[1\\]: javascript:alert(1)",
    ]  # the escapes a person sees in an editor: only where markup would begin


def test_an_unknown_kind_is_named_neutrally_never_echoed() -> None:
    """Red team, pass 3 (N3): a forged state's kind went raw into the export (``kind_label``
    gives an unknown kind back as it is)."""
    forged = "<img src=x onerror=alert(document.domain)>"
    citation = Citation(1, "<img src=x onerror=alert(1)>.pdf", "1", "s", "t", 1.0, forged, 1)
    exported = conversation_markdown([Answer("Q ?", "R. [1]", (citation,))])
    assert f"- [1] {UNKNOWN_KIND} : &lt;img" in exported
    assert "<img" not in exported and "document.domain" not in exported
    card = format_citation(citation)
    assert f"`{UNKNOWN_KIND}`" in card and "<img" not in card
    assert kind_badge("bilan") == "Bilan" and kind_badge("notes") == "Notes de séance"
    assert kind_badge(None) == kind_badge(["bilan"]) == kind_badge("autre") == UNKNOWN_KIND == "Document"
