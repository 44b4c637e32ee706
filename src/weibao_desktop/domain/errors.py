"""The one error type users see: a Chinese message and the field it concerns."""
from __future__ import annotations


class WeibaoError(Exception):
    """Bad input or a refused action. `message` is shown to the user as it is."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message
