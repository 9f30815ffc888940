"""Why a file could not be ingested, as one French line."""

from vectorstore.errors import UserFacingError


class IngestError(UserFacingError):
    """A file that cannot be read: the message is the reason shown per file."""
