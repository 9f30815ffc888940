"""The levers registry (assistant/levers.py): merging, territories, filters, and the
engine's list on the indexed sample."""

from __future__ import annotations

from assistant.engine import Engine
from assistant.levers import LeverEntry, build_registry, filter_levers, known_territories
from vectorstore.records import DIFFICULTY, LEVER, Chunk, LeverMention


def chunk(doc: str, items: list[LeverMention], session: int | None = None, **fields: object) -> Chunk:
    kind = "bilan" if doc.endswith(".pdf") else "notes"
    return Chunk(text=" ".join(i.text for i in items), doc_id=doc, source=doc, kind=kind, session=session,
                 levers=tuple(items), **fields)  # type: ignore[arg-type]  # fmt: skip


REPORT = chunk(
    "bilan.pdf",
    [
        LeverMention(LEVER, "budget participatif", "le budget participatif, qui donne", 4),
        LeverMention(LEVER, "tirage au sort", "le tirage au sort pour diversifier les profils", 4),
        LeverMention(LEVER, "démarche d'« aller vers »", "la démarche d'« aller vers » avec des permanences "
                     "sur le marché du samedi", 4),
        LeverMention(DIFFICULTY, "délais administratifs incompatibles", "des délais administratifs "
                     "incompatibles avec le rythme de la participation", 4),
    ],
    session=2,
    section="2. Déroulé > 2.2 Journée 2",
    page_start=4,
)  # fmt: skip
NOTES = chunk(
    "journee-2.md",
    [
        LeverMention(LEVER, "budget participatif", "Le budget participatif a été le levier le plus discuté."),
        LeverMention(LEVER, "tirage au sort", "Le tirage au sort et les permanences sur le marché du samedi "
                     "ont aussi été retenus."),
        LeverMention(LEVER, "permanences sur le marché du samedi", "Le tirage au sort et les permanences sur "
                     "le marché du samedi ont aussi été retenus."),
        LeverMention(LEVER, "boîte à idées itinérante", "Un levier : la boîte à idées itinérante, "
                     "proposée par le Val-d'Orbelune."),
        LeverMention(DIFFICULTY, "délais administratifs", "Les délais administratifs ont été jugés."),
    ],
    session=2,
    section="Leviers évoqués",
    extra=(("territoires", "Commune de Sauvelière, Communauté d'agglomération du Val-d'Orbelune"),),
)  # fmt: skip
LATER = chunk(
    "journee-3.md",
    [LeverMention(LEVER, "tirage au sort des habitants", "Le tirage au sort des habitants a été retenu.")],
    session=3,
    section="Leviers",
)
TERRITORIES = known_territories([REPORT, NOTES, LATER], ["Commune de Sauvelière"])


def registry() -> list[LeverEntry]:
    return build_registry([NOTES, LATER, REPORT], TERRITORIES)


def by_name(entries: list[LeverEntry], name: str) -> LeverEntry:
    (entry,) = [entry for entry in entries if entry.name == name]
    return entry


def test_known_territories_from_tables_and_front_matter() -> None:
    assert TERRITORIES == ["Commune de Sauvelière", "Communauté d'agglomération du Val-d'Orbelune"]


def test_same_lever_in_report_and_notes_is_listed_once() -> None:
    entries = registry()
    assert [(e.kind, e.name) for e in entries] == [
        (LEVER, "budget participatif"),
        (LEVER, "tirage au sort"),
        (LEVER, "démarche d'« aller vers »"),
        (LEVER, "boîte à idées itinérante"),
        (DIFFICULTY, "délais administratifs"),
    ]
    budget = by_name(entries, "budget participatif")
    assert [(s.source, s.page) for s in budget.sources] == [("bilan.pdf", "4"), ("journee-2.md", "")]
    # the notes' permanences join the report's « aller vers » (its text names them), not the tirage
    outreach = by_name(entries, "démarche d'« aller vers »")
    assert [s.source for s in outreach.sources] == ["bilan.pdf", "journee-2.md"]
    # the same lever on another day: one entry, both days
    assert by_name(entries, "tirage au sort").days == (2, 3)
    assert len(by_name(entries, "tirage au sort").sources) == 3


def test_two_levers_of_one_sentence_stay_apart() -> None:
    """Both named by the same notes sentence: never merged with each other."""
    entries = build_registry([NOTES])
    assert {"tirage au sort", "permanences sur le marché du samedi"} <= {e.name for e in entries}


def test_different_kinds_never_merge() -> None:
    items = [LeverMention(LEVER, "délais administratifs", "Les délais administratifs courts.")]
    entries = build_registry([REPORT, chunk("x.md", items, session=2)])
    found = {(e.kind, e.name) for e in entries}
    assert {(LEVER, "délais administratifs"), (DIFFICULTY, "délais administratifs incompatibles")} <= found


