"""The one way services report a refused operation: `ServiceError` with a stable code, a Vietnamese message
and optional details. Callers (the CLI, the API, the web admin) map the code, never the message.

| code | class | meaning | API status |
|---|---|---|---|
| `invalid` | ServiceError | the input is wrong (values, rows, a ruleset with errors) | 400 |
| `ambiguous` | ServiceError | more than one answer where one is needed (two rulesets in force) | 400 |
| `forbidden` | Forbidden | outside the caller's role or unit scope | 403 |
| `not_found` | NotFound | the named object does not exist (or is not visible to the caller) | 404 |
| `conflict` | Conflict | the object exists in a state that refuses the change (taken code, a later move) | 409 |
| `published_immutable` | Conflict | a published or retired ruleset version never changes | 409 |
| `tests_failed` | ServiceError | a ruleset's embedded tests fail, so it is not published | 400 |
| `no_legal_basis` | ServiceError | a ruleset cites no legal basis (`căn cứ`), so it is not published | 400 |
"""

from __future__ import annotations

# code -> HTTP status, for the API and the admin (one table; docs/database.md shows it)
CODES = {
    "invalid": 400,
    "ambiguous": 400,
    "tests_failed": 400,
    "no_legal_basis": 400,
    "forbidden": 403,
    "not_found": 404,
    "conflict": 409,
    "published_immutable": 409,
}


class ServiceError(Exception):
    """A refused operation. `message` is Vietnamese and shown as is; `details` lists the reasons (one
    line each: diagnostics, failing tests, rows); `diagnostics` keeps structured ones when there are;
    `code` is one of CODES (the class's default when not given)."""

    default_code = "invalid"

    def __init__(self, message: str, details: list[str] | None = None, *, diagnostics=None, code: str = ""):
        super().__init__(message)
        self.message = message
        self.details = list(details or [])
        self.diagnostics = list(diagnostics or [])
        self.code = code or self.default_code
        if self.code not in CODES:
            raise ValueError(f"unknown service error code {self.code!r}")

    @property
    def status(self) -> int:
        return CODES[self.code]

    def __str__(self) -> str:
        if not self.details:
            return self.message
        return self.message + "\n" + "\n".join(f"  - {d}" for d in self.details)

    def to_json(self) -> dict:
        return {"message": self.message, "details": self.details, "code": self.code}


class NotFound(ServiceError):
    """The named object does not exist, or lies outside the caller's scope (the same answer, so that a
    caller cannot learn which codes exist elsewhere)."""

    default_code = "not_found"


class Forbidden(ServiceError):
    """The caller's role or unit scope does not allow this."""

    default_code = "forbidden"


class Conflict(ServiceError):
    """The stored state refuses the change (a taken code, a published version, a later move)."""

    default_code = "conflict"
