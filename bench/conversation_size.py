"""How much a conversation weighs when the browser sends it back with its next question.

The gate bounds a request body (``ui.gate.MAX_REQUEST_BYTES``) and the chat a conversation
(``ui.chat_tab.MAX_EXCHANGES``); this measures the history and the answers kept after
``--questions`` real answers on a store, so the first bound is known to sit far above the
second.

    python -m bench.conversation_size --store /tmp/bench/sample-store --questions 49
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import gradio as gr

from assistant.engine import Engine
from assistant.settings import Settings
from ui.chat_tab import ChatTab
from ui.exchange import process_exchange

QUESTIONS = Path(__file__).resolve().parents[1] / "tests" / "data" / "sample_questions.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--questions", type=int, default=49)
    args = parser.parse_args()
    engine = Engine(Settings(store=args.store, _env_file=None))  # type: ignore[call-arg]
    with gr.Blocks(), gr.Tabs() as tabs, gr.Tab("Discuter"):
        chat = ChatTab(engine, tabs, process_exchange())
    lines = QUESTIONS.read_text(encoding="utf-8").splitlines()
    asked = [json.loads(line)["question"] for line in lines if line.strip()]
    history: list = []  # type: ignore[type-arg]
    answers: list = []  # type: ignore[type-arg]
    for n in range(args.questions):
        *_, (history, _, answers) = list(
            chat.respond(asked[n % len(asked)], history, answers, "Tous", "Tous", "Tous", "Tous", "Tous")
        )
    history_kib, answers_kib = len(json.dumps(history)) / 1024, len(json.dumps(answers)) / 1024
    print(f"{len(answers)} answers, {len(history)} messages:", end=" ")
    print(f"history {history_kib:.0f} KiB, answers {answers_kib:.0f} KiB")


if __name__ == "__main__":
    main()
