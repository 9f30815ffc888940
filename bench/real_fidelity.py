"""How faithfully the two real designed reports of ``../shared/realpdf/`` are read, by our reader
and by the naive loader (PyPDFLoader, 1000/200 splitter), against the PDF's own text layer and
against what a person reads on its pages (tests/data/realpdf/*_expectations.json).

    python -m bench.real_fidelity [--realpdf DIR] [--check]

Prints one JSON object per report and reader (``--check``: only checks that every expected
sentence, heading, running text and note call is printed in the text layer). Tokens are NFKC,
casefolded runs of letters and digits: « d’échange » gives « d » and « échange »,
« sous-stations » gives « sous » and « stations ».

- text layer: every word pdfplumber's ``extract_words`` finds on every page, with the font size
  as an attribute, so that a note call printed smaller is a word of its own (« logements3 »
  gives « logements » and « 3 »; nothing is stripped), rotated lines read along their
  direction; and pdfium's text of each page, which marks a hyphen ending a line (\\x02): the
  words cut at a line end (« sous- » + « stations »).
- word coverage: share of the text layer's distinct (token, page) pairs, the running texts and
  the page number taken out, whose token is a token of some passage (its text or its section
  path); a piece of a word cut at a line end also counts as found when a passage holds the
  joined word. Up to 20 missing pairs are listed.
- key sentences whole: whitespace-normalised (and NFKC) substring of one passage whose pages
  hold the sentence's page (page_start <= page <= page_end; the naive loader's page is its
  document's).
- fragments: tokens of the passages that no word of the text layer gives and that are no join
  of a word cut at a line end (a broken or glued word, a note call glued to its word), then
  each word cut at a line end that a passage leaves in two pieces (« sous stations »,
  « sous- stations »). Target 0.
- running leaks: passages holding one of the running texts.
- headings found: expected headings inside the section path of a passage of their page or the
  next (both casefolded, whitespace removed); the naive loader has no sections.
- note calls glued: occurrences of a note-call word directly followed by a digit.
- private use: characters U+E000–U+F8FF (Wingdings bullets…) left in the passages.
- seconds: reading and cutting into passages, in this process.
"""

from __future__ import annotations

import argparse
import json
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.designed.fidelity import Passage, flat

ROOT = Path(__file__).resolve().parents[1]
EXPECTATIONS = ROOT / "tests" / "data" / "realpdf"
REPORTS = {  # ../shared/realpdf/ (never copied into the project) -> its expectations
    "cerema-raccordement-coproprietes.pdf": "cerema_expectations.json",
    "fcu-dossier-presse.pdf": "fcu_expectations.json",
}
_TOKEN = re.compile(r"[^\W_]+")
_CUT = re.compile(r"([^\W_]+)\x02([^\W_]+)")  # pdfium's mark of a hyphen ending a line
_PRIVATE = re.compile("[\ue000-\uf8ff]")
_SHOWN = 20
_ROTATED = {  # how pdfplumber reads characters written upwards (True) and downwards
    True: {"char_dir_rotated": "btt", "line_dir_rotated": "ltr"},
    False: {"char_dir_rotated": "ttb", "line_dir_rotated": "rtl"},
}

Join = tuple[str, str, int]  # a word cut at a line end: first piece, second piece, page


def normal(text: str) -> str:
    """NFKC and casefolded: how both sides are compared."""
    return unicodedata.normalize("NFKC", text).casefold()


def tokens(text: str) -> list[str]:
    """The tokens of ``text``: casefolded runs of letters and digits."""
    return _TOKEN.findall(normal(text))


@dataclass(frozen=True)
class RealExpectations:
    """What a person reads on the pages of one report; pages are the PDF's, from 1."""

    key_sentences: tuple[tuple[str, int], ...]
    headings: tuple[tuple[str, int], ...]
    running_texts: tuple[str, ...]
    note_calls: tuple[tuple[str, int], ...]  # words printed with a note call after them

    @classmethod
    def load(cls, path: Path) -> RealExpectations:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            key_sentences=tuple((text, page) for text, page in data["key_sentences"]),
            headings=tuple((text, page) for text, page in data["headings"]),
            running_texts=tuple(data["running_texts"]),
            note_calls=tuple((word, page) for word, page in data["note_calls"]),
        )


@dataclass(frozen=True)
class TextLayer:
    """The words a PDF writes, page by page."""

    words: tuple[tuple[str, int], ...]  # (token, page) of pdfplumber's words, repeats kept
    joins: tuple[Join, ...] = ()
    pages: tuple[str, ...] = ()  # pdfium's text of each page, line-end hyphens marked \x02

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every token a passage may rightly hold: the words' tokens and the joined cut words."""
        joined = {first + second for first, second, _ in self.joins}
        return frozenset(token for token, _ in self.words) | joined


