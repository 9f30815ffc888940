"""When two wordings name the same thing: the near-duplicate rule of chat listings and the registry."""

from __future__ import annotations

from collections.abc import Set

MIN_WORDS = 3  # a wording of fewer content words says too little to be compared
SHARE = 0.5  # share of the shorter wording's words the other must hold


def same_thing(words: Set[str], other: Set[str]) -> bool:
    """Whether two wordings (their content words, ``terms``) say the same thing: half the
    words of the shorter at least, of three or more (« le cloisonnement entre services d'une
    même collectivité » and « le cloisonnement entre services est revenu dans les trois
    témoignages »)."""
    shorter = min(len(words), len(other))
    return shorter >= MIN_WORDS and len(words & other) >= SHARE * shorter


def shared_share(words: Set[str], other: Set[str]) -> float:
    """The share of the shorter wording's words the other holds (0 for an empty one)."""
    shorter = min(len(words), len(other))
    return len(words & other) / shorter if shorter else 0.0
