"""Pure formatters of the « Leviers » tab: the registry as readable Markdown, its menus,
and the question a lever sends to the chat. Document text is untrusted: every piece of
it goes through ``escape_text`` (``html.escape`` in a group's summary, which is HTML)."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assistant.levers import DIFFICULTY, KIND_LABELS, LEVER, LeverEntry, LeverSource, filter_levers
from assistant.wording import ALL, kind_label
from ui.escaping import escape_text

KIND_CHOICES = (ALL, "Leviers", "Difficultés")
_KINDS = {"Leviers": LEVER, "Difficultés": DIFFICULTY}
_GROUP_NAMES = {kind: name for name, kind in _KINDS.items()}
EMPTY = "Aucun levier ni aucune difficulté n'a été trouvé dans les documents indexés."
NO_MATCH = "Aucun levier ni aucune difficulté ne correspond à ces critères."
NOTHING_CHOSEN = "Choisissez d'abord un levier dans la liste « Levier »."
FOLDED_HINT = "ouvrez un groupe pour lire ses leviers ou ses difficultés."
# The report's heading of a day: « 2.2 Journée 2 — Associer les habitants aux décisions ».
_DAY_HEADING = re.compile(r"\bjourn[ée]e\s+(\d+)\s*[—–:-]\s*(\S.*)$", re.I)


@dataclass(frozen=True)
class LeverGroup:
    """The levers (or the difficulties) of one day, as the tab folds them."""

    kind: str
    day: int | None
    entries: tuple[LeverEntry, ...]


def days_text(days: Sequence[int]) -> str:
    """ "Journée 2", "Journées 2, 3" or "" (no day known)."""
    if not days:
        return ""
    return f"Journée{'s' if len(days) > 1 else ''} {', '.join(str(day) for day in days)}"


def source_text(source: LeverSource) -> str:
    """ "Bilan — bilan-exemple.pdf, p. 4" or "Notes de séance — journee-2.md" (escaped)."""
    page = f", p. {source.page}" if source.page else ""
    return escape_text(f"{kind_label(source.doc_kind)} — {source.source}{page}")


def entry_markdown(entry: LeverEntry, day: int | None = None) -> str:
    """One lever as a list item: its name, its days when not only ``day`` (its group's),
    the territories that raised it, then each document's words, one citation a line."""
    facts = [days_text(entry.days) if entry.days != ((day,) if day is not None else ()) else ""]
    if entry.territories:
        many = len(entry.territories) > 1
        facts.append(f"territoire{'s' if many else ''} : {', '.join(entry.territories)}")
    head = f"- **{escape_text(entry.label)}**"
    lines = [" · ".join([head, *(escape_text(fact) for fact in facts if fact)])]
    for source in entry.sources:
        words = source.text if source.text != entry.name else ""
        quoted = f" : « {escape_text(words)} »" if words else ""
        lines.append(f"  - {source_text(source)}{quoted}")
    return "\n".join(lines)


def group_levers(entries: Sequence[LeverEntry], day: int | None = None) -> list[LeverGroup]:
    """Levers first, then difficulties, day by day (an entry of several days under the day
    asked, else its first; no day known: last), each in the registry's order."""
    found: dict[tuple[str, int | None], list[LeverEntry]] = {}
    for entry in entries:
        when = day if day in entry.days else (entry.days[0] if entry.days else None)
        found.setdefault((entry.kind, when), []).append(entry)
    order = sorted(found, key=lambda key: (key[0] != LEVER, key[1] is None, key[1] or 0))
    return [LeverGroup(kind, when, tuple(found[(kind, when)])) for kind, when in order]


def day_themes(entries: Sequence[LeverEntry]) -> dict[int, str]:
    """Each day's theme, as the report's heading of the day gives it (« Journée 2 —
    Associer les habitants aux décisions »), else the notes'; a day without one has none."""
    themes: dict[int, str] = {}
    sources = [source for entry in entries for source in entry.sources]
    for source in sorted(sources, key=lambda source: source.doc_kind != "bilan"):
        for part in source.section.split(" > "):
            heading = _DAY_HEADING.search(part)
            if heading:
                themes.setdefault(int(heading.group(1)), " ".join(heading.group(2).split()))
    return themes


def group_title(group: LeverGroup, themes: Mapping[int, str]) -> str:
    """« Leviers — journée 2 · Associer les habitants aux décisions (4) » (plain text)."""
    when = f"journée {group.day}" if group.day is not None else "sans journée"
    theme = themes.get(group.day, "") if group.day is not None else ""
    about = f" · {theme}" if theme else ""
    return f"{_GROUP_NAMES[group.kind]} — {when}{about} ({len(group.entries)})"


def group_markdown(group: LeverGroup, themes: Mapping[int, str], opened: bool = False) -> str:
    """A group folded under its title (HTML ``<details>``, whose summary holds text only),
    or open; its entries as a Markdown list."""
    summary = html.escape(group_title(group, themes), quote=False)
    items = "\n".join(entry_markdown(entry, group.day) for entry in group.entries)
    state = " open" if opened else ""
    return f'<details class="leviers-groupe"{state}><summary>{summary}</summary>\n\n{items}\n\n</details>'


def levers_markdown(
    entries: Sequence[LeverEntry],
    total: int | None = None,
    opened: bool = False,
    day: int | None = None,
    themes: Mapping[int, str] | None = None,
) -> str:
    """A count line, then the groups of ``group_levers``, folded unless ``opened`` (a search
    or a menu narrowed the list), titled with ``themes`` (by default the entries'); a French
    message when there is nothing to show."""
    if not entries:
        return EMPTY if not total else NO_MATCH
    levers = sum(1 for entry in entries if entry.kind == LEVER)
    count = f"{levers} levier{'s' if levers > 1 else ''}, {len(entries) - levers} difficulté" + (
        "s" if len(entries) - levers > 1 else ""
    )
    themes = day_themes(entries) if themes is None else themes
    head = f"*{count}*" if opened else f"*{count}* · {FOLDED_HINT}"
    return "\n\n".join([head, *(group_markdown(g, themes, opened) for g in group_levers(entries, day))])


def entry_key(entry: LeverEntry) -> str:
    """The entry as the « Levier » menu names it (unique within one registry)."""
    return f"{KIND_LABELS[entry.kind]} — {entry.label}"


def day_choices(entries: Sequence[LeverEntry]) -> list[str]:
    return [ALL, *(str(day) for day in sorted({day for entry in entries for day in entry.days}))]


def territory_choices(entries: Sequence[LeverEntry]) -> list[str]:
    return [ALL, *sorted({territory for entry in entries for territory in entry.territories})]


def chosen_day(day: str | None) -> int | None:
    """The « Journée » menu's day, or None for « Tous »."""
    return int(day) if day and day.isdigit() else None


def narrowed(query: str | None, day: str | None, territory: str | None) -> bool:
    """Whether a search or the day or territory menu narrows the list (its groups then open)."""
    return bool((query or "").strip()) or (day or ALL) != ALL or (territory or ALL) != ALL


def chosen(
    entries: Sequence[LeverEntry], query: str, day: str, territory: str, kind: str
) -> list[LeverEntry]:
    """The entries the tab's search box and menus ask for ("Tous": no filter)."""
    return filter_levers(
        entries,
        query or "",
        chosen_day(day),
        territory if territory and territory != ALL else None,
        _KINDS.get(kind or ALL),
    )


def question_about(entry: LeverEntry) -> str:
    """The question a lever sends to the chat."""
    listed = ", ".join(str(day) for day in entry.days)
    when = f" lors de la journée {listed}" if len(entry.days) == 1 else f" lors des journées {listed}"
    when = when if entry.days else ""
    if entry.kind == DIFFICULTY:
        return f"Qu'ont dit les documents de la difficulté « {entry.label} »{when} ?"
    return f"Qu'ont dit les documents du levier « {entry.label} »{when} ?"
