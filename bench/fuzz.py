"""Hostile files through the real CLI: the hand-made bad-file classes and seeded fuzzed PDFs.

Each set is indexed by ``python -m assistant ingest FILES --json`` in a subprocess, under
the small reading limits of ``bench.badfiles.LIMITS``. Counted per set: crashes (the CLI
ending other than 0 or 1, or a file missing from its report), hangs (a file read for
longer than the time limit plus a margin), tracebacks shown (on stdout or stderr),
failures without a reason from the closed list, and — for the bad-file classes — any
outcome other than the ones the class allows.

    python -m bench.fuzz --fuzzed 500 --seed 2026 --work /tmp/rel-hostile
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.badfiles import LIMITS, BadFile, good_pdf, make_bad_files, minimal_pdf, text_content
from ingest.errors import Reason

ROOT = Path(__file__).resolve().parents[1]
HANG_MARGIN = 5.0  # seconds past the time limit still counted as "stopped at the limit"
CODES = {reason.value for reason in Reason}

# -- fuzzing ---------------------------------------------------------------------


def base_pdfs() -> list[bytes]:
    """Small valid PDFs to mutate: plain, compressed, several pages."""
    lines = [f"Ligne {n} du compte rendu de la journee {n % 4 + 1}." for n in range(30)]
    return [
        good_pdf(),
        minimal_pdf([text_content(lines[:15]), text_content(lines[15:])], compress=[True, True]),
        minimal_pdf([text_content(lines[n : n + 5]) for n in range(0, 30, 5)]),
    ]


def _flip(data: bytearray, rng: random.Random) -> None:
    for _ in range(rng.randint(1, 64)):
        data[rng.randrange(len(data))] = rng.randrange(256)


def _truncate(data: bytearray, rng: random.Random) -> None:
    del data[rng.randrange(1, len(data)) :]


def _delete(data: bytearray, rng: random.Random) -> None:
    start = rng.randrange(len(data))
    del data[start : start + rng.randint(1, 400)]


def _duplicate(data: bytearray, rng: random.Random) -> None:
    start = rng.randrange(len(data))
    piece = data[start : start + rng.randint(1, 400)]
    at = rng.randrange(len(data))
    data[at:at] = piece * rng.randint(1, 50)


def _junk(data: bytearray, rng: random.Random) -> None:
    at = rng.randrange(len(data))
    data[at:at] = rng.randbytes(rng.randint(1, 2000))


def _numbers(data: bytearray, rng: random.Random) -> None:
    """Rewrite numbers: offsets, lengths, counts and object numbers drive a PDF parser."""
    digits = [n for n, byte in enumerate(data) if 48 <= byte <= 57]
    for _ in range(rng.randint(1, 20)):
        data[rng.choice(digits)] = rng.choice(b"0123456789")
    if rng.random() < 0.3:
        at = rng.choice(digits)
        data[at:at] = str(rng.choice([0, -1, 2**31, 10**12, 99999])).encode()


MUTATIONS: Sequence[Callable[[bytearray, random.Random], None]] = (
    _flip,
    _truncate,
    _delete,
    _duplicate,
    _junk,
    _numbers,
)


def fuzzed_pdfs(folder: Path, count: int, seed: int) -> list[Path]:
    """``count`` mutants of the base PDFs, each from its own seed (``seed + n``): any one can be
    made again alone."""
    folder.mkdir(parents=True, exist_ok=True)
    bases = base_pdfs()
    paths = []
    for n in range(count):
        rng = random.Random(seed + n)
        data = bytearray(rng.choice(bases))
        for _ in range(rng.randint(1, 3)):
            rng.choice(MUTATIONS)(data, rng)
            if not data:
                data = bytearray(b"%PDF-")
        path = folder / f"fuzz-{seed + n:06d}.pdf"
        path.write_bytes(bytes(data))
        paths.append(path)
    return paths


# -- running and counting -----------------------------------------------------------


@dataclass
class SetResult:
    """What one set of files became."""

    name: str
    files: int
    wall_seconds: float
    exit_code: int
    outcomes: list[dict] = field(default_factory=list)
    tracebacks: int = 0
    unexpected: list[str] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return self.files - len(self.outcomes)

    @property
    def crashes(self) -> int:
        return self.missing + (0 if self.exit_code in (0, 1) else 1)

    @property
    def hangs(self) -> list[str]:
        limit = LIMITS.time_limit + HANG_MARGIN
        return [o["path"] for o in self.outcomes if o.get("seconds", 0) > limit]

    @property
    def without_reason(self) -> list[str]:
        return [
            o["path"]
            for o in self.outcomes
            if o["status"] == "failed" and (not o["reason"] or o.get("code") not in CODES)
        ]

    @property
    def ok(self) -> bool:
        return not (self.crashes or self.hangs or self.tracebacks or self.without_reason or self.unexpected)

    def codes(self) -> Counter[str]:
        return Counter(o.get("code") or o["status"] for o in self.outcomes)


def ingest_with_cli(paths: Sequence[Path], store: Path, name: str) -> SetResult:
    """``python -m assistant ingest PATHS --json`` under the bad-file limits."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env |= LIMITS.environment() | {"ASSISTANT_STORE": str(store), "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "assistant", "ingest", *map(str, paths), "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    result = SetResult(name, len(paths), time.perf_counter() - started, run.returncode)
    result.tracebacks = (run.stdout + run.stderr).count("Traceback")
    try:
        result.outcomes = json.loads(run.stdout)["files"]
    except (json.JSONDecodeError, KeyError):
        result.unexpected.append(f"sortie illisible : {run.stderr.strip()[-300:]}")
    return result


def check_classes(result: SetResult, bad_files: Sequence[BadFile]) -> None:
    """Record every class whose outcome is not one it allows."""
    by_name = {Path(o["path"]).name: o for o in result.outcomes}
    for bad in bad_files:
        outcome = by_name.get(bad.name)
        if outcome is None:
            continue
        got = outcome.get("code") or outcome["status"]
        if got not in bad.accepted or outcome.get("empty_pages", 0) != bad.empty_pages:
            result.unexpected.append(f"{bad.name}: {got} ({outcome['reason']})")


def table(results: Sequence[SetResult]) -> str:
    head = "| set | files | indexed | failed (by reason) | crashes | hangs | tracebacks | no reason | wall |"
    lines = [head, "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        codes = r.codes()
        indexed = codes.pop("indexed", 0)
        reasons = ", ".join(f"{code} {n}" for code, n in sorted(codes.items()))
        lines.append(
            f"| {r.name} | {r.files} | {indexed} | {sum(codes.values())} ({reasons}) | {r.crashes} | "
            f"{len(r.hangs)} | {r.tracebacks} | {len(r.without_reason)} | {r.wall_seconds:.0f} s |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fuzzed", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--work", type=Path, default=Path("/tmp/rel-hostile"))
    args = parser.parse_args(argv)
    bad_files = make_bad_files(args.work / "classes")
    classes = ingest_with_cli([bad.path for bad in bad_files], args.work / "store-classes", "classes")
    check_classes(classes, bad_files)
    fuzzed = fuzzed_pdfs(args.work / "fuzzed", args.fuzzed, args.seed)
    fuzz = ingest_with_cli(fuzzed, args.work / "store-fuzz", f"fuzzed (seed {args.seed})")
    print(table([classes, fuzz]))
    for result in (classes, fuzz):
        for line in result.unexpected + [f"hang: {p}" for p in result.hangs] + result.without_reason:
            print(f"  {result.name}: {line}")
    return 0 if classes.ok and fuzz.ok else 1


if __name__ == "__main__":
    sys.exit(main())
