"""The one base of every error a user is shown: a sentence, plus what it concerns.

`ImmichError` (the server), `RuleError` (a rule cannot run), `ConfigError` (the settings) and
`LockBusy` (another sync runs) all derive from `UserError`, so a boundary catches one type and
shows `str(err)`: one complete sentence that never holds the API key.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem worth one sentence to the user; `rule`, `key` and `path` name what it concerns
    (the rule's name, the config key, the file or API path) when known."""

    def __init__(
        self,
        message: str,
        *,
        rule: str | None = None,
        key: str | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.rule = rule
        self.key = key
        self.path = path
