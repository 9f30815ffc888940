"""Pictures of the passage a citation quotes: the part of its PDF page where the passage lies.

The page's words (pdfplumber, measured, as ``pdf.py`` reads them) are put in reading order
with the column finder of ``columns.py``; the passage's words are matched to them in order
(``difflib``), accents, case, ligatures and punctuation aside, and a word cut at a line end
(« maté- » + « riel ») matched whole. The crop spans the whole width of the column (or of
the page's text) where the passage lies, from a little above its first line to a little
below its last, at most ``MAX_HEIGHT`` points tall (its start is kept). A passage that
cannot be found gives the top of the page instead, said so by ``PassageCrop.located``.

Resolution: the chat shows a crop at most about 600 CSS pixels wide, and a full-width
crop of an A4 report is about 520 points: 1.15 CSS pixels a point, so an 11 pt body
line is a 13 px line (x-height about 6.5 px), the smallest comfortable reading size.
Twice that many device pixels keep it sharp on high-density screens: crops are
rendered at ``CROP_ZOOM`` = 2.5 (180 dpi), and ``display_size`` halves it for the page
(1.25 CSS pixels a point). The full page, opened in its own tab, is rendered at
``VIEW_ZOOM`` = 2 (144 dpi: 1191 x 1684 pixels for A4, about 200 kB).

Files are cached in the store's pages folder, named by the PDF's content hash, the page,
a hash of the passage and of the render parameters: a repeated question renders nothing.
The regions shown are kept inside the PNG (a text chunk), so a cached crop still says them.
A passage that goes on in the next column is shown in two parts, one under the other.

A hostile PDF must not hang or crash the app: the reading and rendering run in a child
process (``IsolatedReader``: a time limit and a memory cap, killed when it overruns),
started on first use and reused; any failure is a ``PictureError``. A page whose crop
failed (a page too heavy to render in time, a damaged file) is remembered for
``FAILURE_MEMORY`` seconds, by file, content hash and page: the next answers citing it show
their passage without a picture at once, instead of trying again. One crop of a page is
made at a time (a second request for it finds it made, or failed); crops of other pages
go on beside it, up to ``READERS`` children at once.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import statistics
import threading
import time
import unicodedata
import weakref
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, cast

from ingest.cleanup import normalize_glyphs
from ingest.columns import reading_regions
from ingest.errors import IngestError, Reason
from ingest.isolation import IsolatedReader

CROP_ZOOM = 2.5  # 180 dpi: see the module's docstring
VIEW_ZOOM = 2.0  # 144 dpi for the whole page
MAX_HEIGHT = 360.0  # points: about 25 lines of an 11 pt body
PAD_EMS = 0.9  # room above the first line and below the last, in ems of the text size
SIDE_PAD = 6.0  # points left and right of the column
NARROW = 0.2  # a region narrower than this share of the text's width is widened (3 columns are wider)
TIME_LIMIT = 20.0  # seconds for one crop (reading the page and rendering)
MEMORY_MB = 1536  # address space of the child that renders
READERS = 2  # children rendering at once: a page too slow to render leaves another for the rest
FAILURE_MEMORY = 3600.0  # seconds a page whose crop failed is not tried again
_FAILURES_KEPT = 1024  # pages remembered as failed, the oldest forgotten first
_VERSION = 3  # bump when the locating or the rendering changes: new file names
_TOKEN = re.compile(r"[^\W_]+")
_HYPHENS = ("-", "\u00ad", "\u2010", "\u2011")
_KEY = "passage-region"  # the PNG text chunk holding the region
_LABEL = re.compile(r"(?:^|(?<=[.!?…])\s+)([^\s:.!?…][^:.!?…]{0,60}?)\s:\s")  # « Territoire : »
_LABEL_WORDS = 5  # longest column name
_RUN = 3  # tokens in a row that make a match a passage's own
_EXACT = 6  # a piece this short is also looked for at each place it is written whole
_ANCHORS = 12  # places tried for the passage's longest piece
_NEAR_LINES = 2.5  # how far (in ems) another piece may stand from those placed
_COVERAGE = 0.25  # share of the passage's tokens that must be found


class PictureError(IngestError):
    """A passage picture that could not be made (file gone, not a PDF, no such page, a
    reader that failed or overran its time): the card shows its passage without it."""


@dataclass(frozen=True)
class Region:
    """A rectangle of the page in points, origin at the top left (pdfplumber's)."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def contains(self, x0: float, top: float, x1: float, bottom: float) -> bool:
        return self.x0 <= x0 and self.top <= top and x1 <= self.x1 and bottom <= self.bottom


@dataclass(frozen=True)
class PassageCrop:
    crop: Path  # PNG of the passage's region
    page_image: Path  # PNG of the whole page
    page: int
    regions: tuple[Region, ...]  # the parts of the page shown, one under the other
    located: bool  # False: the passage was not found, the crop is the top of the page
    width: int  # the crop's pixels
    height: int

    @property
    def display_size(self) -> tuple[int, int]:
        """The crop's size in CSS pixels (half its pixels: sharp on high-density screens)."""
        return max(1, round(self.width / 2)), max(1, round(self.height / 2))


@dataclass(frozen=True)
class Word:
    """A measured word; ``x``, ``y``, ``end`` and ``size`` make it a piece for ``columns.py``
    (``y``: the baseline's distance from the page bottom)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    page_height: float

    @property
    def x(self) -> float:
        return self.x0

    @property
    def y(self) -> float:
        return self.page_height - self.bottom

    @property
    def end(self) -> float:
        return self.x1


# -- the pure core: where a passage lies on a page ---------------------------------------


def tokens(text: str) -> list[str]:
    """Words compared: ligatures expanded, accents, case and punctuation left out, a
    hyphenated compound in its parts."""
    return _TOKEN.findall(_plain(text))


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", normalize_glyphs(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def locate(words: Sequence[Word], passage: str, width: float, height: float) -> tuple[Region, ...]:
    """The regions of the page holding ``passage``, in reading order (one; two or more when
    it goes on in the next column), at most ``MAX_HEIGHT`` points tall together; none when
    the passage is not found on the page."""
    if not tokens(passage) or not words:
        return ()
    regions = reading_regions(list(words))
    ordered = [word for region in regions for word in region]
    region_of = {id(word): n for n, region in enumerate(regions) for word in region}
    found, owners = _page_tokens(ordered, set(tokens(passage)))
    matched = _matched_words(found, owners, passage)
    if not matched:
        return ()
    text_x0, text_x1 = min(w.x0 for w in words), max(w.x1 for w in words)
    boxes: list[Region] = []
    room = MAX_HEIGHT
    for chosen in _bands(matched, region_of):
        kept = [word for word in matched if region_of[id(word)] in chosen]
        columns = [word for n in chosen for word in regions[n]]
        x0, x1 = min(w.x0 for w in columns), max(w.x1 for w in columns)
        if x1 - x0 < NARROW * (text_x1 - text_x0):  # a short line alone: the page's text width
            x0, x1 = text_x0, text_x1
        pad = PAD_EMS * statistics.median(w.size for w in kept)
        first, last = min(w.top for w in kept), max(w.bottom for w in kept)
        above = [w.bottom for w in columns if w.bottom <= first]  # no line cut in half
        below = [w.top for w in columns if w.top >= last]
        top = max(0.0, first - pad, max(above, default=0.0) + 1)
        bottom = min(height, last + pad, min(below, default=height) - 1, top + room)
        if boxes and bottom - top < 2 * pad:  # no room left for two lines of the next column
            break
        boxes.append(Region(max(0.0, x0 - SIDE_PAD), top, min(width, x1 + SIDE_PAD), bottom))
        room -= bottom - top
    return tuple(boxes)


def top_of_page(width: float, height: float) -> Region:
    """What is shown when the passage is not found: the top of the page, page wide."""
    return Region(0.0, 0.0, width, min(height, MAX_HEIGHT))


def _page_tokens(ordered: Sequence[Word], wanted: set[str]) -> tuple[list[str], list[list[Word]]]:
    """The page's tokens in reading order and the words each comes from; a word cut at a
    line end and its next line's start give one token when the passage has it whole."""
    found: list[str] = []
    owners: list[list[Word]] = []
    previous: Word | None = None
    for word in ordered:
        pieces = tokens(word.text)
        if (
            previous is not None
            and found
            and pieces
            and word.top > previous.bottom - 0.3 * previous.size  # on a later line
            and (found[-1] + pieces[0]) in wanted
            and (previous.text.rstrip().endswith(_HYPHENS) or found[-1] not in wanted)
        ):
            found[-1] += pieces.pop(0)
            owners[-1] = [*owners[-1], word]
        for piece in pieces:
            found.append(piece)
            owners.append([word])
        previous = word
    return found, owners


def segments(passage: str) -> list[list[str]]:
    """The passage's tokens in the pieces matched one by one: the values of a table row
    written « Territoire : X. Attentes : Y. » (its labels are the table's header, not
    beside the values on the page, and its cells may be read as columns), else the whole."""
    labels = list(_LABEL.finditer(passage))
    if len(labels) < 2 or any(len(tokens(label.group(1))) > _LABEL_WORDS for label in labels):
        return [tokens(passage)]
    ends = [label.start() for label in labels[1:]] + [len(passage)]
    values = [passage[label.end() : end] for label, end in zip(labels, ends, strict=True)]
    pieces = [passage[: labels[0].start()], *values]
    return [found for piece in pieces if (found := tokens(piece))]


def _matched_words(found: list[str], owners: list[list[Word]], passage: str) -> list[Word]:
    """The page words matching the passage: each piece's best candidates (runs of words
    in order), those of the other pieces kept when they stand on the same lines as the
    chosen ones; the assembly holding the most of the passage wins."""
    pieces = segments(passage)
    candidates = [_candidates(found, owners, piece) for piece in pieces]
    order = sorted(range(len(pieces)), key=lambda n: -len(pieces[n]))
    best: tuple[int, list[Word]] = (0, [])
    for anchor_size, anchor in candidates[order[0]][:_ANCHORS]:
        size, words = anchor_size, list(anchor)
        for n in order[1:]:
            near = [(s, w) for s, w in candidates[n] if _gap(w, words) <= _NEAR_LINES * _size(words)]
            if near:
                chosen = min(near, key=lambda candidate: (_gap(candidate[1], words), -candidate[0]))
                size, words = size + chosen[0], words + chosen[1]
        if size > best[0]:
            best = (size, words)
    total = sum(len(piece) for piece in pieces)
    if best[0] < max(1, _COVERAGE * total):
        return []
    return list({id(word): word for word in best[1]}.values())


def _candidates(found: list[str], owners: list[list[Word]], piece: list[str]) -> list[tuple[int, list[Word]]]:
    """Where ``piece`` may lie, best first: (tokens matched, words). A short piece (a
    number, a name) at each place it is written whole; a longer one as the group of
    runs of at least three tokens matched in order that lie together."""
    span = len(piece)
    exact = [
        (span, _words(owners, start, span))
        for start in range(len(found) - span + 1)
        if span <= _EXACT and found[start : start + span] == piece
    ]
    if span < _RUN:
        return exact
    matcher = difflib.SequenceMatcher(None, found, piece, autojunk=False)
    runs = [block for block in matcher.get_matching_blocks() if block.size >= _RUN]
    groups: list[list[Any]] = []
    reach = max(40, len(piece) // 2)  # tokens between two runs of one passage
    for run in runs:
        if groups and _together(groups[-1][-1], run, owners, reach):
            groups[-1].append(run)
        else:
            groups.append([run])
    scored = [
        (sum(run.size for run in group), [w for run in group for w in _words(owners, run.a, run.size)])
        for group in groups
    ]
    return sorted(exact + scored, key=lambda candidate: -candidate[0])


def _together(before: Any, run: Any, owners: list[list[Word]], reach: int) -> bool:
    """Whether two runs matched in order belong to one passage: near in reading order, or
    on neighbouring lines."""
    if run.a - (before.a + before.size) <= reach:
        return True
    last, first = owners[before.a + before.size - 1][-1], owners[run.a][0]
    return abs(first.top - last.bottom) <= 3 * max(first.size, last.size)


def _words(owners: list[list[Word]], start: int, size: int) -> list[Word]:
    return [word for owner in owners[start : start + size] for word in owner]


def _size(words: Sequence[Word]) -> float:
    return statistics.median(word.size for word in words)


def _gap(words: Sequence[Word], band: Sequence[Word]) -> float:
    """The vertical distance between two sets of words (0 when their lines overlap)."""
    top, bottom = min(w.top for w in words), max(w.bottom for w in words)
    band_top, band_bottom = min(w.top for w in band), max(w.bottom for w in band)
    return max(0.0, top - band_bottom, band_top - bottom)


def _bands(matched: Sequence[Word], region_of: dict[int, int]) -> list[list[int]]:
    """The regions holding the passage, in reading order, grouped into bands shown one under
    the other: regions whose matched lines stand at the same height (a table's columns) or
    right above or below one another share a band; the next column starts a new one."""
    spans: dict[int, tuple[float, float]] = {}
    for word in matched:
        n = region_of[id(word)]
        top, bottom = spans.get(n, (word.top, word.bottom))
        spans[n] = (min(top, word.top), max(bottom, word.bottom))
    reach = 2 * statistics.median(w.size for w in matched)
    bands: list[list[int]] = []
    band_span = (0.0, 0.0)
    for n in sorted(spans):
        top, bottom = spans[n]
        if bands and top <= band_span[1] + reach and bottom >= band_span[0] - reach:
            bands[-1].append(n)
            band_span = (min(band_span[0], top), max(band_span[1], bottom))
        else:
            bands.append([n])
            band_span = (top, bottom)
    return bands


# -- the shell: cache, child process, rendering -------------------------------------------


class _PageLock:
    """The lock of one page (a class of its own: a plain lock cannot be weakly referenced)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()


_GUARD = threading.Lock()  # guards the tables below, held for a moment only
_PAGE_LOCKS: weakref.WeakValueDictionary[tuple[str, str, int], _PageLock] = weakref.WeakValueDictionary()
_FAILED: OrderedDict[tuple[str, str, int, float], tuple[float, str, Reason]] = OrderedDict()
_POOL = threading.Condition()
_IDLE: dict[float, list[IsolatedReader]] = {}  # by time limit: children started on first use
_STARTED: dict[float, int] = {}
# A child dies with the thread that started it (``IsolatedReader``: PR_SET_PDEATHSIG), and a
# web server's worker threads come and go: children are started by this thread, which lasts.
_STARTER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="extraits")


def passage_crop(
    pdf: Path, page: int, passage: str, sha256: str, cache: Path, *, seconds: float = TIME_LIMIT
) -> PassageCrop:
    """The crop of page ``page`` (from 1) of ``pdf`` where ``passage`` lies, and the whole
    page, rendered on first use into ``cache``; a ``PictureError`` when they cannot be made
    (at once when this page failed within ``FAILURE_MEMORY`` seconds). ``seconds``: time
    limit of the child that reads and renders (0: in this process)."""
    crop, whole = _targets(page, passage, sha256, cache)
    if crop.exists() and whole.exists():
        return _cached(crop, whole, page)
    failure = (str(pdf), sha256, page, seconds)
    _raise_if_failed(failure)  # before any lock: a failed page never makes anyone wait
    with _page_lock((str(pdf), sha256, page)):
        if crop.exists() and whole.exists():  # made while this request waited
            return _cached(crop, whole, page)
        _raise_if_failed(failure)  # failed while this request waited
        if not pdf.is_file():
            raise PictureError(
                f"{pdf.name} : fichier introuvable, l'extrait de la page est indisponible", Reason.MISSING
            )
        cache.mkdir(parents=True, exist_ok=True)
        job = partial(_make, page=page, passage=passage, crop=crop, whole=whole)
        try:
            _run(job, pdf, seconds)
        except IngestError as exc:  # raised in the child, or the child overran, crashed, swelled
            said = str(exc)
            prefixed = said.startswith(f"{pdf.name} :")
            message = said if prefixed else f"{pdf.name} : extrait impossible ({said})"
            _remember(failure, message, exc.reason)
            raise PictureError(message, exc.reason) from exc
    return _cached(crop, whole, page)


@contextmanager
def _page_lock(key: tuple[str, str, int]) -> Iterator[None]:
    """One crop of a page at a time; the lock is dropped once nobody holds or waits for it."""
    with _GUARD:
        held = _PAGE_LOCKS.get(key)
        if held is None:
            held = _PAGE_LOCKS[key] = _PageLock()
    with held.lock:
        yield


def _raise_if_failed(key: tuple[str, str, int, float]) -> None:
    with _GUARD:
        failed = _FAILED.get(key)
        if failed is not None and time.monotonic() - failed[0] >= FAILURE_MEMORY:
            del _FAILED[key]
            failed = None
    if failed is not None:
        raise PictureError(failed[1], failed[2])


def _remember(key: tuple[str, str, int, float], message: str, reason: Reason) -> None:
    with _GUARD:
        _FAILED[key] = (time.monotonic(), message, reason)
        _FAILED.move_to_end(key)
        while len(_FAILED) > _FAILURES_KEPT:
            _FAILED.popitem(last=False)


def forget_failures() -> None:
    """Try every page again (after the files were replaced, or in tests)."""
    with _GUARD:
        _FAILED.clear()


def _targets(page: int, passage: str, sha256: str, cache: Path) -> tuple[Path, Path]:
    parameters = f"{_VERSION}|{CROP_ZOOM}|{MAX_HEIGHT}|{PAD_EMS}|{SIDE_PAD}|{NARROW}"
    digest = hashlib.sha256(f"{parameters}\n{' '.join(tokens(passage))}".encode()).hexdigest()[:16]
    stem = f"{sha256[:16]}-p{page}"
    return cache / f"{stem}-extrait-{digest}.png", cache / f"{stem}-z{round(VIEW_ZOOM * 100)}.png"


def _run(job: Any, pdf: Path, seconds: float) -> None:
    if seconds <= 0:
        job(pdf)
        return
    with _reader(seconds) as reader:
        reader.read(cast(Any, job), pdf)


@contextmanager
def _reader(seconds: float) -> Iterator[IsolatedReader]:
    """A child of time limit ``seconds`` for one crop: an idle one, a new one while fewer
    than ``READERS`` run, else the first one given back. A child that overran was stopped
    by its reader, which starts a fresh one at its next crop."""
    with _POOL:
        while not _IDLE.get(seconds) and _STARTED.get(seconds, 0) >= READERS:
            _POOL.wait()
        idle = _IDLE.setdefault(seconds, [])
        if idle:
            reader = idle.pop()
        else:
            reader = IsolatedReader(seconds, MEMORY_MB, preload=("pdfplumber", "pypdfium2", __name__))
            _STARTED[seconds] = _STARTED.get(seconds, 0) + 1
    try:
        _STARTER.submit(reader.start).result()  # a child that is not running starts now
        yield reader
    finally:
        with _POOL:
            idle.append(reader)
            _POOL.notify()


def _cached(crop: Path, whole: Path, page: int) -> PassageCrop:
    from PIL import Image

    try:
        with Image.open(crop) as image:
            width, height = image.size
            kept = json.loads(image.info[_KEY])  # type: ignore[index]
    except (OSError, KeyError, ValueError) as exc:  # damaged in the cache: made again next time
        crop.unlink(missing_ok=True)
        raise PictureError(f"extrait de la page {page} illisible dans le cache, réessayez") from exc
    regions = tuple(Region(*(float(v) for v in box)) for box in kept["regions"])
    return PassageCrop(crop, whole, page, regions, bool(kept["located"]), width, height)


def _make(pdf: Path, *, page: int, passage: str, crop: Path, whole: Path) -> bool:
    """In the child: find the passage, render the crop (and the page when not cached)."""
    words, width, height = _page_words(pdf, page)
    regions = locate(words, passage, width, height)
    located = bool(regions)
    _render(pdf, page, regions or (top_of_page(width, height),), crop, whole, located=located)
    return located


def _page_words(pdf: Path, page: int) -> tuple[list[Word], float, float]:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    with pdf.open("rb") as handle:
        if b"%PDF-" not in handle.read(1024):
            raise PictureError(f"{pdf.name} : ce fichier n'est pas un PDF", Reason.UNSUPPORTED)
    try:
        with pdfplumber.open(pdf) as document:
            if not 1 <= page <= len(document.pages):
                raise PictureError(f"{pdf.name} : pas de page {page}", Reason.DAMAGED)
            sheet = document.pages[page - 1]
            width, height = float(sheet.width), float(sheet.height)
            found = sheet.extract_words(
                x_tolerance_ratio=0.15, y_tolerance=2, keep_blank_chars=False, extra_attrs=["size"]
            )
    except PictureError:
        raise
    except (
        PdfminerException,
        PSException,
        PDFSyntaxError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
    ) as exc:
        raise PictureError(f"{pdf.name} : PDF illisible ({type(exc).__name__})", Reason.DAMAGED) from exc
    words = [
        Word(
            w["text"],
            float(w["x0"]),
            float(w["top"]),
            float(w["x1"]),
            float(w["bottom"]),
            float(w["size"]),
            height,
        )
        for w in found
        if w.get("upright", True) and w["text"].strip()
    ]
    return words, width, height


def _render(
    pdf: Path, page: int, regions: Sequence[Region], crop: Path, whole: Path, *, located: bool
) -> None:
    import pypdfium2
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    try:
        document = pypdfium2.PdfDocument(str(pdf))
    except pypdfium2.PdfiumError as exc:
        raise PictureError(f"{pdf.name} : aperçu impossible ({exc})") from exc
    try:
        if not 1 <= page <= len(document):
            raise PictureError(f"{pdf.name} : pas de page {page}")
        sheet = document[page - 1]
        width, height = sheet.get_size()
        parts = [
            sheet.render(
                scale=CROP_ZOOM,
                crop=(max(0.0, r.x0), max(0.0, height - r.bottom), max(0.0, width - r.x1), max(0.0, r.top)),
            ).to_pil()
            for r in regions
        ]
        page_picture = None if whole.exists() else sheet.render(scale=VIEW_ZOOM).to_pil()
    finally:
        document.close()
    picture = parts[0]
    if len(parts) > 1:  # a passage going on in the next column: its parts one under the other
        picture = Image.new("RGB", (max(p.width for p in parts), sum(p.height for p in parts)), "white")
        offset = 0
        for part in parts:
            picture.paste(part, (0, offset))
            offset += part.height
    info = PngInfo()
    kept = {"regions": [[r.x0, r.top, r.x1, r.bottom] for r in regions], "located": located}
    info.add_text(_KEY, json.dumps(kept))
    _save(picture, crop, pnginfo=info)
    if page_picture is not None:
        _save(page_picture, whole)


def _save(image: Any, target: Path, **options: Any) -> None:
    partial_file = target.with_name(f".{target.stem}-{os.getpid()}.part")  # never a half-written file
    image.save(partial_file, format="PNG", optimize=False, **options)
    partial_file.replace(target)
