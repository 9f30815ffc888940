"""``python -m bilan COMMANDE``: every command of ``assistant.cli``, ``serve`` included."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from assistant.cli import main as cli_main

if TYPE_CHECKING:
    from assistant.engine import Engine


def serve(engine: Engine, host: str, port: int) -> None:
    """The web app (``ui.app.serve``), imported only when it is started: Gradio takes
    seconds to import, and the other commands do not need it."""
    from ui.app import serve as serve_app

    serve_app(engine, host=host, port=port)


def main(argv: Sequence[str] | None = None) -> int:
    return cli_main(argv, serve=serve)


if __name__ == "__main__":
    sys.exit(main())
