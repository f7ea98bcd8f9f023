"""Mapping of transport failures and HTTP answers onto the `ImmichError` hierarchy.

Every message is one sentence; none contains the API key (only the server's display URL,
the request's path and Immich's own message are quoted).
"""

from __future__ import annotations

import errno
import re
import socket
import ssl
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import httpx
import msgspec

from ppl2album_tui.immich.errors import (
    BadRequest,
    ImmichError,
    InvalidResponse,
    MissingPermission,
    NotFound,
    NotImmich,
    ServerError,
    ServerUnreachable,
    TLSFailure,
    Unauthorized,
)

_SCOPE_RE = re.compile(r"Missing required permission:\s*([\w.-]+)")

_ERRNO_TEXT = {
    errno.ECONNREFUSED: "connection refused",
    errno.ECONNRESET: "connection reset",
    errno.EHOSTUNREACH: "host unreachable",
    errno.ENETUNREACH: "network unreachable",
    errno.ETIMEDOUT: "the connection timed out",
}


def qbool(value: bool) -> str:
    """A query-string boolean as Immich accepts it: exactly ``"true"`` or ``"false"``."""
    return "true" if value else "false"


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        cur = stack.pop()
        if cur is None or id(cur) in seen:
            continue
        seen.add(id(cur))
        yield cur
        stack.extend([cur.__cause__, cur.__context__])
        if isinstance(cur, BaseExceptionGroup):
            stack.extend(cur.exceptions)


def is_tls_error(exc: BaseException) -> bool:
    """True when a transport error comes from the TLS layer (handshake, certificate)."""
    return any(isinstance(e, ssl.SSLError) for e in _chain(exc)) or "[SSL" in str(exc)


def is_dns_error(exc: BaseException) -> bool:
    """True when the host name could not be resolved (not worth retrying)."""
    return any(isinstance(e, socket.gaierror) for e in _chain(exc))


def _tls_reason(exc: BaseException) -> str:
    for e in _chain(exc):
        if isinstance(e, ssl.SSLCertVerificationError):
            detail = e.verify_message or "certificate verify failed"
            return f"its certificate was not accepted ({detail})"
        if isinstance(e, ssl.SSLError) and e.reason == "WRONG_VERSION_NUMBER":
            return "it does not speak TLS on that port (try http:// instead of https://)"
    text = str(exc)
    if "WRONG_VERSION_NUMBER" in text or "record layer failure" in text:
        return "it does not speak TLS on that port (try http:// instead of https://)"
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return "its certificate was not accepted (set a CA bundle for a self-signed certificate)"
    return "the TLS handshake failed"


def _os_reason(exc: BaseException) -> str | None:
    if is_dns_error(exc) or "Name or service not known" in str(exc):
        return "host name not found"
    for e in _chain(exc):
        if isinstance(e, OSError) and e.errno in _ERRNO_TEXT:
            return _ERRNO_TEXT[e.errno]
    return None


def transport_error(exc: httpx.TransportError, server: str, timeout: float) -> ImmichError:
    """Turn an httpx transport failure into ServerUnreachable / TLSFailure with one sentence,
    carrying the request's path (no status: no answer came)."""
    err = _transport_error(exc, server, timeout)
    try:
        err.path = exc.request.url.path
    except RuntimeError:  # raised without its request
        err.path = None
    return err


def _transport_error(exc: httpx.TransportError, server: str, timeout: float) -> ImmichError:
    if is_tls_error(exc):
        return TLSFailure(f"Cannot connect securely to {server}: {_tls_reason(exc)}.")
    if isinstance(exc, httpx.ConnectTimeout):
        return ServerUnreachable(f"Cannot reach {server}: the connection timed out.")
    if isinstance(exc, httpx.PoolTimeout):
        return ServerUnreachable(f"Cannot reach {server}: too many requests were waiting.")
    if isinstance(exc, httpx.TimeoutException):
        return ServerUnreachable(
            f"The server at {server} did not answer within {timeout:g} seconds."
        )
    if isinstance(exc, httpx.ConnectError):
        reason = _os_reason(exc) or "the connection failed"
        return ServerUnreachable(f"Cannot reach {server}: {reason}.")
    if isinstance(exc, httpx.RemoteProtocolError):
        return ServerUnreachable(
            f"The server at {server} closed the connection without a complete answer."
        )
    if isinstance(exc, httpx.NetworkError):
        reason = _os_reason(exc) or "the connection was dropped"
        return ServerUnreachable(f"Lost the connection to {server}: {reason}.")
    if isinstance(exc, httpx.DecodingError):
        return InvalidResponse(f"The server at {server} sent an answer that could not be decoded.")
    return ServerUnreachable(f"Cannot talk to {server}: {type(exc).__name__}.")


