"""The « Leviers » tab: the registry of levers and difficulties, folded by kind and day,
searchable, filtered by day, territory and kind, and a button that asks the chat about one."""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.engine import Engine
from ui.chat_tab import ChatTab
from ui.inputs import MAX_SEARCH_CHARS, choice, refused
from ui.levers_view import (
    ALL,
    KIND_CHOICES,
    NOTHING_CHOSEN,
    chosen,
    chosen_day,
    day_choices,
    day_themes,
    entry_key,
    levers_markdown,
    narrowed,
    question_about,
    territory_choices,
)


class LeversTab:
    """Built inside ``with gr.Tab("Leviers", id="leviers")``; ``load`` fills it."""

    def __init__(self, engine: Engine, chat: ChatTab) -> None:
        self.engine = engine
        gr.Markdown(
            "Les leviers et les difficultés nommés par les documents, chacun une fois avec ses "
            "sources, rangés par journée ; une recherche ouvre les groupes qui correspondent."
        )
        with gr.Row():
            self.query = gr.Textbox(
                label="Rechercher un levier",
                scale=3,
                elem_id="leviers-recherche",
                max_length=MAX_SEARCH_CHARS,
            )
            self.day = choice([ALL], value=ALL, label="Journée", scale=1)
            self.territory = choice([ALL], value=ALL, label="Territoire", scale=2)
            self.kind = choice(list(KIND_CHOICES), value=ALL, label="Type", scale=1)
        with gr.Row():
            self.lever = choice([], label="Levier", scale=3, elem_id="levier-choisi")
            ask = gr.Button("Poser une question sur ce levier", size="sm", scale=1)
        self.listing = gr.Markdown(elem_id="leviers")
        menus = [self.query, self.day, self.territory, self.kind]
        for menu in menus:  # the list follows every keystroke and menu choice
            menu.change(self.show, menus, [self.listing, self.lever], api_visibility="private")
        chat.send_on(ask, self.question_of, self.lever, NOTHING_CHOSEN)

    def show(self, query: Any, day: Any, territory: Any, kind: Any) -> tuple[str, Any]:
        """The list for the search and the menus; a value no menu offers (a script may send
        any JSON value) is refused in French, with no traceback."""
        if query is not None and not isinstance(query, str):
            raise refused("Recherche invalide : tapez quelques mots.")
        if len(query or "") > MAX_SEARCH_CHARS:  # the box stops there; a script may not
            raise refused(f"Recherche trop longue ({MAX_SEARCH_CHARS} caractères au plus).")
        entries = self.engine.levers()
        menus = {
            "Journée": (day, day_choices(entries)),
            "Territoire": (territory, territory_choices(entries)),
            "Type": (kind, list(KIND_CHOICES)),
        }
        for label, (value, offered) in menus.items():
            if value not in (None, "") and (not isinstance(value, str) or value not in offered):
                raise refused(f"Choix inconnu dans le menu « {label} » : choisissez une valeur de la liste.")
        shown = chosen(entries, query, day, territory, kind)
        keys = [entry_key(entry) for entry in shown]
        opened = narrowed(query, day, territory)
        text = levers_markdown(shown, len(entries), opened, chosen_day(day), day_themes(entries))
        return text, gr.Dropdown(choices=keys, value=None)

    def load(self) -> tuple[Any, ...]:
        """The whole list and the menus' choices (called when the page loads)."""
        entries = self.engine.levers()
        return (
            levers_markdown(entries, len(entries)),
            gr.Dropdown(choices=day_choices(entries), value=ALL),
            gr.Dropdown(choices=territory_choices(entries), value=ALL),
            gr.Dropdown(choices=[entry_key(entry) for entry in entries], value=None),
        )

    @property
    def load_outputs(self) -> list[Any]:
        return [self.listing, self.day, self.territory, self.lever]

    def question_of(self, key: str | None) -> str:
        """The question about the chosen lever, or nothing when none is chosen."""
        entry = next((entry for entry in self.engine.levers() if entry_key(entry) == key), None)
        return question_about(entry) if entry is not None else ""
