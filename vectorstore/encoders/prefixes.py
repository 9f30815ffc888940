"""The instruction prefixes a model was trained with, which local and remote embedders add.

The E5 family tells questions from passages by a "query: " or "passage: " at the head of
the text; most other models want none.
"""

from __future__ import annotations

from pathlib import Path

E5_QUERY, E5_PASSAGE = "query: ", "passage: "


def instruction_prefixes(model_name: str) -> tuple[str, str]:
    """(query prefix, passage prefix) the model was trained with.

    The E5 family expects "query: " and "passage: "; most other models none.
    """
    if "e5" in Path(model_name).name.lower().split("-"):
        return E5_QUERY, E5_PASSAGE
    return "", ""
