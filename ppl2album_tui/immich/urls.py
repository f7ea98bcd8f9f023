"""Server URL normalisation: whatever the user typed → ``scheme://host[:port][/prefix]/api``."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import msgspec

from ppl2album_tui.immich.errors import InvalidServerURL


class ServerURL(msgspec.Struct, frozen=True):
    """A normalised server address.

    `api` is the base for requests (``http://host:2283/api``); `display` is what messages show
    (``http://host:2283``, never any user:password part).
    """

    api: str
    display: str


def url_problem(url: str) -> str | None:
    """What is wrong with server URL `url`, as the end of a sentence about it; None when usable.

    The one URL check: the config reader, the .env reader and the client all word it so. A
    URL without a scheme is refused, never completed: http:// would send the API key in clear
    to a server that wanted https://.
    """
    text = url.strip()
    if not text:
        return "is empty; enter one such as http://192.168.1.10:2283"
    if "://" not in text:
        return f"has no scheme: write http://{text} or https://{text}"
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https"):
        return f"must start with http:// or https:// (got {text!r})"
    try:
        host, _ = parts.hostname, parts.port
    except ValueError:
        return f"has an invalid port number (got {text!r})"
    if not host:
        return f"has no host name (got {text!r})"
    if any(c.isspace() for c in text):
        return f"contains spaces (got {text!r})"
    return None


def normalise_server_url(url: str) -> ServerURL:
    """Accept ``http://host:2283``, with or without a trailing ``/`` or ``/api``; reject the rest.

    A sub-path behind a reverse proxy (``https://example.org/immich``) is kept. Raises
    `InvalidServerURL` with one sentence (see `url_problem`).
    """
    if not url.strip():
        raise InvalidServerURL("No server URL is set; enter one such as http://192.168.1.10:2283.")
    problem = url_problem(url)
    if problem:
        raise InvalidServerURL(f"The server URL {problem}.")
    text = url.strip()
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    host, port = parts.hostname or "", parts.port
    path = parts.path.rstrip("/")
    if path.endswith("/api"):
        path = path[: -len("/api")]
    shown_host = f"[{host}]" if ":" in host else host
    hostport = shown_host if port is None else f"{shown_host}:{port}"
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = f"{userinfo}@{hostport}" if userinfo else hostport
    return ServerURL(
        api=urlunsplit((scheme, netloc, f"{path}/api", "", "")),
        display=urlunsplit((scheme, hostport, path, "", "")),
    )
