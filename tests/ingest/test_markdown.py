"""Markdown and plain-text loading: front matter, heading paths, sessions."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.markdown import load_markdown, load_text, parse_markdown, split_front_matter

NOTES = """---
title: Notes de la journée
session: 3
---
# Journée 3 à Exempleville

Accueil des participants.

## Leviers
- Un portage politique fort
- Des binômes élu-technicien

### Difficultés
Le temps manque
pour les agents.
"""


def test_front_matter_gives_title_and_session() -> None:
    doc = parse_markdown("notes.md", NOTES, "notes")
    assert doc.title == "Notes de la journée"
    assert doc.session == 3
    assert doc.kind == "notes"


def test_blocks_carry_their_heading_path() -> None:
    doc = parse_markdown("notes.md", NOTES, "notes")
    assert [(block.section, block.text) for block in doc.blocks] == [
        ("", "Accueil des participants."),
        ("Leviers", "- Un portage politique fort"),
        ("Leviers", "- Des binômes élu-technicien"),
        ("Leviers > Difficultés", "Le temps manque pour les agents."),
    ]


def test_without_front_matter_the_session_comes_from_the_title_or_name() -> None:
    assert parse_markdown("x.md", "# Journée 2\n\ntexte", "x").session == 2
    assert parse_markdown("journee-4.md", "texte", "journee-4").session == 4
    assert parse_markdown("synthese.md", "texte", "synthese").session is None


def test_broken_front_matter_is_a_clear_error() -> None:
    with pytest.raises(IngestError, match="YAML"):
        split_front_matter("---\ntitle: [non fermé\n---\ntexte")
    with pytest.raises(IngestError, match="dictionnaire"):
        split_front_matter("---\n- une liste\n---\ntexte")


def test_markdown_file_in_cp1252_is_read(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_bytes("# Titre\n\nDéroulé de la journée".encode("cp1252"))
    assert load_markdown(path).blocks[0].text == "Déroulé de la journée"


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "image.md"
    path.write_bytes(b"\x89PNG\x00\x00\x00")
    with pytest.raises(IngestError, match="binaire"):
        load_markdown(path)


def test_plain_text_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "session-1.txt"
    path.write_text("Premier  paragraphe\nsur deux lignes.\n\n\nSecond paragraphe.", encoding="utf-8")
    doc = load_text(path)
    assert [block.text for block in doc.blocks] == [
        "Premier paragraphe sur deux lignes.",
        "Second paragraphe.",
    ]
    assert doc.session == 1
    assert doc.title == "session-1"


def test_front_matter_fields_become_chunk_metadata() -> None:
    from ingest.chunking import chunk_document

    text = (
        "---\nsession: 2\ndate: 2026-04-09\nlieu: Sauvelière\n"
        "territoires: [Sauvelière, Val-d'Orbelune]\n---\nTexte."
    )
    chunk = chunk_document(parse_markdown("j2.md", text, "j2"), "doc")[0]
    meta = chunk.to_metadata()
    assert (meta["date"], meta["lieu"], meta["territoires"]) == (
        "2026-04-09",
        "Sauvelière",
        "Sauvelière, Val-d'Orbelune",
    )
    assert meta["session"] == 2


# --- Markdown read as plain text: no syntax reaches a passage (issue 16) ---

SAMPLE_NOTES = sorted((Path(__file__).resolve().parents[2] / "sample" / "notes").glob("journee-*.md"))


def texts(markdown: str) -> list[str]:
    return [block.text for block in parse_markdown("n.md", markdown, "n").blocks]


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("Un **portage** fort", "Un portage fort"),
        ("Un __portage__ fort", "Un portage fort"),
        ("Un *portage* fort", "Un portage fort"),
        ("Un _portage_ fort", "Un portage fort"),
        ("***Très*** important", "Très important"),
        ("Retenir l'*essentiel* et l'_essentiel_.", "Retenir l'essentiel et l'essentiel."),
        ("le **« café des services »**, un rendez-vous", "le « café des services », un rendez-vous"),
        ("« *Je croyais* » ; « **on** » !", "« Je croyais » ; « on » !"),
        ("- **Frênebourg-les-Ondes** : des outils", "- Frênebourg-les-Ondes : des outils"),
        # intra-word underscores are not emphasis
        ("le fichier notes_journee_2_v3.md et snake_case", "le fichier notes_journee_2_v3.md et snake_case"),
        (
            "Une étoile seule * et un tiret bas seul _ restent",
            "Une étoile seule * et un tiret bas seul _ restent",
        ),
        ("La commande `ingest --rebuild` relit tout", "La commande ingest --rebuild relit tout"),
        ("Voir ``le `code` ici``", "Voir le `code` ici"),
        ("~~Annulé~~ reporté", "Annulé reporté"),
    ],
)
def test_inline_emphasis_and_code_lose_their_marks(markdown: str, expected: str) -> None:
    assert texts(markdown) == [expected]


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ('Voir [le bilan](https://exemple.fr/bilan.pdf "titre").', "Voir le bilan."),
        ("Voir [le **bilan**][réf].\n\n[réf]: https://exemple.fr", "Voir le bilan."),
        ("Photo : ![La grange des *Trois-Ormeaux*](grange.jpg)", "Photo : La grange des Trois-Ormeaux"),
        (
            "Écrire à <mailto:equipe@exemple.fr> ou <https://exemple.fr>",
            "Écrire à mailto:equipe@exemple.fr ou https://exemple.fr",
        ),
        ("Site : https://exemple.fr/page_1", "Site : https://exemple.fr/page_1"),
    ],
)
def test_links_and_images_keep_their_text(markdown: str, expected: str) -> None:
    assert texts(markdown) == [expected]


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("Onze <!-- à vérifier --> personnes", ["Onze personnes"]),
        ("Première ligne<br>seconde<br/>troisième", ["Première ligne seconde troisième"]),
        ('Un <span class="x">mot</span> mis en <b>valeur</b>', ["Un mot mis en valeur"]),
        ("Avant\n\n<!-- commentaire\nsur deux lignes -->\n\nAprès", ["Avant", "Après"]),
        ("<div>\nUn <em>bloc</em> &amp; du texte\n</div>", ["Un bloc & du texte"]),
        ("<script>alert(1)</script>\n\nTexte", ["Texte"]),
        ("Moins de 10 &lt; 12 &nbsp;personnes &eacute;tonnées", ["Moins de 10 < 12 personnes étonnées"]),
    ],
)
def test_html_tags_and_comments_are_removed(markdown: str, expected: list[str]) -> None:
    assert texts(markdown) == expected


def test_escaped_characters_become_the_character() -> None:
    markdown = r"Un \*astérisque\*, un \_tiret\_, un \# et des \[crochets\] \`"
    assert texts(markdown) == ["Un *astérisque*, un _tiret_, un # et des [crochets] `"]
    assert texts(r"\# Pas un titre") == ["# Pas un titre"]
    assert texts(r"\- pas une liste") == ["- pas une liste"]


def test_headings_become_section_titles_without_their_marks() -> None:
    markdown = (
        "# Notes de la *journée 2*\n\nIntro.\n\n## Leviers **évoqués** ##\nUn levier.\n\n"
        "Difficultés\n-----------\n\nLe temps.\n\n### `Suites` [prévues](x.html)\nÀ suivre.\n"
    )
    doc = parse_markdown("n.md", markdown, "n")
    assert doc.title == "Notes de la journée 2"
    assert doc.session == 2
    assert [(block.section, block.text) for block in doc.blocks] == [
        ("", "Intro."),
        ("Leviers évoqués", "Un levier."),
        ("Difficultés", "Le temps."),
        ("Difficultés > Suites prévues", "À suivre."),
    ]


def test_a_hash_without_space_is_text() -> None:
    assert texts("#hashtag et n°5") == ["#hashtag et n°5"]


def test_list_items_are_lines_with_a_dash_and_numbers_are_kept() -> None:
    markdown = (
        "* Premier levier\n+ Deuxième levier\n- Troisième\n  sur deux lignes\n\n"
        "1. Cartographier\n2. Questionner\n\n3) Restituer\n"
    )
    assert texts(markdown) == [
        "- Premier levier",
        "- Deuxième levier",
        "- Troisième sur deux lignes",
        "1. Cartographier",
        "2. Questionner",
        "3) Restituer",
    ]


def test_nested_lists_and_items_of_several_paragraphs() -> None:
    markdown = (
        "- Hautes-Saulaies :\n  - carte de l'eau\n  - référent transition\n"
        "- Pays de Brumeval\n\n  Comité relancé en mai.\n"
    )
    assert texts(markdown) == [
        "- Hautes-Saulaies :",
        "- carte de l'eau",
        "- référent transition",
        "- Pays de Brumeval Comité relancé en mai.",
    ]


def test_list_items_stay_separate_passages_lines() -> None:
    from ingest.chunking import chunk_document

    markdown = "## Suites\n\n- **Hautes-Saulaies** : carte.\n- *Pays de Brumeval* : atelier.\n"
    (chunk,) = chunk_document(parse_markdown("n.md", markdown, "n"), "doc")
    assert chunk.text == "- Hautes-Saulaies : carte.\n- Pays de Brumeval : atelier."
    assert chunk.section == "Suites"


def test_block_quotes_lose_their_marks() -> None:
    markdown = (
        "> « Je croyais que la carte\n> servirait aux élus. »\n>\n> — Maëlle\n\n- > cité dans une liste\n"
    )
    assert texts(markdown) == [
        "« Je croyais que la carte servirait aux élus. »",
        "— Maëlle",
        "- cité dans une liste",
    ]


def test_horizontal_rules_are_dropped() -> None:
    assert texts("Avant\n\n---\n\n***\n\n___\n\n* * *\n\nAprès") == ["Avant", "Après"]


def test_tables_become_rows_read_as_sentences_like_the_report() -> None:
    markdown = (
        "## Participants\n\n"
        "| **Territoire** | Journée | Attentes |\n"
        "|:---|:---:|---|\n"
        "| *Hautes-Saulaies* | 1 | Voir clair sur l'eau |\n"
        "| Pays de Brumeval | 1 | Débloquer le PAT \\| vite |\n"
        "| | | |\n"
        "| Frênebourg-les-Ondes | 1 | |\n"
    )
    doc = parse_markdown("n.md", markdown, "n")
    assert doc.tables == 1
    assert [(block.section, block.text, block.territory, block.session) for block in doc.blocks] == [
        (
            "Participants",
            "Territoire : Hautes-Saulaies. Journée : 1. Attentes : Voir clair sur l'eau.",
            "Hautes-Saulaies",
            1,
        ),
        (
            "Participants",
            "Territoire : Pays de Brumeval. Journée : 1. Attentes : Débloquer le PAT | vite.",
            "Pays de Brumeval",
            1,
        ),
        ("Participants", "Territoire : Frênebourg-les-Ondes. Journée : 1.", "Frênebourg-les-Ondes", 1),
    ]
    assert doc.blocks[0].cells == (
        ("Territoire", "Hautes-Saulaies"),
        ("Journée", "1"),
        ("Attentes", "Voir clair sur l'eau"),
    )


def test_fenced_blocks_keep_their_lines_and_indented_text_reads_as_a_paragraph() -> None:
    markdown = (
        "```text\nGrange des Trois-Ormeaux\n\n12 route des **Saules**\n```\n\n"
        "    texte   en retrait\n    suite\n"
    )
    assert texts(markdown) == [
        "Grange des Trois-Ormeaux",
        "12 route des **Saules**",  # what is inside a code block is the author's literal text
        "texte en retrait suite",
    ]


def test_french_punctuation_and_spaces_are_kept() -> None:
    markdown = "**Pourquoi ?** Parce que « *ça marche* » : 50 % des élus ; l'_autre_ moitié… non !"
    assert texts(markdown) == ["Pourquoi ? Parce que « ça marche » : 50 % des élus ; l'autre moitié… non !"]


@pytest.mark.parametrize("path", SAMPLE_NOTES, ids=lambda path: path.name)
def test_sample_notes_passages_hold_no_markdown(path: Path) -> None:
    from ingest.chunking import chunk_document

    doc = load_markdown(path)
    chunks = chunk_document(doc, "doc")
    assert [chunk.section for chunk in chunks] == [
        "",
        "Déroulé",
        "Ce que les territoires attendaient",
        "Leviers évoqués",
        "Difficultés",
        "Suites",
    ]
    assert "*" not in doc.title and "#" not in doc.title
    for chunk in chunks:
        for syntax in ("**", "__", "#", "`", "](", "<!--", "\n>", "*"):
            assert syntax not in chunk.text, (syntax, chunk.text)
        assert not chunk.text.startswith((">", "* ", "+ "))


EXPECTED_TERRITORIES = {
    "journee-1.md": ["Hautes-Saulaies", "Pays de Brumeval", "Frênebourg-les-Ondes"],
    "journee-2.md": ["Sauvelière", "Val-d'Orbelune", "Monts Cendrés"],
    "journee-3.md": ["Port-Aiglantine", "Coteaux de Marjolaine", "Landes d'Ambrecourt"],
    "journee-4.md": ["Lumerive", "Roc-Tilleul", "Vallée des Pâquerettes"],
}


@pytest.mark.parametrize("path", SAMPLE_NOTES, ids=lambda path: path.name)
def test_sample_notes_expectations_are_one_clean_line_per_territory(path: Path) -> None:
    doc = load_markdown(path)
    lines = [block.text for block in doc.blocks if block.section == "Ce que les territoires attendaient"]
    assert [line.split(" : ")[0] for line in lines] == [
        f"- {name}" for name in EXPECTED_TERRITORIES[path.name]
    ]


def test_a_sample_notes_passage_reads_as_before_without_its_marks() -> None:
    doc = load_markdown(SAMPLE_NOTES[0])
    texts_of = {block.text for block in doc.blocks}
    assert (
        "- Frênebourg-les-Ondes : disposer d'outils simples, utilisables par une équipe de cinq agents "
        "sans chargé de mission."
    ) in texts_of
    assert (
        "Notes de séance fictives, prises par l'équipe d'animation. Tous les noms sont inventés." in texts_of
    )
    assert any("le « café des services », un petit-déjeuner mensuel" in text for text in texts_of)
