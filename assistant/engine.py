"""The engine: the one object the CLI and the web app talk to.

It owns the store and the embedding model (both opened lazily, once) and turns
questions into cited answers, files into indexed chunks, and question files
into evaluation figures.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from langchain_core.embeddings import Embeddings

from assistant import journal
from assistant.answering import Answer, Citation, citation_for, compose_answer, listing_answer
from assistant.chat import LangChainChat, build_chat_model
from assistant.evaluation import EvalQuestion, score_answers, score_run
from assistant.followup import is_follow_up, named_day, standalone_from_history
from assistant.generation import generate_answer, rewrite_question
from assistant.levers import LeverEntry, build_registry, known_territories
from assistant.listing import Subject, listing_question
from assistant.orientation import corpus_answer, is_corpus_question
from assistant.overview import Overview, build_overview
from assistant.settings import Settings
from assistant.sources import source_remark
from assistant.territories import TerritoryRow, answer_listing, listing_request, mentions
from assistant.uploads import safe_name
from ingest import ChunkingConfig, FileOutcome, IngestOptions, IngestReport, ingest_paths, page_picture
from ingest.page_crops import passage_crop
from vectorstore import (
    ChromaStore,
    CrossEncoderReranker,
    DocumentRecord,
    Filters,
    Hit,
    HybridRetriever,
    RetrievalConfig,
    UserFacingError,
)
from vectorstore.embeddings import EmbeddingConfig, build_embeddings, meaning_calibrated
from vectorstore.lock import StoreBusyError, WriterLock
from vectorstore.maintenance import Health, check, reconcile


@dataclass(frozen=True)
class Status:
    documents: int
    chunks: int
    embedding_model: str
    answer_mode: str


@dataclass(frozen=True)
class PassagePicture:
    """A citation's picture: the part of its PDF page where the passage lies (``crop``), the
    whole page (``page_image``), and what they show, in French (``alt``)."""

    crop: Path
    page_image: Path
    page: int
    alt: str
    width: int  # the crop's display size, CSS pixels (its file has twice as many)
    height: int
    located: bool  # False: the passage was not found on the page, the crop is its top


class Engine:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._write_lock = threading.RLock()  # one writing thread in this process...
        self.writer = WriterLock(settings.store)  # ...and one writing process per store

    @cached_property
    def embeddings(self) -> Embeddings:
        return build_embeddings(embedding_config(self.settings))

    @cached_property
    def meaning_calibrated(self) -> bool:
        return meaning_calibrated(self.settings.embedding_model)

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
        return HybridRetriever(self.store, settings.store / "lexical", config, reranker)

    def warm_up(self) -> list[str]:
        """Repair the store if a writer crashed, and load the models and indexes now rather
        than on the first question. Returns what was repaired (French lines)."""
        repairs = self.repair()
        self.store.check_model()
        self.retriever.search("initialisation", 1)
        return repairs

    def repair(self) -> list[str]:
        """Reconcile the store after a crash, unless another process is writing to it (it
        reconciled when it started, and its chunks in progress must not be touched)."""
        try:
            with self._write_lock, self.writer:
                return reconcile(self.store).lines()
        except StoreBusyError:
            return []

    def check(self) -> Health:
        """Every live chunk found by its own vector, and both indexes holding the same ids."""
        with self._write_lock, self.writer:
            reconcile(self.store)
        return check(self.store, {chunk.id for chunk in self.retriever.lexical_index().chunks})

    # -- questions -----------------------------------------------------------

    def _checked_question(self, question: str) -> str:
        cleaned = " ".join(question.split())
        if not cleaned:
            raise UserFacingError("La question est vide.")
        if len(cleaned) > self.settings.max_question_chars:
            raise UserFacingError(
                f"La question est trop longue ({len(cleaned)} caractères, "
                f"{self.settings.max_question_chars} au plus)."
            )
        return cleaned

    def retrieve(self, question: str, k: int | None = None, filters: Filters | None = None) -> list[Hit]:
        return self.retriever.search(self._checked_question(question), k or self.settings.top_k, filters)

    @cached_property
    def chat(self) -> LangChainChat | None:
        """The language model of the settings, or ``None`` for extractive answers."""
        return build_chat_model(self.settings)

    def ask(
        self,
        question: str,
        k: int | None = None,
        filters: Filters | None = None,
        earlier: Sequence[str] = (),
    ) -> Answer:
        """The answer to ``question``; ``earlier`` questions of the conversation make a
        follow-up ("et pour la journée 3 ?") standalone first."""
        return final_answer(self.ask_stream(question, k, filters, earlier))

    def ask_stream(
        self,
        question: str,
        k: int | None = None,
        filters: Filters | None = None,
        earlier: Sequence[str] = (),
    ) -> Iterator[str | Answer]:
        """Like ``ask``, but a language model's text pieces come first, as it writes
        them; the verified ``Answer`` is always the last item. A question the documents
        do not answer is added to the journal of unanswered questions."""
        for event in self._answer_stream(question, k, filters, earlier):
            if isinstance(event, Answer) and event.refused and event.citations:
                journal.append(
                    self.settings.store / journal.UNANSWERED, journal.unanswered_entry(event, filters)
                )
            yield event

    def _answer_stream(
        self, question: str, k: int | None, filters: Filters | None, earlier: Sequence[str]
    ) -> Iterator[str | Answer]:
        cleaned = self.standalone(self._checked_question(question), earlier)
        if not filters and is_corpus_question(cleaned):
            overview = corpus_answer(cleaned, self.overview().tour)
            if overview is not None:
                yield overview
                return
        listing = None if filters else listing_request(cleaned)
        if listing and (answer := answer_listing(cleaned, listing, self.territories())):
            yield answer
            return
        hits = self._evidence(cleaned, k, filters)
        stats = self.retriever.lexical_index()
        # the question's vector, already computed by the search, when the model is calibrated
        vector = self.store.query_vector(cleaned) if hits and self.meaning_calibrated else None
        asked = None if filters else listing_question(cleaned)
        rows = self.territories() if asked and asked.subject is Subject.TERRITORIES else ()
        if self.chat is None:
            answer = compose_answer(cleaned, hits, stats=stats, question_vector=vector, rows=rows)
            yield with_source_remark(answer)
            return
        # A list (territories and their expectations, levers, difficulties) is read off the
        # tables and sections, each item cited: exact where a model would paraphrase.
        listed = listing_answer(cleaned, asked, hits, rows) if asked and hits else None
        if listed is not None and not listed.verification.flagged:
            yield with_source_remark(listed)
            return
        for event in generate_answer(cleaned, hits, self.chat, stats, vector):
            yield with_source_remark(event) if isinstance(event, Answer) else event

    def standalone(self, question: str, earlier: Sequence[str]) -> str:
        """A follow-up made standalone: by the model when there is one and its rewrite is
        usable, else by carrying over the earlier question's terms."""
        if earlier and self.chat is not None and is_follow_up(question):
            rewritten = rewrite_question(question, earlier, self.chat)
            if rewritten:
                return rewritten
        return standalone_from_history(question, list(earlier))

    def _evidence(self, question: str, k: int | None, filters: Filters | None) -> list[Hit]:
        day = named_day(question)
        if day is not None and "session" not in (filters or {}):
            # A question about one day is answered from that day's passages only (if any
            # passage knows its day): another day's answer would be a wrong answer.
            scoped = self.retrieve(question, k, {**(filters or {}), "session": day})
            if scoped:
                return scoped
        return self.retrieve(question, k, filters)

    # -- documents -----------------------------------------------------------

    def ingest(
        self,
        paths: Sequence[Path],
        *,
        rebuild: bool = False,
        prune: bool = False,
        ocr: bool = False,
        on_outcome: Callable[[FileOutcome], None] = lambda outcome: None,
    ) -> IngestReport:
        settings = self.settings
        options = IngestOptions(
            chunking=ChunkingConfig(
                settings.chunk_size, min(settings.chunk_overlap, settings.chunk_size - 1)
            ),
            time_limit=settings.ingest_timeout,
            ocr=ocr,
            memory_mb=settings.ingest_memory_mb,
            max_file_mb=settings.max_file_mb,
            max_pages=settings.max_pages,
        )
        with self._write_lock, self.writer:
            report = ingest_paths(
                self.store, paths, options, rebuild=rebuild, prune=prune, on_outcome=on_outcome
            )
            self.retriever.lexical_index()  # rebuilt now, not on the next question
            if self.store.count():
                self.overview()  # precomputed now, so the pages open at once
            return report

    def add_files(
        self, uploaded: Sequence[Path], on_outcome: Callable[[FileOutcome], None] = lambda outcome: None
    ) -> IngestReport:
        """Copy uploaded files into the store's library (their pages stay viewable) and index
        them. Names are made safe (``uploads.safe_name``) before anything is copied, and the
        store is locked first, so a file is never copied without being indexed."""
        names = [safe_name(str(path)) for path in uploaded]
        library = self.settings.store / "fichiers"
        with self._write_lock, self.writer:
            library.mkdir(parents=True, exist_ok=True)
            copies = []
            for path, name in zip(uploaded, names, strict=True):
                shutil.copyfile(path, library / name)
                copies.append(library / name)
            return self.ingest(copies, on_outcome=on_outcome)

    def remove(self, source: str) -> None:
        """Take a document and all its passages out of the store."""
        with self._write_lock, self.writer:
            record = next((r for r in self.store.documents() if r.source == source), None)
            if record is None:
                raise UserFacingError(f"Aucun document indexé ne s'appelle « {source} ».")
            self.store.delete_document(record.doc_id)
            self.retriever.lexical_index()
            if self.store.count():
                self.overview()

    def territories(self) -> list[TerritoryRow]:
        """Every table row that names a territory, by document, day and order of appearance.

        Read from the lexical index, which holds every chunk of the current revision
        in memory, rather than from Chroma again."""
        indexed = self.retriever.lexical_index().chunks
        chunks = [chunk for chunk in indexed if chunk.cells and chunk.territory]
        chunks.sort(key=lambda c: (c.source, c.session or 0, c.page_start or 0, c.position))
        return [
            TerritoryRow(c.territory or "", c.session, c.source, c.page_label, c.section, c.cells, c.kind)
            for c in chunks
        ]

    def table_rows(self) -> dict[str, int]:
        """How many table rows were read from each document, by source."""
        counts: dict[str, int] = {}
        for chunk in self.retriever.lexical_index().chunks:
            if chunk.cells:
                counts[chunk.source] = counts.get(chunk.source, 0) + 1
        return counts

    def levers(self) -> list[LeverEntry]:
        """Every lever and difficulty the documents name (found at ingestion), each once,
        with its days, the territories that raised it and its citations."""
        chunks = self.retriever.lexical_index().chunks
        territories = known_territories(chunks, (row.territory for row in self.territories()))
        return build_registry(chunks, territories)

    def documents(self) -> list[DocumentRecord]:
        return self.store.documents()

    def status(self) -> Status:
        return Status(
            documents=len(self.store.documents()),
            chunks=self.store.count(),
            embedding_model=self.settings.embedding_model,
            answer_mode=(
                f"modèle de langue {self.settings.llm_model}"
                if self.settings.llm_model
                else "extractif (sans modèle de langue)"
            ),
        )

    def territory_passages(self, territory: str) -> list[Citation]:
        """Every passage of every document that names the territory, report first, in
        reading order, numbered as citations."""
        chunks = [c for c in self.retriever.lexical_index().chunks if mentions(c.text, territory)]
        chunks.sort(key=lambda c: (c.kind != "bilan", c.source, c.page_start or 0, c.position))
        return [citation_for(n, Hit(chunk, 1.0)) for n, chunk in enumerate(chunks, start=1)]

    def page_picture(self, source: str, page: int) -> Path:
        """A picture of one page of an indexed PDF (rendered once, kept in the store)."""
        record = next((r for r in self.store.documents() if r.source == source), None)
        if record is None or not record.source.lower().endswith(".pdf"):
            raise UserFacingError(f"Aucun PDF indexé ne s'appelle « {source} ».")
        return page_picture(Path(record.path), page, record.sha256, self.settings.store / "pages")

    def passage_picture(self, citation: Citation) -> PassagePicture:
        """The picture of the cited passage on its (first) page, and of the whole page, both
        rendered once and kept in the store's pages folder; a UserFacingError (a
        ``PictureError`` when rendering failed) when there is none to show."""
        first = citation.page.split("-")[0].strip()
        record = next((r for r in self.store.documents() if r.source == citation.source), None)
        if record is None or not record.source.lower().endswith(".pdf") or not first.isdigit():
            raise UserFacingError(f"Pas d'extrait de page pour « {citation.source} ».")
        page = int(first)
        crop = passage_crop(
            Path(record.path), page, citation.text, record.sha256, self.settings.store / "pages"
        )
        alt = (
            f"Extrait de la page {page} de {citation.source}"
            if crop.located
            else f"Haut de la page {page} de {citation.source} (passage non repéré sur la page)"
        )
        width, height = crop.display_size
        return PassagePicture(crop.crop, crop.page_image, page, alt, width, height, crop.located)

    # -- journals and precomputed content -------------------------------------

    def record_feedback(self, answer: Answer, rating: str) -> None:
        """Keep a thumbs up or down with the question, the answer and its citations."""
        if rating not in ("up", "down"):
            raise UserFacingError("Avis inconnu : « up » ou « down » attendu.")
        journal.append(self.settings.store / journal.FEEDBACK, journal.feedback_entry(answer, rating))

    def feedback(self) -> list[dict[str, object]]:
        return journal.read(self.settings.store / journal.FEEDBACK)

    def unanswered(self) -> list[dict[str, object]]:
        """The questions the assistant declined to answer, oldest first."""
        return journal.read(self.settings.store / journal.UNANSWERED)

    def overview(self) -> Overview:
        """Levers, glossary, tour and timeline of the current store, computed once per
        revision and kept in the store (``overview.json``)."""
        revision = self.store.revision()
        path = self.settings.store / "overview.json"
        if path.exists():
            cached = Overview.from_dict(json.loads(path.read_text(encoding="utf-8")))
            if cached.revision == revision:
                return cached
        chunks = self.retriever.lexical_index().chunks
        built = build_overview(self._quiet_answer, chunks, self.territories(), revision)
        partial = path.with_suffix(".part")
        partial.write_text(json.dumps(built.to_dict(), ensure_ascii=False), encoding="utf-8")
        partial.replace(path)
        return built

    def _quiet_answer(self, question: str) -> Answer:
        """An answer for precomputed content: not a user's question, so never journaled."""
        return final_answer(self._answer_stream(question, None, None, ()))

    # -- evaluation ----------------------------------------------------------

    def evaluate(
        self, questions: Sequence[EvalQuestion], k: int = 10, answers: bool = False
    ) -> dict[str, float | int]:
        """Retrieval figures and, with ``answers``, the figures of the answers the assistant
        gives (the same path as ``ask``, unjournaled; timed whole, retrieval included)."""
        self.warm_up()
        results: list[list[Hit]] = []
        latencies: list[float] = []
        for item in questions:
            started = time.perf_counter()
            results.append(self.retriever.search(item.question, k))
            latencies.append((time.perf_counter() - started) * 1000)
        figures = score_run(questions, results, latencies)
        if not answers:
            return figures
        composed, answer_ms = [], []
        for item in questions:
            self.store.forget_query_vectors()  # timed as asked afresh: embedding included
            started = time.perf_counter()
            composed.append(self._quiet_answer(item.question))
            answer_ms.append((time.perf_counter() - started) * 1000)
        return figures | score_answers(questions, composed, answer_ms)


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


def final_answer(events: Iterator[str | Answer]) -> Answer:
    """The answer that ends a stream of text pieces."""
    *_, answer = events
    assert isinstance(answer, Answer)
    return answer


def with_source_remark(answer: Answer) -> Answer:
    """The answer, followed by a remark when it draws on both the report and the notes."""
    if answer.refused:
        return answer
    remark = source_remark(answer.text, {citation.n: citation.kind for citation in answer.citations})
    return replace(answer, text=f"{answer.text}\n\n{remark}") if remark else answer


FILTER_KEYS = ("kind", "source", "session", "part")


def parse_filters(pairs: Sequence[str]) -> Mapping[str, str | int]:
    """``["kind=notes", "session=2"]`` to ``{"kind": "notes", "session": 2}``."""
    filters: dict[str, str | int] = {}
    for pair in pairs:
        key, sep, value = (part.strip() for part in pair.partition("="))
        if not sep or not key or not value:
            raise UserFacingError(f"Filtre invalide « {pair} » : la forme attendue est clé=valeur.")
        if key not in FILTER_KEYS:
            raise UserFacingError(f"Filtre inconnu « {key} » : clés possibles {', '.join(FILTER_KEYS)}.")
        filters[key] = int(value) if value.isdigit() else value
    return filters
