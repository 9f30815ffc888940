"""Citation verification: answer text and the passages it was given in, checked text out.

Pure, and the same for every answer mode: a ``[n]`` marker must point to a
passage that was given (others are removed and counted); a quotation (between
« », “ ” or straight quotes) must appear word for word in a passage its claim
cites (others are replaced by « … » and counted); every claim must carry a
marker whose passage shares enough of its content words with it (others are
flagged as unsupported).

A list item (a line opening with « - », « * », « • » or « 1. ») is a claim of its
own, whatever the lines around it carry. The short sentence that leads into a
list and ends with « : » (« Trois territoires ont participé à la deuxième
journée : ») says what the items are, not a fact of its own: without a marker it
is not a claim; with one, it is checked like any other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from vectorstore.french_text import terms

_MARKER = re.compile(r"\s*\[(\d+)\]")
_MARKER_GROUP = re.compile(r"((?:\s*\[\d+\])+)")
_QUOTATION = re.compile(r"«\s*([^«»]+?)\s*»|“([^“”]+?)”|\"([^\"]+?)\"")
_WORD = re.compile(r"\w+")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'"})
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*•]|\d{1,2}[.)])[ \t]+")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+")
MAX_LEAD_WORDS = 30  # a longer "lead" says more than what its list holds: it is a claim
ELIDED_QUOTATION = "« … »"
MIN_SUPPORT = 0.3  # share of a sentence's content words its cited passage must hold


Claim = tuple[str, tuple[int, ...]]  # a claim of an answer and the markers that close it


@dataclass(frozen=True)
class Verification:
    """What the check found. ``checked``: the claims ``verify`` checked, each with its
    markers, in the order of the text; ``None`` when the verification was rebuilt from
    ``to_dict`` (which keeps the counts, not the claims). Its words for a reader are in
    ``assistant.wording``."""

    cited: tuple[int, ...]
    removed_markers: int
    unsupported: tuple[str, ...]
    removed_quotes: int = 0
    checked: tuple[Claim, ...] | None = field(default=None, compare=False, repr=False)
    paraphrased: bool = False  # a language model's sentences (found in their passages), not quotations

    @property
    def flagged(self) -> bool:
        """Whether the verifier removed or flagged anything: the reader is told so."""
        return bool(self.removed_markers or self.removed_quotes or self.unsupported)

    def claims_citing(self, text: str) -> dict[int, list[str]]:
        """For each passage number, the claims that cite it (markers removed), as the
        verifier cut them; ``text`` (the verified answer) is cut again only when the claims
        were not kept (a verification rebuilt from ``to_dict``)."""
        checked = self.checked if self.checked is not None else claims(text)
        found: dict[int, list[str]] = {}
        for claim, markers in checked:
            for n in markers:
                found.setdefault(n, []).append(claim)
        return found

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "cited_passages": list(self.cited),
            "removed_markers": self.removed_markers,
            "removed_quotes": self.removed_quotes,
            "unsupported_sentences": list(self.unsupported),
        }
        return data | {"paraphrased": True} if self.paraphrased else data


def verify(text: str, passages: Mapping[int, str]) -> tuple[str, Verification]:
    """The answer with invalid markers and unfounded quotations removed, and what the check found."""
    removed = 0

    def keep_valid(match: re.Match[str]) -> str:
        nonlocal removed
        if int(match.group(1)) in passages:
            return match.group(0)
        removed += 1
        return ""

    cleaned = _MARKER.sub(keep_valid, text)
    cleaned, removed_quotes = _check_quotations(cleaned, passages)
    cited: set[int] = set()
    unsupported = []
    checked = claims(cleaned)
    for claim, markers in checked:
        cited.update(markers)
        if not markers or max(support(claim, passages[n]) for n in markers) < MIN_SUPPORT:
            unsupported.append(claim)
    kept = tuple((claim, tuple(markers)) for claim, markers in checked)
    return cleaned, Verification(tuple(sorted(cited)), removed, tuple(unsupported), removed_quotes, kept)


def claims(text: str) -> list[tuple[str, list[int]]]:
    """The answer cut after each group of markers and around each list item: (claim, the
    markers that close it).

    Text after the last marker is a claim with no marker. Pieces without any
    content word (a lone period) are not claims, nor is the lead of a list: the last
    sentence before a list item, with no marker, ending with « : », of at most
    ``MAX_LEAD_WORDS`` words (what comes before it in the same piece still is a claim).
    """
    found = []
    pieces = _pieces(text)
    for index, (piece, _, markers) in enumerate(pieces):
        claim = _before_lead(piece) if not markers and _leads_a_list(piece, pieces[index + 1 :]) else piece
        claim = _LIST_ITEM.sub("", claim.lstrip("\n"), count=1)
        if terms(claim):
            # "… euros [1]. Un panel …": the period after a marker closes the claim before it.
            found.append((claim.strip().lstrip(".,;:!?… ").strip(), markers))
    return found


def _leads_a_list(piece: str, after: Sequence[tuple[str, str, list[int]]]) -> bool:
    """Whether ``piece`` ends with a list's lead: « : », then a list item next."""
    following = next((p for p, _, _ in after if p.strip()), "")
    return piece.rstrip().endswith(":") and bool(_LIST_ITEM.match(following.lstrip("\n")))