def is_html(response: httpx.Response) -> bool:
    """True for an HTML page (a web UI, a proxy's error page) rather than API JSON."""
    ctype = response.headers.get("content-type", "").lower()
    if "html" in ctype:
        return True
    head = response.content[:200].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


T = TypeVar("T")
decode_any = msgspec.json.Decoder().decode  # JSON bytes -> Python objects, as json.loads


def decode_with(response: httpx.Response, server: str, what: str, read: Callable[[bytes], T]) -> T:
    """`read` (a msgspec decoder) applied to a 2xx answer's body: NotImmich for an HTML page,
    InvalidResponse for bad JSON or JSON of the wrong shape."""
    try:
        return read(response.content)
    except msgspec.ValidationError as err:
        where = str(err).rsplit(" - at ", 1)
        detail = f" ({where[1].strip('`').removeprefix('$.')})" if len(where) == 2 else ""
        raise InvalidResponse(
            f"The server sent an unexpected answer when asked to {what}: a field is missing "
            f"or of the wrong type{detail}."
        ) from None
    except (msgspec.DecodeError, UnicodeDecodeError):
        if is_html(response):
            raise NotImmich(
                f"The server at {server} sent a web page instead of Immich API data "
                f"when asked to {what}; "
                "check that the URL is your Immich server."
            ) from None
        raise InvalidResponse(
            f"The server sent an answer to {what} that is not valid JSON."
        ) from None


def _error_body(response: httpx.Response) -> dict[str, Any] | None:
    try:
        body = decode_any(response.content)
    except (msgspec.DecodeError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def is_validation_failure(response: httpx.Response) -> bool:
    """True for Immich's answer to a malformed request: a 400 listing its (zod) issues."""
    body = _error_body(response)
    return body is not None and isinstance(body.get("errors"), list)


def server_message(response: httpx.Response) -> str:
    """Immich's own error text (``{"message": ...}``), with the first validation issue if any."""
    body = _error_body(response)
    if body is None:
        return ""
    message = body.get("message")
    if isinstance(message, list):  # older Nest validation pipes sent a list of strings
        message = "; ".join(str(m) for m in message)
    text = str(message).strip() if message else ""
    issues = body.get("errors")
    if isinstance(issues, list) and issues and isinstance(issues[0], dict):
        first = issues[0]
        path = ".".join(str(p) for p in first.get("path") or [])
        detail = str(first.get("message") or "").strip()
        if detail:
            text = f"{text}: {path + ' ' if path else ''}{detail}" if text else detail
    return text.rstrip(".")


def status_error(response: httpx.Response, server: str, what: str) -> ImmichError:
    """The ImmichError for a non-2xx answer to the request described by `what`, carrying the
    answer's status and the request's path."""
    err = _status_error(response, server, what)
    err.status = response.status_code
    try:
        err.path = response.request.url.path
    except RuntimeError:  # a response built without its request
        err.path = None
    return err


def _status_error(response: httpx.Response, server: str, what: str) -> ImmichError:
    status = response.status_code
    msg = server_message(response)
    said = f" ({msg})" if msg else ""
    if status == 401:
        return Unauthorized(f"The server rejected the API key{said or ' (401)'}.")
    if status == 403:
        found = _SCOPE_RE.search(msg)
        if found:
            scope = found.group(1).rstrip(".")
            return MissingPermission(
                f"The API key lacks the '{scope}' permission needed to {what}; "
                "add it to the key in Immich under Account Settings → API Keys.",
                scope=scope,
            )
        return MissingPermission(f"The server refused to {what}{said or ' (403)'}.")
    if status == 400 or (status == 404 and msg):
        # Immich answers an unknown or foreign id with a plain 400 ("Not found or no access"),
        # a malformed request with a 400 listing its issues; a 400 without a body is neither
        if status == 404 or (msg and not is_validation_failure(response)):
            return NotFound(f"Could not {what}: Immich says {msg or 'not found'}.", msg)
        return BadRequest(f"Immich rejected the request to {what}: {msg or 'bad request'}.", msg)
    if status == 404:
        return NotImmich(
            f"The server at {server} has no Immich API at this address (404 when asked to {what}); "
            "check the URL."
        )
    if status == 429:
        return ServerError(
            f"The server refused to {what} because of too many requests (429); try again later.",
            status,
        )
    if status >= 500:
        phrase = response.reason_phrase or "error"
        if status in (502, 503, 504):
            return ServerError(
                f"The server or a proxy in front of it was unavailable while trying to {what} "
                f"(HTTP {status} {phrase}).",
                status,
            )
        detail = f": {msg}" if msg else ""
        return ServerError(f"The server failed to {what} (HTTP {status} {phrase}{detail}).", status)
    if 300 <= status < 400:
        where = response.headers.get("location", "elsewhere")
        return InvalidResponse(
            f"The server redirected the request to {what} to {where}; check the server URL."
        )
    return InvalidResponse(f"The server answered the request to {what} with HTTP {status}.")
