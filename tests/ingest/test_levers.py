"""Levers and difficulties found at ingestion (ingest/levers.py): headings, run-in labels,
list items, enumerations and sentences, on the sample corpus and on other phrasings."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import chunk_document, load_document
from ingest.document import Block, ParsedDocument
from ingest.levers import MIXED, attach_levers, find_levers, heading_kind
from vectorstore.records import DIFFICULTY, LEVER, Chunk

SAMPLE = Path(__file__).resolve().parents[2] / "sample"


def names(blocks: list[Block], kind: str | None = None) -> list[str]:
    return [item.name for _, item in find_levers(blocks) if kind is None or item.kind == kind]


def block(text: str, section: str = "Leviers", page: int | None = None) -> Block:
    return Block(text, page, section)


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Leviers", LEVER),
        ("Leviers évoqués", LEVER),
        ("2.3 Leviers identifiés", LEVER),
        ("Les principaux leviers", LEVER),
        ("Ce qui a marché", LEVER),
        ("Ce qui a fonctionné", LEVER),
        ("Pistes", LEVER),
        ("Pistes d'action", LEVER),
        ("Facteurs de réussite", LEVER),
        ("Bonnes pratiques", LEVER),
        ("Journée 2 : leviers", LEVER),
        ("Difficultés", DIFFICULTY),
        ("Les difficultés rencontrées", DIFFICULTY),
        ("Freins", DIFFICULTY),
        ("Obstacles rencontrés", DIFFICULTY),
        ("Points de blocage", DIFFICULTY),
        ("Ce qui a moins bien marché", DIFFICULTY),
        ("Ce qui n'a pas fonctionné", DIFFICULTY),
        ("Écueils", DIFFICULTY),
        ("Freins et leviers", MIXED),
        ("Déroulé", None),
        ("Suites", None),
        ("Ce que les territoires attendaient", None),
        ("3.3 Limites du dispositif", None),
        ("4.3 Points de vigilance", None),
        ("Le levier de la commande publique", None),
        ("Les fiches-leviers", None),
        ("Budget", None),
    ],
)
def test_heading_kind(heading: str, kind: str | None) -> None:
    assert heading_kind(heading) == kind


def test_sample_notes_day_2_exact() -> None:
    doc = load_document(SAMPLE / "notes" / "journee-2.md")
    found = find_levers(doc.blocks)
    levers = [(item.name, item.text) for _, item in found if item.kind == LEVER]
    assert [name for name, _ in levers] == [
        "budget participatif",
        "tirage au sort",
        "permanences sur le marché du samedi",
        "boîte à idées itinérante",
    ]
    assert levers[0][1].startswith("Le budget participatif a été le levier le plus discuté")
    assert (
        levers[1][1]
        == levers[2][1]
        == ("Le tirage au sort et les permanences sur le marché du samedi ont aussi été retenus.")
    )
    difficulties = [item.name for _, item in found if item.kind == DIFFICULTY]
    assert difficulties[0] == "méfiance des habitants déjà consultés"
    assert difficulties[-1] == "délais administratifs"
    assert all(block.section in ("Leviers évoqués", "Difficultés") for block, _ in found)


@pytest.mark.parametrize(
    ("note", "levers", "difficulties"),
    [
        (
            "journee-1.md",
            ["café des services"],
            ["cloisonnement entre services", "crainte de présenter aux élus une carte",
             "cartographie commandée à un bureau d'études en 2023"],
        ),
        (
            "journee-3.md",
            ["tiers-lieu", "table de coopération trimestrielle", "commande publique responsable",
             "contributions en nature", "troc d'ingénierie"],
            ["logique d'appel à projets", "délai de six mois"],
        ),
        (
            "journee-4.md",
            ["récit de transition", "revue entre pairs", "baromètre du bien-vivre", "carnet de bord",
             "lettre au successeur"],
            ["épuisement des équipes", "indicateurs imposés par les financeurs"],
        ),
    ],
)  # fmt: skip
def test_sample_notes(note: str, levers: list[str], difficulties: list[str]) -> None:
    blocks = list(load_document(SAMPLE / "notes" / note).blocks)
    assert names(blocks, LEVER) == levers
    assert names(blocks, DIFFICULTY) == difficulties


def test_testimonies_and_descriptions_are_not_levers() -> None:
    """A quoted testimony, a person's name and the sentences describing a lever named just
    before are not levers of their own."""
    found = names(list(load_document(SAMPLE / "notes" / "journee-1.md").blocks), LEVER)
    assert not any("Dorsenne" in name or "rendez-vous" in name for name in found)
    found = names(list(load_document(SAMPLE / "notes" / "journee-3.md").blocks), LEVER)
    assert "premier troc" not in found and not any("intercommunalité" in name for name in found)


def test_sample_report_run_in_labels() -> None:
    """« Leviers identifiés. Les participants ont retenu A ; B ; et C » in the report."""
    doc = load_document(SAMPLE / "bilan-exemple.pdf")
    found = find_levers(doc.blocks)
    day2 = [(item.kind, item.name, item.page) for block, item in found if "Journée 2" in block.section]
    assert (LEVER, "budget participatif", 4) in day2
    assert (LEVER, "tirage au sort", 4) in day2
    assert (DIFFICULTY, "délais administratifs incompatibles", 4) in day2
    assert len([kind for kind, _, _ in day2 if kind == LEVER]) == 4
    assert len([kind for kind, _, _ in day2 if kind == DIFFICULTY]) == 4
    texts = [item.text for _, item in found]
    assert "le tirage au sort pour diversifier les profils" in texts
    # no lever outside the day sections (« fiches-leviers », « Limites du dispositif »)
    assert all("Journée" in block.section for block, _ in found)
    assert len(found) == 31  # 4 levers a day; 4, 4, 3, 4 difficulties


def test_list_items_under_other_headings() -> None:
    blocks = [
        Block("Ce qui a marché", None, ""),
        block("- Un binôme élu-agent : il porte le projet dans la durée.", "Ce qui a marché"),
        block("- Les visites de terrain entre communes.", "Ce qui a marché"),
        block("* **Covoiturage solidaire** : lancé avec la MSA.", "Ce qui a marché"),
        block("1. Le manque de portage politique.", "Points de blocage"),
        block("2) Des financements trop courts", "Points de blocage"),
    ]
    found = [(item.kind, item.name) for _, item in find_levers(blocks)]
    assert found == [
        (LEVER, "binôme élu-agent"),
        (LEVER, "visites de terrain entre communes"),
        (LEVER, "Covoiturage solidaire"),
        (DIFFICULTY, "manque de portage politique"),
        (DIFFICULTY, "financements trop courts"),
    ]


def test_run_in_label_alone_over_a_list() -> None:
    blocks = [
        block("Freins :", "Synthèse"),
        block("- la rotation des agents", "Synthèse"),
        block("- l'absence de budget dédié", "Synthèse"),
        block("La journée s'est terminée par un pot.", "Synthèse"),
        block("- un point sans rapport", "Synthèse"),
    ]
    assert [(item.kind, item.name) for _, item in find_levers(blocks)] == [
        (DIFFICULTY, "rotation des agents"),
        (DIFFICULTY, "absence de budget dédié"),
    ]


@pytest.mark.parametrize(
    ("text", "section", "expected"),
    [
        (
            "Pistes retenues : la mutualisation des achats, un guichet unique et la formation des élus.",
            "Synthèse",
            [(LEVER, "mutualisation des achats"), (LEVER, "guichet unique"), (LEVER, "formation des élus")],
        ),
        (
            "Obstacles. Les équipes ont cité la complexité des appels à projets ; le manque d'ingénierie ; "
            "et l'isolement des petites communes.",
            "Bilan de la journée",
            [(DIFFICULTY, "complexité des appels à projets"), (DIFFICULTY, "manque d'ingénierie"),
             (DIFFICULTY, "isolement des petites communes")],
        ),
        (
            "La présence d'un élu référent a été décisive. Les participants soulignent aussi la "
            "qualité de l'accompagnement méthodologique.",
            "Ce qui a fonctionné",
            [(LEVER, "présence d'un élu référent"), (LEVER, "qualité de l'accompagnement méthodologique")],
        ),
        (
            "La règle du binôme entre un élu et un agent a favorisé une appropriation durable.",
            "Facteurs de réussite",
            [(LEVER, "règle du binôme entre un élu et un agent")],
        ),
        (
            "Le manque de temps revient dans tous les témoignages. La commune de Valbrune a évoqué "
            "la lourdeur des procédures.",
            "Freins rencontrés",
            [(DIFFICULTY, "manque de temps"), (DIFFICULTY, "lourdeur des procédures")],
        ),
        (
            "Un levier a été présenté par le syndicat : la tournée des fermes, organisée chaque printemps. "
            "Elle réunit une trentaine d'exploitants.",
            "Leviers",
            [(LEVER, "tournée des fermes")],
        ),
    ],
)  # fmt: skip
def test_other_phrasings(text: str, section: str, expected: list[tuple[str, str]]) -> None:
    assert [(item.kind, item.name) for _, item in find_levers([block(text, section)])] == expected


@pytest.mark.parametrize(
    ("text", "section"),
    [
        ("Le budget participatif a été voté en juin.", "Suites"),
        ("Les participants ont retenu le budget participatif ; le tirage au sort.", "Déroulé"),
        ("Les échanges ont permis de rédiger 31 fiches-leviers.", "3.1 Quelques chiffres"),
        ("Trois territoires n'ont pas engagé de suite, faute de temps.", "3.3 Limites du dispositif"),
        ("Sophie Martin a résumé la journée : « Nous repartons avec des idées. »", "Leviers"),
        ("Il s'agit d'une démarche longue.", "Leviers"),
        ("Les leviers sont nombreux et variés, comme on le verra plus loin dans le rapport.", "Introduction"),
    ],
)
def test_not_levers(text: str, section: str) -> None:
    assert find_levers([block(text, section)]) == []


def test_table_rows_and_footnotes_are_skipped() -> None:
    blocks = [
        Block(
            "Territoire : X. Leviers : le budget participatif.", 2, "Leviers", cells=(("Territoire", "X"),)
        ),
        Block("1 Le tirage au sort est prévu par la loi.", 2, "Leviers", note=True),
    ]
    assert find_levers(blocks) == []


def test_items_travel_with_their_chunk() -> None:
    """The items sit on the chunk holding their text, and survive the store's metadata."""
    doc = ParsedDocument(
        "notes.md",
        "notes",
        "Notes",
        (
            Block("La journée a commencé à 9 h.", None, "Déroulé"),
            Block("Le tirage au sort et les visites de terrain ont été retenus.", None, "Leviers"),
        ),
        session=2,
    )
    chunks = chunk_document(doc, "doc")
    holder = next(chunk for chunk in chunks if chunk.section == "Leviers")
    assert [item.name for item in holder.levers] == ["tirage au sort", "visites de terrain"]
    assert all(not chunk.levers for chunk in chunks if chunk is not holder)
    meta = holder.to_metadata()
    assert Chunk.from_metadata(holder.text, meta).levers == holder.levers
    assert "leviers" not in chunks[0].to_metadata()


def test_attach_without_items_leaves_chunks_alone() -> None:
    doc = ParsedDocument("a.md", "notes", "A", (Block("Rien à signaler.", None, "Déroulé"),))
    chunks = chunk_document(doc, "doc")
    assert attach_levers(chunks, doc) == chunks
