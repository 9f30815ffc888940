"""Report or session notes: saying when an answer draws on both, and when they disagree.

Pure: the verified answer text and its citations in, one French remark out (or
nothing). A figure given with the same word ("12 personnes", "11 personnes")
by a claim citing the report and by a claim citing the notes, with no value in
common, is a disagreement; otherwise, notes cited beside the report add nuance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.verification import claims
from vectorstore.french_text import terms

_FIGURE = re.compile(r"(\d{1,3}(?:[\u00a0\u202f ]\d{3})+|\d+(?:[.,]\d+)?)\s*(%|€|[^\W\d_]+)")


@dataclass(frozen=True)
class Figure:
    value: str
    unit: str  # as written
    key: str  # analysed form of the unit, for comparison


def figures(text: str) -> list[Figure]:
    """The numbers of a text with the word that follows each ("12 personnes", "50 %")."""
    found = []
    for match in _FIGURE.finditer(text):
        value = re.sub(r"\s", "", match.group(1)).replace(",", ".")
        unit = match.group(2)
        key = unit if unit in "%€" else " ".join(terms(unit))
        if key:
            found.append(Figure(value, unit, key))
    return found


def _markers(numbers: Iterable[int]) -> str:
    return " ".join(f"[{n}]" for n in sorted(set(numbers)))


def source_remark(text: str, kinds: dict[int, str]) -> str:
    """A sentence on how the report and the notes relate in this answer, or ``""``.

    ``kinds`` maps each citation number to ``bilan`` or ``notes``.
    """
    by_kind: dict[str, list[tuple[str, list[int]]]] = {"bilan": [], "notes": []}
    for claim, markers in claims(text):
        for kind in {kinds.get(n) for n in markers}:
            if kind in by_kind:
                by_kind[kind].append((claim, [n for n in markers if kinds.get(n) == kind]))
    report, notes = by_kind["bilan"], by_kind["notes"]
    if not report or not notes:
        return ""
    report_refs = _markers(n for _, markers in report for n in markers)
    notes_refs = _markers(n for _, markers in notes for n in markers)
    conflict = _first_conflict([c for c, _ in report], [c for c, _ in notes])
    if conflict:
        in_report, in_notes = conflict
        return (
            f"Attention : le bilan {report_refs} et les notes de séance {notes_refs} ne donnent pas le "
            f"même chiffre ({in_report} selon le bilan, {in_notes} selon les notes) : vérifiez les passages."
        )
    return f"Les notes de séance {notes_refs} complètent ce que dit le bilan {report_refs}."


def _first_conflict(report: Sequence[str], notes: Sequence[str]) -> tuple[str, str] | None:
    report_figures = [figure for claim in report for figure in figures(claim)]
    notes_figures = [figure for claim in notes for figure in figures(claim)]
    for figure in report_figures:
        same_unit = [other for other in notes_figures if other.key == figure.key]
        report_values = {f.value for f in report_figures if f.key == figure.key}
        if same_unit and not report_values & {other.value for other in same_unit}:
            other = same_unit[0]
            return f"{figure.value} {figure.unit}", f"{other.value} {other.unit}"
    return None
