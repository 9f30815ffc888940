"""The Gradio chat: ``build_app(engine)`` and ``serve``.

Handlers are short: they call the engine and a pure formatter, and turn a
``UserFacingError`` into a French ``gr.Error``. Importing this module loads no
model and touches no disk.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gradio as gr

from assistant.engine import Engine
from assistant.errors import UserFacingError
from ui.formatting import format_answer, format_draft, format_status, format_understood, message_text

TITLE = "Assistant du bilan des journées d'initiation"
EXAMPLES = [
    "Qu'est-ce qu'une communauté apprenante ?",
    "Quels leviers ont été identifiés lors de la journée 2 ?",
    "Qu'attendaient les territoires de la première journée ?",
    "Combien de territoires ont participé aux journées ?",
]

Message = dict[str, str]


def build_app(engine: Engine) -> gr.Blocks:
    def respond(question: str, history: list[Message] | None) -> Iterator[tuple[list[Message], str]]:
        earlier = [message_text(m["content"]) for m in history or [] if m.get("role") == "user"]
        shown = [*(history or []), {"role": "user", "content": question}]
        draft = ""
        try:
            for event in engine.ask_stream(question, earlier=earlier):
                if isinstance(event, str):  # a language model writing: show it as it comes
                    draft += event
                    yield [*shown, {"role": "assistant", "content": format_draft(draft)}], ""
                else:
                    reply = format_understood(question, event.question) + format_answer(event)
                    yield [*shown, {"role": "assistant", "content": reply}], ""
        except UserFacingError as exc:
            if engine.settings.debug:
                raise
            raise gr.Error(str(exc)) from None

    def status() -> str:
        state = engine.status()
        names = [record.source for record in engine.documents()]
        return format_status(names, state.chunks, state.embedding_model, state.answer_mode)

    with gr.Blocks(title=TITLE, analytics_enabled=False) as app:
        gr.Markdown(
            f"# {TITLE}\nPosez une question sur le bilan et les notes des sessions : "
            "chaque réponse cite les passages qui l'appuient."
        )
        status_line = gr.Markdown(elem_id="status")
        chatbot = gr.Chatbot(
            label="Discussion",
            height=520,
            buttons=["copy"],
            placeholder="Les réponses apparaîtront ici, avec leurs sources.",
            elem_id="chat",
        )
        with gr.Row():
            question = gr.Textbox(
                show_label=False,
                placeholder="Posez votre question…",
                max_length=engine.settings.max_question_chars,
                scale=8,
                elem_id="question",
            )
            send = gr.Button("Envoyer", variant="primary", scale=1)
        gr.Examples(EXAMPLES, inputs=question, label="Exemples de questions")
        question.submit(respond, [question, chatbot], [chatbot, question], api_name="respond")
        send.click(respond, [question, chatbot], [chatbot, question], api_visibility="private")
        app.load(status, None, status_line, api_name="status")
    return app


def serve(engine: Engine, host: str, port: int, **launch: Any) -> None:
    """Load the model, then serve the app until interrupted."""
    engine.warm_up()
    app = build_app(engine)
    app.queue(default_concurrency_limit=engine.settings.concurrency)
    app.launch(server_name=host, server_port=port, show_error=False, max_file_size="20mb", **launch)