def test_the_same_difficulty_in_near_words_is_one_entry_citing_both() -> None:
    """Names and sentences near-duplicates (the rule of chat listings): merged; names alike
    but sentences apart (« crainte de certains élus de perdre la main »): not merged."""
    report = chunk(
        "bilan.pdf",
        [
            LeverMention(DIFFICULTY, "peur de montrer aux élus une carte",
                         "la peur de montrer aux élus une carte qui révèle des conflits", 3),
            LeverMention(DIFFICULTY, "crainte de certains élus de perdre la main",
                         "la crainte de certains élus de perdre la main sur la décision", 4),
        ],
        session=1,
    )  # fmt: skip
    notes = chunk(
        "journee-1.md",
        [LeverMention(DIFFICULTY, "crainte de présenter aux élus une carte", "Le Pays de Brumeval a "
                      "aussi évoqué la crainte de présenter aux élus une carte qui montre les conflits.")],
        session=1,
    )  # fmt: skip
    entries = build_registry([notes, report], ["Pays de Brumeval"])
    assert [e.name for e in entries] == [
        "peur de montrer aux élus une carte",
        "crainte de certains élus de perdre la main",
    ]
    fear = entries[0]
    assert [(s.source, s.page) for s in fear.sources] == [("bilan.pdf", "3"), ("journee-1.md", "")]
    assert fear.territories == ("Pays de Brumeval",)
    assert [s.source for s in entries[1].sources] == ["bilan.pdf"]


def test_one_document_naming_a_lever_twice_gives_one_entry() -> None:
    """The « Levier » menu names an entry by its kind and name: each is there once."""
    items = [LeverMention(LEVER, "carnet de bord", "Le carnet de bord."),
             LeverMention(LEVER, "Carnet de bord", "Un carnet de bord, encore.")]  # fmt: skip
    entries = build_registry(
        [chunk("bilan.pdf", items[:1], session=3), chunk("bilan.pdf", items[1:], session=4)]
    )
    assert [(e.name, e.days, len(e.sources)) for e in entries] == [("carnet de bord", (3, 4), 2)]


def test_territories_from_the_sentence() -> None:
    entries = registry()
    assert by_name(entries, "boîte à idées itinérante").territories == (
        "Communauté d'agglomération du Val-d'Orbelune",
    )
    assert by_name(entries, "budget participatif").territories == ()


def test_filters() -> None:
    entries = registry()
    assert [e.name for e in filter_levers(entries, "BOITE a idees")] == ["boîte à idées itinérante"]
    assert [e.name for e in filter_levers(entries, "orbelune")] == ["boîte à idées itinérante"]
    assert [e.name for e in filter_levers(entries, "samedi")] == [
        "tirage au sort",
        "démarche d'« aller vers »",
    ]
    assert [e.name for e in filter_levers(entries, kind=DIFFICULTY)] == ["délais administratifs"]
    assert [e.name for e in filter_levers(entries, day=3)] == ["tirage au sort"]
    assert filter_levers(entries, day=1) == []
    val = "Communauté d'agglomération du Val-d'Orbelune"
    assert [e.name for e in filter_levers(entries, territory=val)] == ["boîte à idées itinérante"]
    assert filter_levers(entries, "budget", kind=DIFFICULTY) == []
    assert filter_levers(entries) == entries
    # A plural finds its singular: « idées itinérantes » finds the « boîte à idées itinérante ».
    assert [e.name for e in filter_levers(entries, "itinerantes")] == ["boîte à idées itinérante"]
    assert filter_levers(entries, "itinerantesx") == []


def test_sample_registry(sample_engine: Engine) -> None:
    """On the indexed sample: each lever once, with its days, territories and citations."""
    entries = sample_engine.levers()
    box = [e for e in entries if e.name == "boîte à idées itinérante"]
    assert len(box) == 1
    assert box[0].kind == LEVER
    assert box[0].days == (2,)
    assert box[0].territories == ("Communauté d'agglomération du Val-d'Orbelune",)
    assert [s.source for s in box[0].sources] == ["journee-2.md"]
    budget = [e for e in entries if "budget participatif" in e.name]
    assert len(budget) == 1
    assert {s.source for s in budget[0].sources} == {"bilan-exemple.pdf", "journee-2.md"}
    assert ("bilan-exemple.pdf", "4") in [(s.source, s.page) for s in budget[0].sources]
    names = [e.name for e in entries]
    assert len(names) == len(set(names))
    assert {e.days for e in entries} == {(1,), (2,), (3,), (4,)}
    assert sum(e.kind == LEVER for e in entries) >= 16
    assert sum(e.kind == DIFFICULTY for e in entries) >= 12
    # the report's difficulty and its twin in the notes, in other words: one entry, both cited
    fear = [e for e in entries if "élus une carte" in e.name]
    assert [e.name for e in fear] == ["peur de montrer aux élus une carte"]
    assert [(s.source, s.page) for s in fear[0].sources] == [("bilan-exemple.pdf", "3"), ("journee-1.md", "")]
    assert "crainte de présenter aux élus une carte" in fear[0].sources[1].text
    assert fear[0].territories == ("Pays de Brumeval",)
    assert "crainte de certains élus de perdre la main" in names  # alike, yet another difficulty
    levers = [e.name for e in filter_levers(entries, kind=LEVER, day=4)]
    assert "lettre au successeur" in levers and "carnet de bord" in levers
