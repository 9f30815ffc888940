"""Pure formatters of the « Leviers » tab (ui/levers_view.py): groups folded by kind and
day with their counts, one entry per lever with every citation, menus and the question."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.engine import Engine
from assistant.levers import DIFFICULTY, LEVER, LeverEntry, LeverSource
from ui.exchange import process_exchange
from ui.levers_view import (
    ALL,
    EMPTY,
    FOLDED_HINT,
    NO_MATCH,
    LeverGroup,
    chosen,
    day_choices,
    day_themes,
    days_text,
    entry_key,
    entry_markdown,
    group_levers,
    group_title,
    levers_markdown,
    narrowed,
    question_about,
    territory_choices,
)

VAL = "Communauté d'agglomération du Val-d'Orbelune"
DAY_2 = "2. Déroulé > 2.2 Journée 2 — Associer les habitants aux décisions"
BOX = LeverEntry(
    LEVER,
    "boîte à idées itinérante",
    (2,),
    (VAL,),
    (
        LeverSource(
            "journee-2.md", "", "Leviers évoqués", "Un levier : la boîte à idées itinérante.", 2, "notes"
        ),
    ),
)
BUDGET = LeverEntry(
    LEVER,
    "budget participatif",
    (2, 3),
    (),
    (
        LeverSource("bilan.pdf", "4", DAY_2, "le budget participatif, qui donne", 2),
        LeverSource("journee-3.md", "", "Leviers", "budget participatif", 3, "notes"),
    ),
)
DELAYS = LeverEntry(
    DIFFICULTY,
    "délais <b>administratifs</b>",
    (2,),
    (),
    (LeverSource("x.md", "", "Journée 2 — <b>Thème</b>", "*délais* [lien](http://x)", 2, "notes"),),
)
# A group's summary and the items it folds: « … (4)</summary> … </details> ».
GROUP = re.compile(
    r"<details class=\"leviers-groupe\"( open)?><summary>([^<]*)</summary>(.*?)</details>", re.S
)


def groups_of(markdown: str) -> list[tuple[bool, str, list[str]]]:
    """Each group of the Markdown: open or not, its summary, its items (top-level lines)."""
    found = []
    for opened, summary, body in GROUP.findall(markdown):
        found.append((bool(opened), summary, [line for line in body.splitlines() if line.startswith("- ")]))
    return found


def test_days_text() -> None:
    assert days_text((2,)) == "Journée 2"
    assert days_text((2, 3)) == "Journées 2, 3"
    assert days_text(()) == ""


def test_entry_markdown_is_one_item_with_one_citation_a_line() -> None:
    lines = entry_markdown(BUDGET, 2).splitlines()
    assert lines == [
        "- **Budget participatif** · Journées 2, 3",  # more days than its group's: said
        "  - Bilan — bilan.pdf, p. 4 : « le budget participatif, qui donne »",
        "  - Notes de séance — journee\\-3.md",  # the words are the name itself: not repeated
    ]
    box = entry_markdown(BOX, 2).splitlines()[0]  # its group's day only: not repeated
    assert (
        box == "- **Boîte à idées itinérante** · territoire : Communauté d'agglomération du Val\\-d'Orbelune"
    )
    assert entry_markdown(BOX).splitlines()[0].startswith("- **Boîte à idées itinérante** · Journée 2 · ")


def test_document_text_is_escaped() -> None:
    text = levers_markdown([DELAYS], 1)
    assert "<b>" not in text and "&lt;b&gt;administratifs" in text
    assert "](" not in text and "\\*délais\\*" in text
    # the summary is HTML: the theme from the document is escaped as HTML there
    assert "<summary>Difficultés — journée 2 · &lt;b&gt;Thème&lt;/b&gt; (1)</summary>" in text


def test_groups_by_kind_then_day() -> None:
    groups = group_levers([DELAYS, BUDGET, BOX])
    assert groups == [
        LeverGroup(LEVER, 2, (BUDGET, BOX)),
        LeverGroup(DIFFICULTY, 2, (DELAYS,)),
    ]
    # an entry of several days sits under the day asked (the « Journée » menu), else its first
    assert group_levers([BUDGET], day=3) == [LeverGroup(LEVER, 3, (BUDGET,))]
    nameless = LeverEntry(LEVER, "sans date", (), (), ())
    assert [g.day for g in group_levers([nameless, BOX])] == [2, None]
    themes = day_themes([BUDGET, BOX])
    assert themes == {2: "Associer les habitants aux décisions"}
    assert group_title(groups[0], themes) == "Leviers — journée 2 · Associer les habitants aux décisions (2)"
    assert group_title(LeverGroup(LEVER, None, (nameless,)), themes) == "Leviers — sans journée (1)"


def test_levers_markdown_folds_groups_with_their_counts() -> None:
    text = levers_markdown([BOX, BUDGET, DELAYS], 3)
    assert text.startswith(f"*2 leviers, 1 difficulté* · {FOLDED_HINT}")
    groups = groups_of(text)
    assert [(opened, summary) for opened, summary, _ in groups] == [
        (False, "Leviers — journée 2 · Associer les habitants aux décisions (2)"),
        (False, "Difficultés — journée 2 · Associer les habitants aux décisions (1)"),  # the report's
    ]
    assert [len(items) for _, _, items in groups] == [2, 1]  # the count is the items inside
    assert groups[0][2][0].startswith("- **Boîte à idées itinérante**")  # in the registry's order
    assert levers_markdown([], 0) == EMPTY
    assert levers_markdown([], 3) == NO_MATCH


def test_a_search_opens_the_groups_it_finds() -> None:
    text = levers_markdown([BOX], 3, opened=True)
    assert text.startswith("*1 levier, 0 difficulté*\n\n") and FOLDED_HINT not in text
    assert [(opened, len(items)) for opened, _, items in groups_of(text)] == [(True, 1)]
    assert narrowed("boîte", ALL, ALL) and narrowed("", "2", ALL) and narrowed(None, ALL, VAL)
    assert not narrowed("", ALL, ALL) and not narrowed("  ", None, "")


def test_summaries_hold_text_only() -> None:
    """Nothing interactive in a summary (axe's nested-interactive), no heading either."""
    text = levers_markdown([BOX, BUDGET, DELAYS], 3)
    for _, summary, _ in groups_of(text):
        assert "<" not in summary and "[" not in summary
    assert not re.search(r"^#", text, re.M) and "<h" not in text


def test_menus_and_filters() -> None:
    entries = [BOX, BUDGET, DELAYS]
    assert day_choices(entries) == [ALL, "2", "3"]
    assert territory_choices(entries) == [ALL, VAL]
    assert chosen(entries, "", ALL, ALL, ALL) == entries
    assert chosen(entries, "", "3", ALL, ALL) == [BUDGET]
    assert chosen(entries, "", ALL, VAL, ALL) == [BOX]
    assert chosen(entries, "", ALL, ALL, "Difficultés") == [DELAYS]
    assert chosen(entries, "Boite", ALL, ALL, "Leviers") == [BOX]
    assert chosen(entries, "boîte", ALL, ALL, "Difficultés") == []


def test_question_and_key() -> None:
    assert entry_key(BOX) == "Levier — Boîte à idées itinérante"
    assert question_about(BOX) == (
        "Qu'ont dit les documents du levier « Boîte à idées itinérante » lors de la journée 2 ?"
    )
    assert question_about(BUDGET).endswith("lors des journées 2, 3 ?")
    assert "difficulté" in question_about(DELAYS)


def test_the_sample_folded_by_kind_and_day(sample_engine: Engine) -> None:
    """On the indexed sample: eight folded groups whose counts add up to the registry, and
    the report's difficulty and its twin in the notes as one item citing both."""
    entries = sample_engine.levers()
    groups = groups_of(levers_markdown(entries, len(entries)))
    assert [summary for _, summary, _ in groups] == [
        "Leviers — journée 1 · Cartographier le système d'acteurs (5)",
        "Leviers — journée 2 · Associer les habitants aux décisions (5)",
        "Leviers — journée 3 · Faire coopérer acteurs économiques et associatifs (5)",
        "Leviers — journée 4 · Évaluer et faire durer la dynamique (5)",
        "Difficultés — journée 1 · Cartographier le système d'acteurs (4)",
        "Difficultés — journée 2 · Associer les habitants aux décisions (5)",
        "Difficultés — journée 3 · Faire coopérer acteurs économiques et associatifs (4)",
        "Difficultés — journée 4 · Évaluer et faire durer la dynamique (4)",
    ]
    assert all(not opened for opened, _, _ in groups)
    for _, summary, items in groups:
        assert summary.endswith(f"({len(items)})")
    assert sum(len(items) for _, _, items in groups) == len(entries)
    text = levers_markdown(entries, len(entries))
    assert text.count("Peur de montrer aux élus une carte") == 1
    assert "Crainte de présenter" not in text  # no entry of its own
    fear = text.split("- **Peur de montrer aux élus une carte**")[1].split("\n- ")[0]
    assert "territoire : Pays de Brumeval" in fear
    assert "  - Bilan — bilan\\-exemple.pdf, p. 3 : « la peur de montrer aux élus une carte" in fear
    assert "  - Notes de séance — journee\\-1.md : « Le Pays de Brumeval a aussi évoqué la crainte" in fear
    keys = [entry_key(entry) for entry in entries]
    assert len(keys) == len(set(keys))


def test_tab_asks_about_the_chosen_lever_or_nothing(tmp_path: Path) -> None:
    """The button's question for the chosen lever, or none (the chat then shows a French
    notice and sends nothing: the browser tests check it)."""
    import gradio as gr

    from assistant.settings import Settings
    from ui.chat_tab import ChatTab
    from ui.levers_tab import LeversTab

    class Registry(Engine):
        def levers(self) -> list[LeverEntry]:
            return [BOX, BUDGET, DELAYS]

    engine = Registry(Settings(store=tmp_path / "store", _env_file=None))
    with gr.Blocks(), gr.Tabs() as tabs:
        with gr.Tab("Discuter", id="discuter"):
            chat = ChatTab(engine, tabs, process_exchange())
        with gr.Tab("Leviers", id="leviers"):
            tab = LeversTab(engine, chat)
    assert tab.question_of(entry_key(BOX)) == question_about(BOX)
    assert tab.question_of(None) == "" and tab.question_of("inconnu") == ""
    listing, _ = tab.show("boite", ALL, ALL, "Leviers")
    assert "Boîte à idées itinérante" in listing and "Budget" not in listing
    assert [(opened, summary) for opened, summary, _ in groups_of(listing)] == [
        (True, "Leviers — journée 2 · Associer les habitants aux décisions (1)")  # the theme of all
    ]
    listing, _ = tab.show("", "3", ALL, ALL)  # the day asked: the group of day 3, open
    assert [summary for _, summary, _ in groups_of(listing)] == ["Leviers — journée 3 (1)"]
    loaded = tab.load()[0]
    assert loaded.startswith("*2 leviers, 1 difficulté*")
    assert [opened for opened, _, _ in groups_of(loaded)] == [False, False]
