"""Connecting to a server and checking what the API key may do (no Textual here)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ppl2album_tui.immich.capabilities import Capabilities
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.immich.errors import ImmichError, MissingPermission
from ppl2album_tui.immich.models import ApiKeyInfo, ServerVersion, User
from ppl2album_tui.immich.urls import normalise_server_url

# scope -> why this app needs it (shown next to a missing one)
REQUIRED_SCOPES: dict[str, str] = {
    "person.read": "list people and their faces",
    "person.statistics": "show photo counts per person",
    "asset.read": "search photos by person",
    "asset.view": "show photo thumbnails",
    "album.read": "read the target albums",
    "album.create": "create a new album",
    "albumAsset.create": "add photos to albums",
    "albumAsset.delete": "undo an apply",
    "user.read": "show who is signed in and whom an album can be shared with",
    "albumUser.create": "share albums with other users",
    "albumUser.update": "change a shared user's role (viewer or editor)",
    "albumUser.delete": "stop sharing an album with a user",
    "sharedLink.create": "make shared links for relatives without an account",
}

ClientFactory = Callable[[str, str], ImmichClient]


@dataclass
class Session:
    """A checked connection: the client plus what the server said about itself and the key."""

    client: ImmichClient
    url: str
    version: ServerVersion
    user: User | None
    key: ApiKeyInfo | None
    missing: list[str] = field(default_factory=list)

    @property
    def capabilities(self) -> Capabilities:
        """What this server version can do (search v2, new merge, people sharing)."""
        return Capabilities.of(self.version)

    @property
    def host(self) -> str:
        """The server's host[:port], for the header."""
        rest = self.url.split("://", 1)[-1]
        return rest.split("/", 1)[0]


async def open_session(url: str, api_key: str, factory: ClientFactory) -> Session:
    """Connect and check the server, the user and the key's scopes; raises ImmichError.

    The client is closed again when the check fails.
    """
    normalise_server_url(url)  # InvalidServerURL, one sentence; a missing scheme is not guessed
    url = url.strip()
    if not api_key.strip():
        raise ImmichError("Enter an API key (Immich: Account settings → API keys).")
    client = factory(url, api_key.strip())
    try:
        version = await client.check_version()
        key: ApiKeyInfo | None
        try:
            key = await client.key_permissions()
        except MissingPermission:
            key = None
        user: User | None
        try:
            user = await client.me()
        except MissingPermission:
            user = None
        missing = [s for s in REQUIRED_SCOPES if key is not None and not key.allows(s)]
        return Session(client, url.rstrip("/"), version, user, key, missing)
    except BaseException:
        await client.aclose()
        raise
