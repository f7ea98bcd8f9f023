"""Server URL normalisation: whatever the user typed → ``scheme://host[:port][/prefix]/api``."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from ppl2album_tui.immich.errors import InvalidServerURL


@dataclass(frozen=True, slots=True)
class ServerURL:
    """A normalised server address.

    `api` is the base for requests (``http://host:2283/api``); `display` is what messages show
    (``http://host:2283``, never any user:password part).
    """

    api: str
    display: str


def normalise_server_url(url: str) -> ServerURL:
    """Accept ``http://host:2283``, with or without a trailing ``/`` or ``/api``; reject the rest.

    A sub-path behind a reverse proxy (``https://example.org/immich``) is kept. Raises
    `InvalidServerURL` with one sentence when there is no http(s) scheme or no host.
    """
    text = url.strip()
    if not text:
        raise InvalidServerURL("No server URL is set; enter one such as http://192.168.1.10:2283.")
    if "://" not in text:
        raise InvalidServerURL(
            f"The server URL {text!r} has no scheme; write it as http://{text} or https://{text}."
        )
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise InvalidServerURL(
            f"The server URL {text!r} must start with http:// or https://, not {parts.scheme}://."
        )
    try:
        host = parts.hostname
        port = parts.port
    except ValueError:
        raise InvalidServerURL(f"The server URL {text!r} has an invalid port number.") from None
    if not host:
        raise InvalidServerURL(f"The server URL {text!r} has no host name.")
    if any(c.isspace() for c in text):
        raise InvalidServerURL(f"The server URL {text!r} contains spaces.")
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
