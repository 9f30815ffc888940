"""The error type the edges catch, re-exported so the UI depends on ``assistant`` only."""

from vectorstore.errors import UserFacingError

__all__ = ["UserFacingError"]
