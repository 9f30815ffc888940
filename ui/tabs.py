"""The tabs beyond the chat: Territoires, Leviers, Découvrir, Questions sans réponse,
Documents. Each is filled when the page loads, from content the engine keeps ready."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.engine import Engine
from assistant.overview import SUGGESTED_QUESTIONS
from ui.chat_tab import ALL, ChatTab
from ui.views import (
    DOCUMENT_HEADERS,
    TERRITORY_HEADERS,
    UNANSWERED_HEADERS,
    document_table,
    format_timeline,
    format_topics,
    territory_sheet,
    territory_table,
    unanswered_csv,
    unanswered_table,
)


def territories_tab(engine: Engine, chat: ChatTab, tabs: gr.Tabs) -> tuple[gr.Dataframe, gr.Dropdown]:
    gr.Markdown("Les territoires des tableaux de participants : cliquez sur une ligne pour voir sa fiche.")
    table = gr.Dataframe(
        headers=TERRITORY_HEADERS, interactive=False, show_search="search", wrap=True, elem_id="territoires"
    )
    picked = gr.Dropdown([], label="Territoire", elem_id="territoire-choisi")
    ask = gr.Button("Poser une question sur ce territoire", size="sm")
    sheet = gr.Markdown(elem_id="fiche")

    def load() -> tuple[list[list[str]], Any]:
        return territory_rows(engine)

    def select(event: gr.SelectData) -> str:
        row = event.row_value
        return str(row[0]) if row else ""

    def sheet_of(territory: str) -> str:
        return territory_sheet(territory, engine.territory_passages(territory)) if territory else ""

    def ask_about(territory: str) -> tuple[str, Any]:
        if not territory:
            raise gr.Error("Choisissez d'abord un territoire.")
        return f"Qu'attendait le territoire {territory} et quelles suites ont été données ?", gr.Tabs(
            selected="discuter"
        )

    tabs.select(load, None, [table, picked], api_visibility="private")  # fresh after an ingest
    table.select(select, None, picked, api_visibility="private")
    picked.change(sheet_of, picked, sheet, api_name="territory_sheet")
    ask.click(ask_about, picked, [chat.question, tabs], api_visibility="private")
    return table, picked


def territory_rows(engine: Engine) -> tuple[list[list[str]], Any]:
    rows = territory_table(engine.territories())
    return rows, gr.Dropdown(choices=sorted({row[0] for row in rows}))


def levers_tab(engine: Engine) -> gr.Markdown:
    gr.Markdown("Les leviers et les difficultés de chaque journée, tirés des documents, avec leurs sources.")
    return gr.Markdown(elem_id="leviers")


def discover_tab(engine: Engine, chat: ChatTab) -> tuple[gr.Markdown, gr.Markdown, gr.Markdown]:
    gr.Markdown("Pour démarrer : les quatre journées, le bilan en quelques cartes, les notions clés.")
    with gr.Accordion("Les journées", open=True):
        timeline = gr.Markdown(elem_id="frise")
    with gr.Accordion("Visite guidée du bilan", open=False):
        tour = gr.Markdown(elem_id="visite")
    with gr.Accordion("Glossaire", open=False):
        glossary = gr.Markdown(elem_id="glossaire")
    gr.Examples(list(SUGGESTED_QUESTIONS), inputs=chat.question, label="Questions suggérées")
    return timeline, tour, glossary


def overview_texts(engine: Engine) -> tuple[str, str, str, str]:
    """Levers, timeline, tour and glossary, rendered (the engine keeps them precomputed)."""
    overview = engine.overview()
    return (
        format_topics(overview.levers, "Aucun levier n'a été trouvé dans les documents indexés."),
        format_timeline(overview.timeline),
        format_topics(overview.tour, "Le bilan n'est pas indexé."),
        format_topics(overview.glossary, "Aucune de ces notions n'est définie dans les documents."),
    )


def unanswered_tab(engine: Engine) -> gr.Dataframe:
    gr.Markdown(
        "Les questions auxquelles l'assistant n'a pas su répondre, à rapporter à la prochaine séance."
    )
    table = gr.Dataframe(headers=UNANSWERED_HEADERS, interactive=False, wrap=True, elem_id="sans-reponse")
    with gr.Row():
        refresh = gr.Button("Actualiser", size="sm")
        export = gr.Button("Exporter en CSV", size="sm")
    exported = gr.File(label="Export CSV", visible=False)

    def load() -> list[list[str]]:
        return unanswered_table(engine.unanswered())

    def to_csv() -> Any:
        path = Path(tempfile.mkdtemp(prefix="sans-reponse-")) / "questions-sans-reponse.csv"
        path.write_text(unanswered_csv(engine.unanswered()), encoding="utf-8")
        return gr.File(value=str(path), visible=True)

    refresh.click(load, None, table, api_name="unanswered")
    export.click(to_csv, None, exported, api_name="unanswered_csv")
    return table


def documents_tab(engine: Engine) -> gr.Dataframe:
    gr.Markdown("Les documents indexés.")
    return gr.Dataframe(headers=DOCUMENT_HEADERS, interactive=False, elem_id="documents")


def menu_choices(engine: Engine) -> tuple[Any, Any]:
    """The chat's document and territory menus, from what is indexed."""
    sources = [record.source for record in engine.documents()]
    territories = sorted({row.territory for row in engine.territories()})
    return gr.Dropdown(choices=[ALL, *sources]), gr.Dropdown(choices=[ALL, *territories])


def documents_rows(engine: Engine) -> list[list[str | int]]:
    return document_table(engine.documents())
