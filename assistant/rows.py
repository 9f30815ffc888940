"""A row of a participants table: the one type the answers, the territory listings, the
overview and the web's territory tab share (read off the live passages of a snapshot)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TerritoryRow:
    """A territory, its day, and what the table says of it (« Attentes », « Suites »…)."""

    territory: str
    session: int | None
    source: str
    page: str  # as cited: « 4 », « 4-5 »
    section: str
    columns: tuple[tuple[str, str], ...]
    kind: str = "bilan"
    first_page: int | None = None  # the page numbers behind ``page``, from the passage
    last_page: int | None = None

    def __post_init__(self) -> None:
        if self.first_page is None and self.page:  # a row written by hand names its page only
            first, _, last = self.page.partition("-")
            if first.strip().isdigit():
                object.__setattr__(self, "first_page", int(first))
                object.__setattr__(self, "last_page", int(last) if last.strip().isdigit() else int(first))

    @property
    def text(self) -> str:
        return " ".join(f"{name} : {value}" for name, value in self.columns)

    def to_dict(self) -> dict[str, object]:
        return {
            "territory": self.territory,
            "session": self.session,
            "source": self.source,
            "page": self.page,
            "section": self.section,
            "columns": dict(self.columns),
        }
