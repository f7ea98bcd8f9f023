"""One exception hierarchy for everything the Immich client can fail with.

Every message is one sentence a user understands; none ever contains the API key.
"""

from __future__ import annotations

from ppl2album_tui.errors import UserError


class ImmichError(UserError):
    """Base class: `str(err)` is a complete sentence fit to show a user. `status` is the HTTP
    status of the answer and `path` the API path asked (None without an answer / a request)."""

    def __init__(self, message: str, *, status: int | None = None, path: str | None = None) -> None:
        super().__init__(message, path=path)
        self.status = status


class InvalidServerURL(ImmichError):
    """The configured server URL cannot be used (no http:// or https:// scheme, no host...)."""


class ServerUnreachable(ImmichError):
    """No HTTP answer at all: DNS, refused connection, timeout, dropped connection."""


class TLSFailure(ServerUnreachable):
    """The TLS handshake failed (self-signed certificate, wrong host name...)."""


class NotImmich(ImmichError):
    """Something answered, but it is not an Immich server (HTML page, 404 on /api/server/ping)."""


class UnsupportedVersion(ImmichError):
    """The server is Immich, but older than the oldest version this app supports."""


class Unauthorized(ImmichError):
    """401: the API key is wrong, revoked or missing."""


class MissingPermission(ImmichError):
    """403: the API key lacks a scope; `scope` names it (e.g. ``album.read``) when known."""

    def __init__(self, message: str, scope: str | None = None) -> None:
        super().__init__(message, status=403)
        self.scope = scope


class BadRequest(ImmichError):
    """400: Immich rejected the request; `server_message` is Immich's own text."""

    def __init__(self, message: str, server_message: str = "") -> None:
        super().__init__(message, status=400)
        self.server_message = server_message


class NotFound(BadRequest):
    """An unknown or foreign id: a 404, or a 400 that is not a validation failure (Immich
    answers an id it cannot find or may not read with a plain 400, 'Not found or no access')."""


class ServerError(ImmichError):
    """5xx (or 429 after retries ran out): the server failed, not the request."""

    status: int

    def __init__(self, message: str, status: int = 500) -> None:
        super().__init__(message, status=status)


class InvalidResponse(ImmichError):
    """The answer was not the JSON shape the Immich API documents."""
