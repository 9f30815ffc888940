"""Pure formatters of the « Leviers » tab (ui/levers_view.py)."""

from __future__ import annotations

from pathlib import Path

from assistant.levers import DIFFICULTY, LEVER, LeverEntry, LeverSource
from ui.exchange import process_exchange
from ui.levers_view import (
    ALL,
    EMPTY,
    NO_MATCH,
    chosen,
    day_choices,
    days_text,
    entry_key,
    entry_markdown,
    levers_markdown,
    question_about,
    territory_choices,
)

VAL = "Communauté d'agglomération du Val-d'Orbelune"
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
        LeverSource("bilan.pdf", "4", "2.2 Journée 2", "le budget participatif, qui donne", 2),
        LeverSource("journee-3.md", "", "Leviers", "budget participatif", 3, "notes"),
    ),
)
DELAYS = LeverEntry(
    DIFFICULTY,
    "délais <b>administratifs</b>",
    (2,),
    (),
    (LeverSource("x.md", "", "", "*délais* [lien](http://x)"),),
)


def test_days_text() -> None:
    assert days_text((2,)) == "Journée 2"
    assert days_text((2, 3)) == "Journées 2, 3"
    assert days_text(()) == ""


def test_entry_markdown() -> None:
    text = entry_markdown(BUDGET)
    assert text.splitlines()[0] == "**Levier — Budget participatif**  "
    assert "Journées 2, 3" in text
    assert "- bilan.pdf, p. 4 : « le budget participatif, qui donne »" in text
    assert text.splitlines()[-1] == "- journee\\-3.md"  # the words are the name itself: not repeated
    box = entry_markdown(BOX)
    assert "Journée 2 · Communauté d'agglomération du Val\\-d'Orbelune" in box


def test_document_text_is_escaped() -> None:
    text = entry_markdown(DELAYS)
    assert "<b>" not in text and "&lt;b&gt;" in text
    assert "](" not in text and "\\*délais\\*" in text


def test_levers_markdown_counts_and_messages() -> None:
    text = levers_markdown([BOX, BUDGET, DELAYS], 3)
    assert text.startswith("*2 leviers, 1 difficulté*")
    assert text.count("**Levier —") == 2
    assert levers_markdown([], 0) == EMPTY
    assert levers_markdown([], 3) == NO_MATCH


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


def test_tab_asks_about_the_chosen_lever_or_nothing(tmp_path: Path) -> None:
    """The button's question for the chosen lever, or none (the chat then shows a French
    notice and sends nothing: the browser tests check it)."""
    import gradio as gr

    from assistant.engine import Engine
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
    assert tab.load()[0].startswith("*2 leviers, 1 difficulté*")
