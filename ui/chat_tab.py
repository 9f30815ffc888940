"""The "Discuter" tab: the chat with its filters, citation cards, cited pages, feedback
and export. Handlers stay short: the engine answers, pure formatters render."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.answering import Answer
from assistant.engine import Engine
from assistant.errors import UserFacingError
from ui.formatting import escape_text, format_answer, format_draft, format_understood, message_text
from ui.views import conversation_markdown

ALL = "Tous"
EXAMPLES = [
    "Qu'est-ce qu'une communauté apprenante ?",
    "Quels leviers ont été identifiés lors de la journée 2 ?",
    "Qu'attendaient les territoires de la première journée ?",
    "Combien de territoires ont participé aux journées ?",
]
Message = dict[str, str]


def filters_from(document: str, kind: str, part: str, day: str, territory: str) -> dict[str, str | int]:
    """The engine's filters from the filter menus ("Tous" means no filter)."""
    chosen = {"source": document, "kind": kind, "part": part, "session": day, "territory": territory}
    return {
        key: int(value) if value.isdigit() else value
        for key, value in chosen.items()
        if value and value != ALL
    }


def cited_pages(engine: Engine, answer: Answer) -> list[tuple[str, str]]:
    """Pictures of the PDF pages an answer cites, captioned with their marker."""
    pictures = []
    for citation in answer.citations:
        first_page = citation.page.split("-")[0]
        if not first_page.isdigit():
            continue
        try:
            path = engine.page_picture(citation.source, int(first_page))
        except UserFacingError:
            continue  # the file moved or is not a PDF: the card still shows the passage
        pictures.append((str(path), f"[{citation.n}] {citation.source}, p. {first_page}"))
    return pictures


def new_conversation() -> tuple[list[Message], str, list[dict[str, Any]], list[Any], Any]:
    """Empty chat, question box, answers, cited pages, and the export hidden."""
    return [], "", [], [], gr.File(value=None, visible=False)


class ChatTab:
    """The components of the tab, so the other tabs can send a question to it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        with gr.Row():
            with gr.Column(scale=3):
                self.chatbot = gr.Chatbot(
                    label="Discussion",
                    height=560,
                    buttons=["copy", "copy_all"],
                    feedback_options=("Like", "Dislike"),
                    placeholder="Les réponses apparaîtront ici, avec leurs sources.",
                    elem_id="chat",
                )
                with gr.Row():
                    self.question = gr.Textbox(
                        show_label=False,
                        placeholder="Posez votre question…",
                        max_length=engine.settings.max_question_chars,
                        scale=8,
                        elem_id="question",
                    )
                    send = gr.Button("Envoyer", variant="primary", scale=1, elem_id="send")
                gr.Examples(EXAMPLES, inputs=self.question, label="Exemples de questions")
                with gr.Row():
                    fresh = gr.Button("Nouvelle conversation", size="sm", elem_id="nouvelle")
                    export = gr.Button("Exporter la conversation (Markdown)", size="sm")
                    exported = gr.File(label="Conversation exportée", visible=False)
            with gr.Column(scale=2):
                gr.Markdown("### Filtres")
                self.document = gr.Dropdown([ALL], value=ALL, label="Document")
                self.kind = gr.Dropdown([ALL, "bilan", "notes"], value=ALL, label="Type de document")
                self.part = gr.Dropdown([ALL, "1", "2", "3", "4"], value=ALL, label="Partie du bilan")
                self.day = gr.Dropdown([ALL, "1", "2", "3", "4"], value=ALL, label="Journée")
                self.territory = gr.Dropdown([ALL], value=ALL, label="Territoire")
                self.pages = gr.Gallery(
                    label="Pages citées (cliquez pour agrandir)", columns=2, height=360, elem_id="pages"
                )
        self.answers = gr.State([])
        inputs = [self.question, self.chatbot, self.answers, self.document, self.kind, self.part, self.day,
                  self.territory]  # fmt: skip
        outputs = [self.chatbot, self.question, self.answers, self.pages]
        self.question.submit(self.respond, inputs, outputs, api_name="respond")
        send.click(self.respond, inputs, outputs, api_visibility="private")
        self.chatbot.like(self.on_feedback, [self.answers], None, api_visibility="private")
        export.click(self.export, [self.answers], [exported], api_name="export")
        # A new conversation leaves nothing of the last one: messages, answers, pages, export.
        everything = [self.chatbot, self.question, self.answers, self.pages, exported]
        fresh.click(new_conversation, None, everything, api_visibility="private")
        self.chatbot.clear(new_conversation, None, everything, api_visibility="private")

    def respond(
        self, question: str, history: list[Message] | None, answers: list[dict[str, Any]] | None, *menus: str
    ) -> Iterator[tuple[list[Message], str, list[dict[str, Any]], Any]]:
        earlier = [message_text(m["content"]) for m in history or [] if m.get("role") == "user"]
        shown = [*(history or []), {"role": "user", "content": escape_text(question)}]  # shown as text
        draft = ""
        try:
            for event in self.engine.ask_stream(question, filters=filters_from(*menus), earlier=earlier):
                if isinstance(event, str):  # a language model writing: show it as it comes
                    draft += event
                    reply = {"role": "assistant", "content": format_draft(draft)}
                    yield [*shown, reply], "", answers or [], gr.skip()
                else:
                    notice = f"*{escape_text(event.notice)}*\n\n" if event.notice else ""  # model failed
                    anchor = f"r{len(answers or []) + 1}-"  # this answer's cards, not an earlier one's
                    content = (
                        format_understood(question, event.question) + notice + format_answer(event, anchor)
                    )
                    reply = {"role": "assistant", "content": content}
                    done = [*(answers or []), event.to_dict()]
                    yield [*shown, reply], "", done, cited_pages(self.engine, event)
        except UserFacingError as exc:
            if self.engine.settings.debug:
                raise
            raise gr.Error(str(exc)) from None

    def on_feedback(self, answers: list[dict[str, Any]], data: gr.LikeData) -> None:
        index = data.index if isinstance(data.index, int) else data.index[0]
        answer_index = index // 2  # user and assistant messages alternate
        if 0 <= answer_index < len(answers):
            self.engine.record_feedback(
                Answer.from_dict(answers[answer_index]), "up" if data.liked else "down"
            )
            gr.Info("Merci : votre avis est enregistré.")

    def export(self, answers: list[dict[str, Any]]) -> Any:
        if not answers:
            raise gr.Error("La conversation est vide : rien à exporter.")
        folder = Path(tempfile.mkdtemp(prefix="conversation-"))
        path = folder / "conversation.md"
        path.write_text(conversation_markdown([Answer.from_dict(a) for a in answers]), encoding="utf-8")
        return gr.File(value=str(path), visible=True)