def _before_lead(piece: str) -> str:
    """The piece without its last sentence, the lead of the list that follows, when the
    lead is short; the whole piece otherwise."""
    sentences = _SENTENCE_BREAK.split(piece.strip())
    if len(sentences[-1].split()) > MAX_LEAD_WORDS:
        return piece
    return " ".join(sentences[:-1])


def _segments(text: str) -> list[str]:
    """The text cut before and after each list item line (joined, they rebuild it)."""
    segments, current = [], ""
    for line in text.splitlines(keepends=True):
        if _LIST_ITEM.match(line):
            segments += [current, line] if current else [line]
            current = ""
        else:
            current += line
    return [*segments, current] if current or not segments else segments


def _pieces(text: str) -> list[tuple[str, str, list[int]]]:
    """Every piece of text, the marker group that closes it (as written, maybe "") and its
    numbers: joining piece and group over all of them rebuilds the text. A list item line
    starts a new piece."""
    pieces = []
    for segment in _segments(text):
        parts = [*_MARKER_GROUP.split(segment), ""]
        pieces += [
            (parts[index], parts[index + 1], [int(n) for n in _MARKER.findall(parts[index + 1])])
            for index in range(0, len(parts) - 1, 2)
        ]
    return pieces


def _check_quotations(text: str, passages: Mapping[int, str]) -> tuple[str, int]:
    """Replace each quotation not found word for word in a passage its claim cites.

    A claim without a marker is checked against every given passage: its
    quotation is kept if it is real, and the claim is flagged unsupported anyway.
    """
    removed = 0
    rebuilt = []
    for piece, group, markers in _pieces(text):
        sources: Sequence[str] = [passages[n] for n in markers] or list(passages.values())

        def keep_found(match: re.Match[str], sources: Sequence[str] = sources) -> str:
            nonlocal removed
            quoted = next(group for group in match.groups() if group is not None)
            if not _words(quoted) or any(quoted_in(quoted, source) for source in sources):
                return match.group(0)
            removed += 1
            return ELIDED_QUOTATION

        rebuilt.append(_QUOTATION.sub(keep_found, piece) + group)
    return "".join(rebuilt), removed


def _words(text: str) -> list[str]:
    return _WORD.findall(text.translate(_APOSTROPHES).casefold())


def quoted_in(quotation: str, passage: str) -> bool:
    """Whether the quotation's words appear in the passage, in order and contiguous.

    Case, punctuation, spacing and the apostrophe glyph may differ; words may not.
    """
    wanted = " ".join(_words(quotation))
    return f" {wanted} " in f" {' '.join(_words(passage))} "


def support(claim: str, passage: str) -> float:
    """Share of the claim's distinct content words that the passage contains."""
    claimed = set(terms(claim))
    return len(claimed & set(terms(passage))) / len(claimed) if claimed else 1.0
