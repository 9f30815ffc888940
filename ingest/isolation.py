"""Reading a file in a child process, with a time limit.

A PDF can make a parser loop or crawl (a page with millions of operators, a
cyclic structure). The file is read in a forked child; if it has not answered
within the limit, the child is killed and the file fails with a one-line reason.
Nothing has been written by then, so the store is untouched.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ingest.document import ParsedDocument
from ingest.errors import IngestError

Loader = Callable[[Path], ParsedDocument]


def _child(loader: Loader, path: Path, connection: Any) -> None:
    try:
        connection.send(("ok", loader(path)))
    except IngestError as exc:  # the loaders turn every other failure into one
        connection.send(("error", str(exc)))
    finally:
        connection.close()


def load_with_time_limit(loader: Loader, path: Path, seconds: float) -> ParsedDocument:
    """``loader(path)`` in a child process; an IngestError if it takes over ``seconds``."""
    if seconds <= 0:
        return loader(path)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(loader, path, sender), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise IngestError(
                f"lecture interrompue après {seconds:g} s (fichier trop lourd ou qui fait boucler "
                "l'analyseur ; voir ASSISTANT_INGEST_TIMEOUT)"
            )
        status, value = receiver.recv()
    except EOFError as exc:
        raise IngestError("la lecture du fichier a fait échouer l'analyseur (processus arrêté)") from exc
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    if status == "error":
        raise IngestError(value)
    return value
