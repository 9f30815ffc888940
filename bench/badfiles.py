"""Hand-made bad files, one per class of trouble a shared folder brings, and the outcomes
each may end in: made by ``tests/badfiles.py`` (the tests' own generator; the benchmark
depends on the tests' helpers, never the other way round), written here to try by hand.

    python -m bench.badfiles --out /tmp/mauvais   # write them, to try by hand
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tests.badfiles import (
    INDEXED,
    LIMITS,
    BadFile,
    Limits,
    good_pdf,
    make_bad_files,
    minimal_pdf,
    text_content,
)

__all__ = [
    "INDEXED",
    "LIMITS",
    "BadFile",
    "Limits",
    "good_pdf",
    "make_bad_files",
    "minimal_pdf",
    "text_content",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    for bad in make_bad_files(parser.parse_args().out):
        print(f"{bad.path}  ->  {' | '.join(sorted(bad.accepted))}")


if __name__ == "__main__":
    main()
