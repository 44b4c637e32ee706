"""The one error type users see: a Chinese message and the field it concerns."""
from __future__ import annotations

from collections.abc import Sequence


class WeibaoError(Exception):
    """Bad input or a refused action. `message` is shown to the user as it is.

    A form's check finds every bad field at once: `errors` holds one error per field (itself, for an error
    about one thing), so a dialog can show each under its field; `message` and `field` are the whole of it
    for callers that show one line (the command line, a banner) and name the first field."""

    def __init__(self, message: str, field: str | None = None, errors: Sequence[WeibaoError] = ()):
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors: tuple[WeibaoError, ...] = tuple(errors) or (self,)

    @classmethod
    def of_fields(cls, errors: Sequence[WeibaoError]) -> WeibaoError:
        """One error for several bad fields (or the one error when there is only one)."""
        if len(errors) == 1:
            return errors[0]
        return cls("；".join(e.message for e in errors), errors[0].field, errors)

    def __str__(self) -> str:
        return self.message
