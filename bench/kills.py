"""SIGKILL at random points of ingestion: is the store consistent, and does re-running
``ingest`` end with exactly the chunks of a clean run?

The embedding model is loaded once here, then every ingestion runs in a forked child
(the real ``Engine.ingest``: writer lock, reconciliation, parsing in its reader
process, Chroma writes, lexical index, precomputed tabs), so a kill costs no model
start-up. Each round:

1. a child ingests — the whole corpus into an empty store, or (``--changed`` rounds)
   a corpus where one note was edited, into a store that holds the previous version;
2. it is SIGKILLed after a random delay: within the duration of a clean run, or, every
   other round, counted from the moment its Chroma writes begin and within the time a clean
   run spent writing (the narrow stretch where a crash can leave something to repair);
3. a second child opens the store, reconciles it and checks it *before* any
   re-indexing: manifest, collection and lexical index agree (id sets, not counts),
   every chunk is reachable, and every document holds a whole version (old or new);
4. it re-runs ``ingest`` and compares the live chunk set (ids and texts) with a clean
   run of the same corpus.

    python -m bench.kills --kills 20 --changed 5 --work /tmp/rel-kills
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from assistant.engine import Engine
from assistant.settings import Settings
from vectorstore.encoders import EmbeddingConfig, build_embeddings
from vectorstore.integrity import reconcile

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample"
EDITED = "notes/journee-2.md"


class _PreloadedEngine(Engine):
    """The real engine with the model this process loaded before forking."""

    def __init__(self, settings: Settings, embeddings: Embeddings) -> None:
        super().__init__(settings)
        self._preloaded = embeddings

    @cached_property
    def embeddings(self) -> Embeddings:
        return self._preloaded


class _Embedder:
    """The preloaded model, with ``embed_documents`` replaced to note the time."""

    def __init__(self, embed: Callable[[list[str]], list[list[float]]], model: Any) -> None:
        self.embed_documents = embed
        self._model = model

    def embed_query(self, text: str) -> list[float]:
        return self._model.embed_query(text)


def _alive(pid: int) -> bool:
    return os.waitpid(pid, os.WNOHANG) == (0, 0)


def _in_child(
    job: Callable[[], Any], kill_after: float | None = None, counted_from: Path | None = None
) -> tuple[Any, float]:
    """Run ``job`` in a forked child; return its JSON result and duration. With ``kill_after``,
    SIGKILL it after that many seconds — from its start, or from the moment the file
    ``counted_from`` appears (result ``None`` if it was killed first)."""
    read_end, write_end = os.pipe()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: run, write the result, leave without cleanup
        os.close(read_end)
        code = 0
        try:
            payload = json.dumps(job()).encode()
        except BaseException as exc:  # noqa: BLE001 - reported to the parent as a result
            payload, code = json.dumps({"error": f"{type(exc).__name__}: {exc}"}).encode(), 1
        with os.fdopen(write_end, "wb") as out:
            out.write(payload)
        os._exit(code)
    os.close(write_end)
    if kill_after is not None:
        while counted_from is not None and not counted_from.exists() and _alive(pid):
            time.sleep(0.002)
        deadline = time.perf_counter() + kill_after if counted_from else started + kill_after
        while time.perf_counter() < deadline and _alive(pid):
            time.sleep(0.002)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    with os.fdopen(read_end, "rb") as source:
        data = source.read()
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)
    return (json.loads(data) if data else None), time.perf_counter() - started


@dataclass
class Bench:
    embeddings: Embeddings
    work: Path

    @property
    def marker(self) -> Path:
        """Created by an ingesting child when its Chroma writes begin."""
        return self.work / "ecritures-commencees"

    def engine(self, store: Path) -> Engine:
        return _PreloadedEngine(Settings(store=store, _env_file=None), self.embeddings)

    def ingest(self, corpus: Path, store: Path) -> Callable[[], dict[str, Any]]:
        """Index ``corpus``; the result also says when the writes to Chroma began and ended
        (seconds from the start), so kills can be aimed at them."""

        def job() -> dict[str, Any]:
            started = time.perf_counter()
            engine = self.engine(store)
            marks: dict[str, float] = {}
            embed, write = engine.store.encoder.model.embed_documents, engine.store.write_documents

            def embedded(texts: list[str]) -> list[list[float]]:
                vectors = embed(texts)
                marks["writes_from"] = time.perf_counter() - started  # after the last batch: the writes
                self.marker.touch()
                return vectors

            def written(items: Any, progress: Any = None) -> Any:
                stored = write(items, progress)
                marks["writes_to"] = time.perf_counter() - started
                return stored

            engine.store.encoder.model = _Embedder(embedded, engine.store.encoder.model)  # type: ignore[assignment]
            engine.store.write_documents = written  # type: ignore[method-assign]
            report = engine.ingest([corpus])
            return {"failed": [o.path for o in report.outcomes if o.status == "failed"], **marks}

        return job

    def restart(
        self, store: Path, corpus: Path, versions: dict[str, list[set[str]]]
    ) -> Callable[[], dict[str, Any]]:
        """What the next start does: reconcile and check the store before any re-indexing,
        then run ``ingest`` again and return the final live chunks."""

        def job() -> dict[str, Any]:
            engine = self.engine(store)
            with engine.writer:
                repairs = reconcile(engine.store).lines()
            health = engine.check()
            partial = [
                record.source
                for record in engine.store.documents()
                if set(record.chunk_ids) not in versions.get(record.source, [set(record.chunk_ids)])
            ]
            failed = self.ingest(corpus, store)()["failed"]
            final = self.chunk_set(store)()["chunks"]
            return {"repairs": repairs, "ok": health.ok, "partial": partial, "failed": failed, "final": final}

        return job

    def chunk_set(self, store: Path) -> Callable[[], dict[str, Any]]:
        def job() -> dict[str, Any]:
            chunks = self.engine(store).store.all_chunks()
            per_doc: dict[str, list[str]] = {}
            for chunk in chunks:
                per_doc.setdefault(chunk.source, []).append(chunk.id)
            return {"chunks": sorted([c.id, c.text] for c in chunks), "per_doc": per_doc}

        return job


def make_corpus(work: Path) -> Path:
    """A copy of the sample corpus. Documents are known by their path, so the edited
    version is written over the same file (``edit``), as a person editing it would."""
    corpus = work / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.copytree(SAMPLE, corpus, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return corpus


def edit(corpus: Path) -> None:
    """Edit one session note: a paragraph inserted in the middle, one added at the end."""
    note = corpus / EDITED
    text = (SAMPLE / EDITED).read_text(encoding="utf-8")
    note.write_text(
        text.replace(
            "\n## ", "\n## Ajout\n\nUn paragraphe ajouté après la séance, sur la mobilité.\n\n## ", 1
        )
        + "\n\nDernière mise à jour : un retour du territoire hôte sur le budget.\n",
        encoding="utf-8",
    )


def _kill_delay(timing: dict[str, float], aimed: bool, rng: random.Random) -> float:
    """Anywhere in a run, or (``aimed``) within the stretch it wrote to Chroma, counted from
    the moment the writes began."""
    if aimed and "writes_from" in timing:
        return rng.uniform(0.0, timing["writes_to"] - timing["writes_from"])
    return rng.uniform(0.0, timing["seconds"])


def _round(bench: Bench, n: int, changed: bool, refs: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """One kill. A run that finishes before its kill is not a kill: the round starts over
    with timings taken from that (faster) run, up to five times."""
    store = bench.work / f"store-{n:02d}"
    corpus, reference = refs["corpus"], refs["edited_set"] if changed else refs["set"]
    timing = refs["changed"] if changed else refs["full"]
    for _ in range(5):
        shutil.rmtree(store, ignore_errors=True)
        if changed:
            shutil.copytree(refs["store"], store)
        aimed = bool(n % 2)
        delay = _kill_delay(timing, aimed, rng)
        bench.marker.unlink(missing_ok=True)
        job = bench.ingest(corpus, store)
        finished, took = _in_child(job, kill_after=delay, counted_from=bench.marker if aimed else None)
        if finished is None:
            break
        timing = {**finished, "seconds": took}
    after, _ = _in_child(bench.restart(store, corpus, refs["versions"]))
    return {
        "round": n,
        "changed": changed,
        "delay": round(delay, 2),
        "aimed": aimed,
        "finished_before_kill": finished is not None,
        "repairs": after.get("repairs", []),
        "consistent": bool(after.get("ok")) and not after.get("partial"),
        "partial": after.get("partial") or after.get("error", []),
        "identical": not after.get("failed", True) and after.get("final") == reference,
    }


def references(bench: Bench, corpus: Path) -> dict[str, Any]:
    """Clean runs: chunk sets of the corpus before and after the edit, the duration of a
    full indexing and of re-indexing the edit, and each document's versions. Leaves the
    corpus unedited."""
    clean, edited_clean, snapshot, timing = (
        bench.work / name for name in ("clean", "clean-edited", "snapshot", "timing-changed")
    )
    for store in (clean, edited_clean, snapshot, timing):
        shutil.rmtree(store, ignore_errors=True)
    full, seconds = _in_child(bench.ingest(corpus, clean))
    first, _ = _in_child(bench.chunk_set(clean))
    shutil.copytree(clean, snapshot)
    shutil.copytree(clean, timing)
    edit(corpus)
    changed, changed_seconds = _in_child(bench.ingest(corpus, timing))
    _, _ = _in_child(bench.ingest(corpus, edited_clean))
    second, _ = _in_child(bench.chunk_set(edited_clean))
    shutil.copy2(SAMPLE / EDITED, corpus / EDITED)
    versions: dict[str, list[set[str]]] = {}
    for per_doc in (first["per_doc"], second["per_doc"]):
        for source, ids in per_doc.items():
            versions.setdefault(source, []).append(set(ids))
    return {
        "corpus": corpus,
        "store": snapshot,
        "set": first["chunks"],
        "edited_set": second["chunks"],
        "full": {**full, "seconds": seconds},
        "changed": {**changed, "seconds": changed_seconds},
        "versions": versions,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--changed", type=int, default=5, help="rounds that kill the re-indexing of an edit")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, default=Path("/tmp/rel-kills"))
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    # Built here, loaded in each child on first use (OpenMP's threads do not survive a fork);
    # the machine's vector cache makes every child after the first embed nothing.
    embeddings = build_embeddings(EmbeddingConfig(cache_dir=args.work / "vector-cache"))
    bench = Bench(embeddings, args.work)
    refs = references(bench, make_corpus(args.work))
    rng = random.Random(args.seed)
    plan = [n >= args.kills - args.changed for n in range(args.kills)]
    rounds = []
    for n, changed in enumerate(plan):
        if changed and not plan[n - 1]:
            edit(refs["corpus"])  # from here on, the rounds re-index the edited note
        rounds.append(_round(bench, n, changed, refs, rng))
    for r in rounds:
        kind = "réindexation d'un fichier modifié" if r["changed"] else "indexation complète"
        repaired = "; ".join(r["repairs"]) or "rien à réparer"
        when = f"{r['delay']:5.2f} s après le début des écritures" if r["aimed"] else f"{r['delay']:5.2f} s"
        print(f"kill {r['round'] + 1:2d} à {when} ({kind}) : {repaired}"
              + (" [fini avant le kill]" if r["finished_before_kill"] else ""))  # fmt: skip
    consistent = sum(r["consistent"] for r in rounds)
    identical = sum(r["identical"] for r in rounds)
    print("\n| kills | during re-indexing of a changed file | consistent after restart "
          "| identical to a clean run | clean run | clean re-index | median kill delay |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    print(f"| {len(rounds)} ({sum(bool(r['repairs']) for r in rounds)} needed repairs) | {sum(plan)} | "
          f"{consistent}/{len(rounds)} | {identical}/{len(rounds)} | "
          f"{refs['full']['seconds']:.1f} s | {refs['changed']['seconds']:.1f} s | "
          f"{statistics.median(r['delay'] for r in rounds):.2f} s |")  # fmt: skip
    for r in rounds:
        if not (r["consistent"] and r["identical"]):
            print(f"  round {r['round'] + 1}: consistent={r['consistent']} "
                  f"identical={r['identical']} {r['partial']}")  # fmt: skip
    return 0 if consistent == identical == len(rounds) else 1


if __name__ == "__main__":
    sys.exit(main())
