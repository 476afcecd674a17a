"""The one exception services raise for a refused operation: a Vietnamese message and optional details."""

from __future__ import annotations


class ServiceError(Exception):
    """A refused operation. `message` is Vietnamese and shown as is; `details` lists the reasons (one
    line each: diagnostics, failing tests, rows); `diagnostics` keeps structured ones when there are."""

    def __init__(self, message: str, details: list[str] | None = None, *, diagnostics=None, code: str = ""):
        super().__init__(message)
        self.message = message
        self.details = list(details or [])
        self.diagnostics = list(diagnostics or [])
        self.code = code

    def __str__(self) -> str:
        if not self.details:
            return self.message
        return self.message + "\n" + "\n".join(f"  - {d}" for d in self.details)

    def to_json(self) -> dict:
        return {"message": self.message, "details": self.details, "code": self.code}


class NotFound(ServiceError):
    """The named object does not exist."""
