"""Errors whose message is meant for a person, in French.

Every package raises subclasses of :class:`UserFacingError`; only the edges (CLI,
web app) turn them into a line of text or a dialog. Anything else is a bug and
keeps its traceback.
"""


class UserFacingError(Exception):
    """An error with a French, one-line message fit to show a user as is."""


class EmbeddingModelError(UserFacingError):
    """The embedding model cannot be loaded (missing locally, offline, corrupt)."""


class StoreError(UserFacingError):
    """The vector store cannot be opened or used."""


class ModelMismatchError(StoreError):
    """The store was built with another embedding model than the one asked for."""
