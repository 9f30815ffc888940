"""The one encoder of an application: its model, its vector caches, and questions served first.

Why one object: the model is a single engine that uses every core, so two callers at once
only queue behind each other. When an administrator indexes a report while readers ask,
what matters is who goes next. Here a document's texts are embedded in small batches
(``BATCH_CHARS`` characters, about half a second of the bundled engine), and between two
batches any question waiting goes first (``QuestionFirst``): a question asked during an
indexing run waits at most one batch, not the whole document. Questions overtake a waiting
batch four at a time at most, so a steady flow of them slows indexing without starving it.

The encoder also owns both vector caches: the machine-wide cache of passage vectors
(``VectorCache``, by model and text: re-indexing, a second store or a test suite embed each
text once) and the few last questions' vectors (a question is embedded once, though dense
search, sentence search and the answer all need it). And it bounds what a question costs:
a question's text is cut at ``QUESTION_MAX_CHARS`` characters after the engine's own
expansion, and the bundled engine cuts it to a token budget (``local.QUESTION_TOKENS``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from langchain_core.embeddings import Embeddings

from vectorstore.encoders.cache import VectorCache
from vectorstore.encoders.engine_input import QUESTION_MAX_CHARS, engine_text

# A batch of a document's texts: about 0.5 s of the bundled engine on two cores (one long
# passage, or a dozen sentences). Measured on the Cerema guide's passages, the engine's
# throughput is the same in batches of 1, 4 or 16 texts (10.5–10.7 s for 48 passages), so
# small batches cost nothing and bound what a question waits behind.
BATCH_CHARS = 2_500
BATCH_TEXTS = 16
QUESTIONS_KEPT = 64  # question vectors kept (a question is searched and weighed several times)
QUESTIONS_BEFORE_A_BATCH = 4  # questions that may go ahead of a waiting batch, one after the other

Progress = Callable[[int, int], None]  # (texts embedded, texts to embed)


class QuestionFirst:
    """Turns at the model, one holder at a time: a question waiting goes before a batch
    waiting, but a batch that has seen ``patience`` questions go ahead of it goes next, so
    a steady flow of questions slows indexing without stopping it (each question still
    waits one batch at most)."""

    def __init__(self, patience: int = QUESTIONS_BEFORE_A_BATCH) -> None:
        self._condition = threading.Condition()
        self._busy = False
        self._questions_waiting = 0
        self._batches_waiting = 0
        self._overtaken = 0  # questions served while a batch was waiting
        self.patience = patience

    def _batch_due(self) -> bool:
        return self._batches_waiting > 0 and self._overtaken >= self.patience

    @contextmanager
    def turn(self, question: bool) -> Iterator[None]:
        with self._condition:
            if question:
                self._questions_waiting += 1
            else:
                self._batches_waiting += 1
            try:
                while self._busy or (
                    self._batch_due() if question else self._questions_waiting and not self._batch_due()
                ):
                    self._condition.wait()
            finally:
                if question:
                    self._questions_waiting -= 1
                else:
                    self._batches_waiting -= 1
            if not question:
                self._overtaken = 0
            elif self._batches_waiting:
                self._overtaken += 1
            self._busy = True
        try:
            yield
        finally:
            with self._condition:
                self._busy = False
                self._condition.notify_all()


def batches(texts: Sequence[str], chars: int = BATCH_CHARS, count: int = BATCH_TEXTS) -> Iterator[list[str]]:
    """``texts`` in order, cut into runs of at most ``count`` texts and about ``chars``
    characters (a longer text is a batch of its own)."""
    batch: list[str] = []
    size = 0
    for text in texts:
        if batch and (size + len(text) > chars or len(batch) >= count):
            yield batch
            batch, size = [], 0
        batch.append(text)
        size += len(text)
    if batch:
        yield batch


class Encoder(Embeddings):
    """``model`` (any LangChain ``Embeddings``) behind the caches and the question-first turns.
    ``identity`` names what its vectors mean (model, and server if any), for the cache."""

    def __init__(self, model: Embeddings, identity: str, cache: VectorCache | None = None) -> None:
        self.model = model
        self.identity = identity
        self.cache = cache
        self.turns = QuestionFirst()
        self._questions: OrderedDict[str, list[float]] = OrderedDict()
        self._questions_lock = threading.Lock()

    @classmethod
    def of(cls, embeddings: Embeddings, identity: str) -> Encoder:
        """``embeddings`` itself when it is an encoder already, else an encoder around it
        (without machine-wide cache): every store searches and writes through one."""
        return embeddings if isinstance(embeddings, Encoder) else cls(embeddings, identity)

    def warm_up(self) -> None:
        """Load the model now (indexing calls this while the first files are read)."""
        with self.turns.turn(question=False):
            self.model.embed_documents([])

    def embed_query(self, text: str) -> list[float]:
        """A question's vector: computed once for the last ``QUESTIONS_KEPT`` questions, and
        ahead of any document batch waiting for the model."""
        with self._questions_lock:
            if text in self._questions:
                self._questions.move_to_end(text)
                return self._questions[text]
        with self.turns.turn(question=True):
            vector = self.model.embed_query(engine_text(text, QUESTION_MAX_CHARS))
        with self._questions_lock:
            self._questions[text] = vector
            while len(self._questions) > QUESTIONS_KEPT:
                self._questions.popitem(last=False)
        return vector

    def forget_questions(self) -> None:
        """Drop the question vectors kept (so a benchmark times each question afresh)."""
        with self._questions_lock:
            self._questions.clear()

    def embed_documents(self, texts: list[str], progress: Progress | None = None) -> list[list[float]]:
        """Passage vectors in the order of ``texts``: those the machine-wide cache holds, the
        others computed once per distinct text, batch by batch, each batch giving way to
        the questions waiting. ``progress`` hears (embedded, to embed) after each batch.
        An empty list only loads the model."""
        if not texts:
            self.warm_up()
            return []
        keys = [VectorCache.key(self.identity, text) for text in texts]
        known = self.cache.get(list(dict.fromkeys(keys))) if self.cache else {}
        text_of = dict(zip(keys, texts, strict=True))
        missing = [key for key in dict.fromkeys(keys) if key not in known]
        done = 0
        for batch in batches([text_of[key] for key in missing]):
            with self.turns.turn(question=False):
                vectors = self.model.embed_documents(batch)
            computed = dict(zip(missing[done : done + len(batch)], vectors, strict=True))
            if self.cache:
                self.cache.put(computed)
            known |= computed
            done += len(batch)
            if progress:
                progress(done, len(missing))
        return [known[key] for key in keys]
