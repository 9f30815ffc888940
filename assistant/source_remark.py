"""Documents that disagree, and report and notes that complete each other: one remark.

Pure: the verified answer text, its citations' kinds and the question in, one French
remark out (or nothing). Two cited passages disagree when the claims citing them give a
figure with the same word (« 12 personnes », « 11 personnes ») or a date for the same thing
with no value in common: the answer says so, citing both, instead of picking one silently.
The figures compared are those of the question's target when it asks for one (a count of
« personnes », a sum in euros, a date), so a passage's other figures do not pass for a
disagreement. Otherwise, notes cited beside the report add nuance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from assistant.answer_kinds import AnswerKind
from assistant.verification import claims
from vectorstore.french_text import fold, terms

_FIGURE = re.compile(r"(\d{1,3}(?:[\u00a0\u202f ]\d{3})+|\d+(?:[.,]\d+)?)\s*(%|€|[^\W\d_]+)")
_MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
_FOLDED_MONTHS = [fold(month) for month in _MONTHS]
_MONTH_WORDS = "|".join(m.replace("e", "[eéèê]").replace("u", "[uûù]") for m in _FOLDED_MONTHS)
_DATE = re.compile(
    rf"\b(?:(\d{{1,2}}|1er) )?({_MONTH_WORDS}) (\d{{4}})\b|\b(\d{{4}})-(\d{{2}})-(\d{{2}})\b", re.IGNORECASE
)


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


def dates(text: str) -> list[Figure]:
    """The dates of a text (« 21 mai 2026 », « 2026-05-21 »), as figures keyed ``date``."""
    found = []
    for match in _DATE.finditer(text):
        if match.group(2):
            day = (match.group(1) or "").replace("1er", "1")
            month = _FOLDED_MONTHS.index(fold(match.group(2))) + 1
            found.append(Figure(f"{match.group(3)}-{month:02d}" + (f"-{int(day):02d}" if day else ""),
                                match.group(0), "date"))  # fmt: skip
        else:
            found.append(
                Figure(f"{match.group(4)}-{match.group(5)}-{match.group(6)}", match.group(0), "date")
            )
    return found


def _markers(numbers: Iterable[int]) -> str:
    return " ".join(f"[{n}]" for n in sorted(set(numbers)))


@dataclass(frozen=True)
class Asked:
    """What figures of an answer may disagree: those of a kind (``kind``) and, for a count,
    of a unit (``unit``, analysed), in claims covering the same words of the question
    (``about``, analysed). Without a question (``about`` is None), only the report and the
    notes are compared, on figures with the same word."""

    kind: AnswerKind | None = None
    unit: str = ""
    about: frozenset[str] | None = None


def source_remark(text: str, kinds: Mapping[int, str], asked: Asked | None = None) -> str:
    """A sentence on how the cited passages relate in this answer, or ``""``: a disagreement
    between two of them, else how the notes complete the report.

    ``kinds`` maps each citation number to ``bilan`` or ``notes``.
    """
    claimed = claims(text)
    conflict = _first_conflict(claimed, asked or Asked(), kinds)
    if conflict:
        return _disagreement(conflict, kinds)
    by_kind: dict[str, list[int]] = {"bilan": [], "notes": []}
    for _, markers in claimed:
        for n in markers:
            if kinds.get(n) in by_kind:
                by_kind[kinds[n]].append(n)
    if not by_kind["bilan"] or not by_kind["notes"]:
        return ""
    notes, report = _markers(by_kind["notes"]), _markers(by_kind["bilan"])
    return f"Les notes de séance {notes} complètent ce que dit le bilan {report}."


Conflict = tuple[tuple[int, Figure], tuple[int, Figure]]


def _first_conflict(
    claimed: Sequence[tuple[str, list[int]]], asked: Asked, kinds: Mapping[int, str]
) -> Conflict | None:
    """Two passages whose claims give the asked figure (same word, or a date) with no value
    in common, about the same words of the question: the first such pair, in the order of
    the answer."""
    by_passage: dict[int, list[Figure]] = {}
    covers: dict[int, frozenset[str]] = {}
    for claim, markers in claimed:
        found = [f for f in [*figures(claim), *dates(claim)] if _wanted(f, asked)]
        for n in markers[:1]:  # a claim citing several passages is what they agree on
            by_passage.setdefault(n, []).extend(found)
            covers[n] = covers.get(n, frozenset()) | (frozenset(terms(claim)) & (asked.about or frozenset()))
    numbers = list(by_passage)
    for i, first in enumerate(numbers):
        for second in numbers[i + 1 :]:
            if asked.about is None and {kinds.get(first), kinds.get(second)} != {"bilan", "notes"}:
                continue
            one, other = covers[first], covers[second]
            if asked.about is not None and (not one or not other or not (one <= other or other <= one)):
                continue  # not shown to be about the same thing (one claim says at least what the other does)
            for figure in by_passage[first]:
                others = [f for f in by_passage[second] if f.key == figure.key]
                mine = {f.value for f in by_passage[first] if f.key == figure.key}
                if others and not mine & {f.value for f in others}:
                    return (first, figure), (second, others[0])
    return None


def _wanted(figure: Figure, asked: Asked) -> bool:
    if asked.kind is None or asked.kind in {AnswerKind.OPEN, AnswerKind.LIST, AnswerKind.YES_NO}:
        return figure.key != "date"
    if asked.kind is AnswerKind.DATE:
        return figure.key == "date"
    if asked.kind is AnswerKind.AMOUNT:
        return figure.key == "€"
    if asked.kind is AnswerKind.COUNT:
        return figure.key != "date" and (
            not asked.unit or asked.unit in figure.key.split() or figure.key == "%"
        )
    return False


def _disagreement(conflict: Conflict, kinds: Mapping[int, str]) -> str:
    (first, a), (second, b) = conflict
    what = "la même date" if a.key == "date" else "le même chiffre"
    if {kinds.get(first), kinds.get(second)} == {"bilan", "notes"}:
        (r, in_report), (n, in_notes) = sorted(conflict, key=lambda pair: kinds.get(pair[0]) != "bilan")
        return (
            f"Attention : le bilan [{r}] et les notes de séance [{n}] ne donnent pas {what} "
            f"({_said(in_report)} selon le bilan, {_said(in_notes)} selon les notes) : vérifiez les passages."
        )
    return (
        f"Attention : les passages [{first}] et [{second}] ne donnent pas {what} "
        f"({_said(a)} selon [{first}], {_said(b)} selon [{second}]) : vérifiez les passages."
    )


def _said(figure: Figure) -> str:
    return figure.unit if figure.key == "date" else f"{figure.value} {figure.unit}"
