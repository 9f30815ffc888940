"""Citation verification: answer text and the passages it was given in, checked text out.

Pure, and the same for every answer mode: a ``[n]`` marker must point to a
passage that was given (others are removed and counted), and every sentence
must carry a marker whose passage shares enough of its content words with it
(others are flagged as unsupported).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from vectorstore.text import terms

_MARKER = re.compile(r"\s*\[(\d+)\]")
_MARKER_GROUP = re.compile(r"((?:\s*\[\d+\])+)")
MIN_SUPPORT = 0.3  # share of a sentence's content words its cited passage must hold


@dataclass(frozen=True)
class Verification:
    cited: tuple[int, ...]
    removed_markers: int
    unsupported: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "cited_passages": list(self.cited),
            "removed_markers": self.removed_markers,
            "unsupported_sentences": list(self.unsupported),
        }


def verify(text: str, passages: Mapping[int, str]) -> tuple[str, Verification]:
    """The answer with invalid markers removed, and what the check found."""
    removed = 0

    def keep_valid(match: re.Match[str]) -> str:
        nonlocal removed
        if int(match.group(1)) in passages:
            return match.group(0)
        removed += 1
        return ""

    cleaned = _MARKER.sub(keep_valid, text)
    cited: set[int] = set()
    unsupported = []
    for claim, markers in claims(cleaned):
        cited.update(markers)
        if not markers or max(support(claim, passages[n]) for n in markers) < MIN_SUPPORT:
            unsupported.append(claim)
    return cleaned, Verification(tuple(sorted(cited)), removed, tuple(unsupported))


def claims(text: str) -> list[tuple[str, list[int]]]:
    """The answer cut after each group of markers: (claim, the markers that close it).

    Text after the last marker is a claim with no marker. Pieces without any
    content word (a lone period) are not claims.
    """
    parts = _MARKER_GROUP.split(text)
    found = []
    for index in range(0, len(parts), 2):
        claim = parts[index].strip()
        markers = [int(n) for n in _MARKER.findall(parts[index + 1])] if index + 1 < len(parts) else []
        if terms(claim):
            found.append((claim, markers))
    return found


def support(claim: str, passage: str) -> float:
    """Share of the claim's distinct content words that the passage contains."""
    claimed = set(terms(claim))
    return len(claimed & set(terms(passage))) / len(claimed) if claimed else 1.0