@dataclass(frozen=True)
class RealFidelity:
    """What one reader makes of one report."""

    file: str
    reader: str
    passages: int
    seconds: float
    words_found: int
    words: int
    missing: tuple[tuple[str, int], ...]  # the first 20 (token, page) no passage holds
    sentences_whole: int
    sentences: int
    broken: tuple[tuple[str, int, str], ...]  # (sentence, page, what the passages have instead)
    fragments: tuple[str, ...]
    running_leaks: int
    headings_found: int
    headings: int
    headings_missing: tuple[str, ...]
    note_calls_glued: int
    private_use: int

    @property
    def coverage(self) -> float:
        return self.words_found / self.words if self.words else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "fichier": self.file,
            "lecteur": self.reader,
            "passages": self.passages,
            "secondes (lecture et découpage)": round(self.seconds, 2),
            "couverture des mots": round(self.coverage, 4),
            "mots": f"{self.words_found}/{self.words}",
            "mots absents (page)": [f"{word} ({page})" for word, page in self.missing],
            "phrases clés entières sur leur page": f"{self.sentences_whole}/{self.sentences}",
            "phrases clés non entières": [
                {"phrase": text, "page": page, "à la place": instead} for text, page, instead in self.broken
            ],
            "fragments de mots": len(self.fragments),
            "exemples de fragments": list(self.fragments[:_SHOWN]),
            "passages avec en-tête ou pied courant": self.running_leaks,
            "titres retrouvés dans les sections": f"{self.headings_found}/{self.headings}",
            "titres absents": list(self.headings_missing),
            "appels de note collés": self.note_calls_glued,
            "caractères d'usage privé": self.private_use,
        }


def score(
    file: str,
    reader: str,
    passages: list[Passage],
    layer: TextLayer,
    expected: RealExpectations,
    *,
    seconds: float = 0.0,
) -> RealFidelity:
    """The fidelity of ``passages`` (any reader's) to the text layer and the expectations."""
    texts = [normal(flat(passage.text)) for passage in passages]
    held = {token for passage in passages for token in tokens(f"{passage.section} {passage.text}")}
    missing = missing_words(layer, held, expected.running_texts)
    broken = [(text, page, instead(text, page, passages)) for text, page in expected.key_sentences]
    broken = [item for item in broken if item[2]]
    headings_missing = [text for text, page in expected.headings if not in_sections(text, page, passages)]
    running = [normal(flat(text)) for text in expected.running_texts]
    calls = [_glued(word) for word, _ in expected.note_calls]
    words = len(body_words(layer, expected.running_texts))
    return RealFidelity(
        file=file,
        reader=reader,
        passages=len(passages),
        seconds=seconds,
        words_found=words - len(missing),
        words=words,
        missing=tuple(missing[:_SHOWN]),
        sentences_whole=len(expected.key_sentences) - len(broken),
        sentences=len(expected.key_sentences),
        broken=tuple(broken),
        fragments=fragments(texts, layer),
        running_leaks=sum(any(line in text for line in running) for text in texts),
        headings_found=len(expected.headings) - len(headings_missing),
        headings=len(expected.headings),
        headings_missing=tuple(headings_missing),
        note_calls_glued=sum(len(call.findall(text)) for call in calls for text in texts),
        private_use=sum(len(_PRIVATE.findall(passage.text)) for passage in passages),
    )


def body_words(layer: TextLayer, running: tuple[str, ...]) -> set[tuple[str, int]]:
    """The text layer's distinct (token, page), once the running texts and the page number are
    taken out of each page that prints them (a token they share with the body stays)."""
    counts = Counter(layer.words)
    for page, text in enumerate(layer.pages, 1):
        printed = [line for line in running if _skeleton(line) in _skeleton(text)]
        if str(page) in (line.strip() for line in text.splitlines()):
            printed.append(str(page))
        counts.subtract((token, page) for line in printed for token in tokens(line))
    return {unit for unit, count in counts.items() if count > 0}


def missing_words(layer: TextLayer, held: set[str], running: tuple[str, ...]) -> list[tuple[str, int]]:
    """The body's (token, page) whose token no passage holds, page by page; a piece of a word
    cut at a line end is held when the joined word is."""
    joined: dict[tuple[str, int], set[str]] = {}
    for first, second, page in layer.joins:
        for piece in (first, second):
            joined.setdefault((piece, page), set()).add(first + second)
    units = sorted(body_words(layer, running), key=lambda unit: (unit[1], unit[0]))
    return [unit for unit in units if unit[0] not in held and not joined.get(unit, set()) & held]


