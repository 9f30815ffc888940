"""Pure formatters of the « Leviers » tab: the registry as readable Markdown, its menus,
and the question a lever sends to the chat. Document text is untrusted: every piece of
it goes through ``escape_text``."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.levers import DIFFICULTY, KIND_LABELS, LEVER, LeverEntry, LeverSource, filter_levers
from assistant.wording import ALL
from ui.escaping import escape_text

KIND_CHOICES = (ALL, "Leviers", "Difficultés")
_KINDS = {"Leviers": LEVER, "Difficultés": DIFFICULTY}
EMPTY = "Aucun levier ni aucune difficulté n'a été trouvé dans les documents indexés."
NO_MATCH = "Aucun levier ni aucune difficulté ne correspond à ces critères."
NOTHING_CHOSEN = "Choisissez d'abord un levier dans la liste « Levier »."


def days_text(days: Sequence[int]) -> str:
    """ "Journée 2", "Journées 2, 3" or "" (no day known)."""
    if not days:
        return ""
    return f"Journée{'s' if len(days) > 1 else ''} {', '.join(str(day) for day in days)}"


def source_text(source: LeverSource) -> str:
    """ "bilan-exemple.pdf, p. 4" or "journee-2.md" (escaped)."""
    page = f", p. {source.page}" if source.page else ""
    return escape_text(f"{source.source}{page}")


def entry_markdown(entry: LeverEntry) -> str:
    """One lever: its kind and name, days, territories, then each document's words."""
    facts = [days_text(entry.days)]
    if entry.territories:
        facts.append(", ".join(entry.territories))
    head = f"**{KIND_LABELS[entry.kind]} — {escape_text(entry.label)}**"
    facts_line = " · ".join(escape_text(fact) for fact in facts if fact)
    cited = []
    for source in entry.sources:
        words = source.text if source.text != entry.name else ""
        quoted = f" : « {escape_text(words)} »" if words else ""
        cited.append(f"- {source_text(source)}{quoted}")
    return (
        f"{head}  \n{facts_line}\n\n" + "\n".join(cited) if facts_line else f"{head}\n\n" + "\n".join(cited)
    )


def levers_markdown(entries: Sequence[LeverEntry], total: int | None = None) -> str:
    """The list, one entry per lever, with a count line; a French message when empty."""
    if not entries:
        return EMPTY if not total else NO_MATCH
    levers = sum(1 for entry in entries if entry.kind == LEVER)
    count = f"{levers} levier{'s' if levers > 1 else ''}, {len(entries) - levers} difficulté" + (
        "s" if len(entries) - levers > 1 else ""
    )
    return "\n\n".join([f"*{count}*", *(entry_markdown(entry) for entry in entries)])


def entry_key(entry: LeverEntry) -> str:
    """The entry as the « Levier » menu names it (unique within one registry)."""
    return f"{KIND_LABELS[entry.kind]} — {entry.label}"


def day_choices(entries: Sequence[LeverEntry]) -> list[str]:
    return [ALL, *(str(day) for day in sorted({day for entry in entries for day in entry.days}))]


def territory_choices(entries: Sequence[LeverEntry]) -> list[str]:
    return [ALL, *sorted({territory for entry in entries for territory in entry.territories})]


def chosen(
    entries: Sequence[LeverEntry], query: str, day: str, territory: str, kind: str
) -> list[LeverEntry]:
    """The entries the tab's search box and menus ask for ("Tous": no filter)."""
    return filter_levers(
        entries,
        query or "",
        int(day) if day and day.isdigit() else None,
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
