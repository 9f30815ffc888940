"""The engine: the one object the command line and the web app talk to.

A thin facade over four parts, each owning one job: ``Answerer`` (questions to cited
answers, ``assistant/questions.py``), ``Library`` (documents, uploads, the health check
and page pictures, ``assistant/library.py``), ``Insights`` (the overview and the
journals, ``assistant/insights.py``) and the evaluation (``assistant/evaluation.py``).
It builds them from the settings and opens the heavy parts (the embedding model, the
store, the indexes, a language model) lazily, once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import cached_property
from pathlib import Path

from langchain_core.embeddings import Embeddings

from assistant import catalogue, evaluation
from assistant.answering import Answer, Citation
from assistant.chat import LangChainChat
from assistant.evaluation import EvalQuestion
from assistant.insights import Insights
from assistant.journal import Journal
from assistant.levers import LeverEntry
from assistant.library import Library, PassagePicture, Status
from assistant.overview import Overview
from assistant.questions import Answerer, final_answer
from assistant.rows import TerritoryRow
from assistant.settings import Settings
from ingest import FileOutcome, IngestReport
from vectorstore import (
    ChromaStore,
    CrossEncoderReranker,
    DocumentRecord,
    EmbeddingConfig,
    Filters,
    Hit,
    HybridRetriever,
    RetrievalConfig,
    build_embeddings,
)
from vectorstore.encoders.encoder import Progress
from vectorstore.integrity import Health
from vectorstore.layout import StoreLayout
from vectorstore.retrieval.snapshot import Snapshot
from vectorstore.writer_lock import WriterLock

__all__ = ["Engine", "PassagePicture", "Status", "StoreLayout", "embedding_config", "final_answer"]


class Engine:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.layout = StoreLayout(settings.store)

    # -- the parts, built once, on first use ----------------------------------

    @cached_property
    def embeddings(self) -> Embeddings:
        """The one encoder: model, vector caches, questions before indexing batches."""
        return build_embeddings(embedding_config(self.settings))

    @cached_property
    def store(self) -> ChromaStore:
        settings = self.settings
        return ChromaStore(
            settings.store,
            self.embeddings,
            settings.embedding_model,
            url=settings.chroma_url,
            namespace=settings.chroma_namespace,
        )

    @cached_property
    def retriever(self) -> HybridRetriever:
        settings = self.settings
        config = RetrievalConfig(
            mode=settings.retrieval,
            fusion=settings.fusion,
            lexical_weight=settings.lexical_weight,
            sentence_search_weight=settings.sentence_search_weight,
            candidates=settings.candidates,
            sentence_weight=settings.sentence_weight,
        )
        reranker = (
            CrossEncoderReranker(settings.reranker, allow_download=settings.allow_download)
            if settings.reranker
            else None
        )
        return HybridRetriever(self.store, self.layout.lexical, config, reranker)

    @cached_property
    def answerer(self) -> Answerer:
        def overview(snapshot: Snapshot) -> Overview:  # late-bound: the insights answer with this answerer
            return self.insights.overview(snapshot)

        return Answerer(self.settings, self.retriever, overview)

    @cached_property
    def library(self) -> Library:
        return Library(self.settings, self.store, self.retriever, self._refresh)

    @cached_property
    def insights(self) -> Insights:
        return Insights(self.layout, self.answerer.quiet_answer)

    @property
    def chat(self) -> LangChainChat | None:
        """The language model of the settings, or ``None`` for extractive answers."""
        return self.answerer.chat

    @chat.setter
    def chat(self, model: LangChainChat | None) -> None:
        self.answerer.chat = model

    @property
    def writer(self) -> WriterLock:
        return self.library.writer

    def snapshot(self) -> Snapshot:
        """The store as it is now (one revision read): what one question or page reads."""
        return self.retriever.snapshot()

    def _refresh(self) -> None:
        """After a change: the new revision's indexes now (not on the next question), and
        its overview precomputed, so the pages open at once."""
        snapshot = self.snapshot()
        if snapshot.chunks:
            self.insights.overview(snapshot)

    def warm_up(self) -> list[str]:
        """Repair the store if a writer crashed, and load the models and indexes now rather
        than on the first question. Returns what was repaired (French lines)."""
        repairs = self.library.repair()
        self.store.check_model()
        self.retriever.search("initialisation", 1)
        return repairs

    # -- questions ------------------------------------------------------------

    def retrieve(self, question: str, k: int | None = None, filters: Filters | None = None) -> list[Hit]:
        return self.answerer.retrieve(question, k, filters)

    def ask(
        self, question: str, k: int | None = None, filters: Filters | None = None, earlier: Sequence[str] = ()
    ) -> Answer:
        """The answer to ``question``; ``earlier`` questions of the conversation make a
        follow-up ("et pour la journée 3 ?") standalone first."""
        return final_answer(self.answerer.ask_stream(question, k, filters, earlier))

    def ask_stream(
        self, question: str, k: int | None = None, filters: Filters | None = None, earlier: Sequence[str] = ()
    ) -> Iterator[str | Answer]:
        """Like ``ask``, but a language model's text pieces come first, as it writes them;
        the verified ``Answer`` is always the last item."""
        return self.answerer.ask_stream(question, k, filters, earlier)

    def evaluate(
        self, questions: Sequence[EvalQuestion], k: int = 10, answers: bool = False
    ) -> dict[str, float | int]:
        """Retrieval figures and, with ``answers``, the figures of the answers."""
        self.warm_up()
        return evaluation.run(self.answerer, questions, k, answers)

    # -- what the documents hold, read from one snapshot ------------------------

    def territories(self) -> list[TerritoryRow]:
        """Every table row that names a territory, by document, day and order of appearance."""
        return catalogue.territory_rows(self.snapshot().chunks)

    def table_rows(self) -> dict[str, int]:
        """How many table rows were read from each document, by source."""
        return catalogue.table_row_counts(self.snapshot().chunks)

    def levers(self) -> list[LeverEntry]:
        """Every lever and difficulty the documents name, each once."""
        return catalogue.lever_entries(self.snapshot().chunks)

    def territory_passages(self, territory: str) -> list[Citation]:
        """Every passage of every document that names the territory, report first."""
        return catalogue.passages_naming(self.snapshot().chunks, territory)

    def overview(self) -> Overview:
        """Levers, glossary, tour and timeline of the current revision (kept in the store)."""
        return self.insights.overview(self.snapshot())

    # -- documents --------------------------------------------------------------

    def ingest(
        self,
        paths: Sequence[Path],
        *,
        rebuild: bool = False,
        prune: bool = False,
        ocr: bool = False,
        on_outcome: Callable[[FileOutcome], None] = lambda outcome: None,
        on_progress: Progress | None = None,
    ) -> IngestReport:
        """Index ``paths``; ``on_outcome`` hears each file's outcome, ``on_progress`` the
        texts embedded so far (batch by batch) of the files being written."""
        return self.library.ingest(
            paths, rebuild=rebuild, prune=prune, ocr=ocr, on_outcome=on_outcome, on_progress=on_progress
        )

    def add_files(
        self,
        uploaded: Sequence[Path],
        on_outcome: Callable[[FileOutcome], None] = lambda outcome: None,
        on_progress: Progress | None = None,
    ) -> IngestReport:
        return self.library.add_files(uploaded, on_outcome, on_progress)

    def remove(self, source: str) -> None:
        self.library.remove(source)

    def documents(self) -> list[DocumentRecord]:
        return self.library.documents()

    def status(self) -> Status:
        return self.library.status()

    def repair(self) -> list[str]:
        return self.library.repair()

    def check(self) -> Health:
        return self.library.check()

    def page_picture(self, source: str, page: int) -> Path:
        return self.library.page_picture(source, page)

    def passage_picture(self, citation: Citation, snapshot: Snapshot | None = None) -> PassagePicture:
        return self.library.passage_picture(citation, snapshot)

    def answer_pictures(self, answer: Answer) -> dict[int, PassagePicture]:
        """The pictures of an answer's cited PDF passages, by citation number, once each."""
        return self.library.answer_pictures(answer.citations)

    # -- journals -----------------------------------------------------------------

    def record_feedback(self, answer: Answer, rating: str) -> None:
        self.insights.record_feedback(answer, rating)

    def feedback(self) -> Journal:
        return self.insights.feedback()

    def unanswered(self) -> Journal:
        """The questions declined, oldest first, and how many damaged lines were skipped."""
        return self.insights.unanswered()


def embedding_config(settings: Settings) -> EmbeddingConfig:
    """The settings' part that says how vectors are computed."""
    return EmbeddingConfig(
        model=settings.embedding_model,
        base_url=settings.embedding_base_url,
        api_key=settings.embedding_api_key.get_secret_value(),
        timeout=settings.embedding_timeout,
        allow_download=settings.allow_download,
        threads=settings.embedding_threads,
        cache_dir=settings.model_cache,
    )