def fragments(texts: list[str], layer: TextLayer) -> tuple[str, ...]:
    """Tokens of the (normalised) passages that the text layer never gives, then the words cut
    at a line end that a passage leaves in two pieces."""
    foreign = sorted({token for text in texts for token in tokens(text)} - layer.vocabulary)
    split = []
    for first, second, _ in sorted(set(layer.joins)):
        pattern = re.compile(rf"(?<![^\W_]){re.escape(first)}-?\s+{re.escape(second)}(?![^\W_])")
        split += [match.group() for text in texts for match in pattern.finditer(text)]
    return (*foreign, *split)


def _glued(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![^\W_]){re.escape(normal(word))}\d")


def _on_pages(passage: Passage, first: int, last: int) -> bool:
    """Whether the passage's pages meet ``first``..``last`` (no pages: everywhere)."""
    start = passage.page_start if passage.page_start is not None else first
    end = passage.page_end if passage.page_end is not None else start
    return start <= last and first <= end


def instead(sentence: str, page: int, passages: list[Passage]) -> str:
    """Empty when ``sentence`` is whole in one passage of its page; otherwise, briefly, what
    the passages have instead: where the longest start of it found stops, and what follows."""
    wanted = normal(flat(sentence))
    texts = [(passage, normal(flat(passage.text))) for passage in passages]
    holders = [passage for passage, text in texts if wanted in text]
    if any(_on_pages(passage, page, page) for passage in holders):
        return ""
    if holders:
        spans = ", ".join(sorted({f"{p.page_start}–{p.page_end}" for p in holders}))
        return f"entière, mais dans un passage des pages {spans}"
    words = wanted.split(" ")
    for size in range(len(words) - 1, 0, -1):
        start = " ".join(words[:size])
        holder = next((text for _, text in texts if start in text), None)
        if holder is not None:
            after = holder[holder.index(start) + len(start) :][:70]
            return f"…{start[-50:]} ⟨{after + '…' if after.strip() else 'fin du passage'}⟩"
    return "début introuvable"


def in_sections(heading: str, page: int, passages: list[Passage]) -> bool:
    """Whether a passage of the heading's page or the next has it in its section path."""
    wanted = "".join(normal(heading).split())
    return any(
        wanted in "".join(normal(passage.section).split()) and _on_pages(passage, page, page + 1)
        for passage in passages
    )


def read_text_layer(pdf: Path) -> TextLayer:
    """The words of ``pdf`` as pdfplumber finds them, and pdfium's text of each page."""
    import pdfplumber
    import pypdfium2

    words = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, 1):
            words += [(token, number) for word in _page_words(page) for token in tokens(word)]
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        pages = tuple(page.get_textpage().get_text_bounded() for page in document)
    finally:
        document.close()
    joins = tuple(
        (first, second, number)
        for number, text in enumerate(pages, 1)
        for first, second in _CUT.findall(normal(text))
    )
    return TextLayer(words=tuple(words), joins=joins, pages=pages)


def _page_words(page: Any) -> list[str]:
    """pdfplumber's words of a page: a change of size ends a word (a note call is a word of its
    own); rotated characters are read along their lines (pdfplumber gives them no true size)."""
    upright = page.filter(lambda obj: obj.get("object_type") != "char" or obj.get("upright", True))
    found = [word["text"] for word in upright.extract_words(extra_attrs=["size"])]
    for rising, directions in _ROTATED.items():
        turned = page.filter(lambda obj, rising=rising: _turned(obj, rising))
        found += [word["text"] for word in turned.extract_words(**directions)]
    return found


def _turned(obj: dict[str, Any], rising: bool) -> bool:
    """A character written upwards (``rising``) or downwards."""
    return (
        obj.get("object_type") == "char" and not obj.get("upright", True) and (obj["matrix"][1] > 0) == rising
    )


