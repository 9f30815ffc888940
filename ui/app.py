"""The Gradio app: ``build_app(engine)`` and ``serve``.

Six tabs (Discuter, Territoires, Leviers, Découvrir, Questions sans réponse,
Documents) built by ``chat_tab`` and ``tabs``; their content is filled when the
page loads. Importing this module loads no model and touches no disk.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.engine import Engine
from assistant.users import Authenticator
from ui.chat_tab import ChatTab
from ui.formatting import format_status
from ui.tabs import (
    DocumentsTab,
    UnansweredTab,
    discover_tab,
    levers_tab,
    menu_choices,
    overview_texts,
    territories_tab,
    territory_rows,
)

TITLE = "Assistant du bilan des journées d'initiation"


def build_app(engine: Engine, users: Authenticator | None = None) -> gr.Blocks:
    """The app; with ``users`` (the app runs behind a login), administrators may upload
    and remove documents and only they see the unanswered questions."""

    def is_admin(request: gr.Request) -> bool:
        return users is not None and users.is_admin(getattr(request, "username", None))

    def facilitator(request: gr.Request) -> bool:
        return users is None or is_admin(request)

    def status() -> str:
        state = engine.status()
        names = [record.source for record in engine.documents()]
        return format_status(names, state.chunks, state.embedding_model, state.answer_mode)

    with gr.Blocks(title=TITLE, analytics_enabled=False) as app:
        gr.Markdown(
            f"# {TITLE}\nPosez une question sur le bilan et les notes des séances : "
            "chaque réponse cite les passages qui l'appuient."
        )
        status_line = gr.Markdown(elem_id="status")
        with gr.Tabs() as tabs:
            with gr.Tab("Discuter", id="discuter"):
                chat = ChatTab(engine)
            with gr.Tab("Territoires", id="territoires"):
                table, picked = territories_tab(engine, chat, tabs)
            with gr.Tab("Leviers", id="leviers"):
                levers = levers_tab(engine)
            with gr.Tab("Découvrir", id="decouvrir"):
                timeline, tour, glossary = discover_tab(engine, chat)
            with gr.Tab("Questions sans réponse", id="sans-reponse"):
                unanswered = UnansweredTab(engine, facilitator)
            with gr.Tab("Documents", id="documents"):
                documents = DocumentsTab(engine, is_admin)
        app.load(status, None, status_line, api_name="status")
        app.load(
            lambda: menu_choices(engine), None, [chat.document, chat.territory], api_visibility="private"
        )
        app.load(lambda: territory_rows(engine), None, [table, picked], api_name="territories")
        app.load(
            lambda: overview_texts(engine), None, [levers, timeline, tour, glossary], api_name="overview"
        )
        gated = [unanswered.notice, unanswered.content, unanswered.table]
        app.load(unanswered.load, None, gated, api_visibility="private")
        app.load(
            documents.load, None, [documents.table, documents.admin, documents.choice], api_name="documents"
        )
    return app


def serve(engine: Engine, host: str, port: int, **launch: Any) -> None:
    """Load the model and the precomputed content, then serve the app until interrupted."""
    engine.warm_up()
    if engine.store.count():
        engine.overview()
    users = Authenticator(engine.settings.auth) if engine.settings.auth else None
    app = build_app(engine, users)
    app.queue(default_concurrency_limit=engine.settings.concurrency)
    login = {"auth": users, "auth_message": "Connectez-vous pour consulter le bilan."} if users else {}
    app.launch(server_name=host, server_port=port, show_error=False, max_file_size="20mb", **login, **launch)
