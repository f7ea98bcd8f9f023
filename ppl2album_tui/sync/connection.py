"""The Immich client for the configured server, TLS as the config says (the app and commands)."""

from __future__ import annotations

from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.sync.settings import ServerSettings


def make_client(server: ServerSettings, api_key: str, url: str | None = None) -> ImmichClient:
    """A client for `url` (default: ``server.url``), TLS per ``ca_bundle`` and ``insecure``."""
    verify: bool | str = server.ca_bundle or not server.insecure
    return ImmichClient(url or server.url, api_key, verify=verify)


def tls_warning(server: ServerSettings) -> str | None:
    """The sentence to show when `server` turns TLS certificate checks off, else None."""
    if server.insecure and not server.ca_bundle:
        return "TLS certificate checks are off (server.insecure = true)."
    return None