def check(layer: TextLayer, expected: RealExpectations) -> list[str]:
    """What the expectations say that the text layer does not print: each key sentence must
    start on its page and be found there and on the next page in at most three pieces (a
    footnote, a footer or a page break between them), each of its tokens a token of those
    pages; each heading on its page, each running text somewhere, each note call after its
    word on its page. Spaces, hyphens, bullets and note calls are set aside to compare."""
    skeletons = [_skeleton(_without_calls(text, page, expected)) for page, text in enumerate(layer.pages, 1)]
    page_tokens: dict[int, set[str]] = {}
    for token, page in layer.words:
        page_tokens.setdefault(page, set()).add(token)
    problems = []
    for text, page in expected.key_sentences:
        near = page_tokens.get(page, set()) | page_tokens.get(page + 1, set())
        strays = sorted(set(tokens(text)) - near - layer.vocabulary)
        found = _pieces(_skeleton(text), skeletons[page - 1], "".join(skeletons[page - 1 : page + 1]))
        if strays or not found:
            problems.append(f"phrase p. {page} introuvable{f' {strays}' if strays else ''} : {text}")
    problems += [f"titre p. {page} introuvable : {text}" for text, page in expected.headings
                 if _skeleton(text) not in skeletons[page - 1]]  # fmt: skip
    problems += [f"texte courant introuvable : {text}" for text in expected.running_texts
                 if not any(_skeleton(text) in skeleton for skeleton in skeletons)]  # fmt: skip
    problems += [f"appel de note p. {page} introuvable : {word}" for word, page in expected.note_calls
                 if not _glued(word).search(normal(layer.pages[page - 1]))]  # fmt: skip
    return problems


def _skeleton(text: str) -> str:
    return re.sub(r"[\s\-\x02\ue000-\uf8ff]+", "", unicodedata.normalize("NFKC", text))


def _without_calls(text: str, page: int, expected: RealExpectations) -> str:
    for word, call_page in expected.note_calls:
        if call_page == page:
            text = re.sub(rf"({re.escape(word)})\d+", r"\1", text)
    return text


def _pieces(sentence: str, first_page: str, pages: str, most: int = 3, shortest: int = 20) -> bool:
    """Whether ``sentence`` starts in ``first_page`` and is found in ``pages`` in at most
    ``most`` pieces in order, each but the last at least ``shortest`` characters long."""
    position, rest = 0, sentence
    for piece in range(most):
        size = len(rest)
        while size and rest[:size] not in pages[position:]:
            size -= 1
        if size < min(shortest, len(rest)) or (piece == 0 and rest[:size] not in first_page):
            return False
        position = pages.index(rest[:size], position) + size
        rest = rest[size:]
        if not rest:
            return True
    return False


def ours(pdf: Path) -> tuple[list[Passage], float]:
    """The passages indexing makes of ``pdf`` (its loader, then its chunking), and the time."""
    from ingest.chunking import chunk_document
    from ingest.pipeline import load_document

    started = time.perf_counter()
    chunks = chunk_document(load_document(pdf), "real")
    seconds = time.perf_counter() - started
    return [Passage(c.text, c.section, None, c.page_start, c.page_end) for c in chunks], seconds


def naive(pdf: Path) -> tuple[list[Passage], float]:
    """The naive pipeline's passages (PyPDFLoader, 1000/200 splitter), each on its page."""
    from langchain_community.document_loaders import PyPDFLoader
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    started = time.perf_counter()
    pages = PyPDFLoader(str(pdf)).load()
    pieces = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(pages)
    seconds = time.perf_counter() - started
    return [Passage(p.page_content, "", None, *[p.metadata["page"] + 1] * 2) for p in pieces], seconds


READERS: dict[str, Callable[[Path], tuple[list[Passage], float]]] = {"ours": ours, "naive": naive}


def measure(pdf: Path, expected: RealExpectations) -> list[RealFidelity]:
    """Both readers of ``pdf`` scored: ours first, then the naive loader."""
    layer = read_text_layer(pdf)
    rows = []
    for name, reader in READERS.items():
        passages, seconds = reader(pdf)
        rows.append(score(pdf.name, name, passages, layer, expected, seconds=seconds))
    return rows


def expectations(pdf_name: str) -> RealExpectations:
    """The expectations of one of the ``REPORTS``."""
    return RealExpectations.load(EXPECTATIONS / REPORTS[pdf_name])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--realpdf", type=Path, default=ROOT.parent / "shared" / "realpdf")
    parser.add_argument("--check", action="store_true", help="only check the expectations against the PDFs")
    args = parser.parse_args(argv)
    absent = [name for name in REPORTS if not (args.realpdf / name).is_file()]
    if absent:
        parser.exit(2, f"introuvable dans {args.realpdf} : {', '.join(absent)}\n")
    if args.check:
        layers = {name: read_text_layer(args.realpdf / name) for name in REPORTS}
        problems = [
            f"{name} : {problem}" for name in REPORTS for problem in check(layers[name], expectations(name))
        ]
        print("\n".join(problems) or "attentes conformes à la couche texte")
        return 1 if problems else 0
    rows = [row for name in REPORTS for row in measure(args.realpdf / name, expectations(name))]
    print(json.dumps([row.to_dict() for row in rows], ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
