"""Connect names the sharing scopes a key lacks, like the others (issue 14 §1)."""

from __future__ import annotations

from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.tui.session import open_session


async def test_connect_names_the_missing_sharing_scopes(demo_server: DemoServer) -> None:
    key = demo_server.add_api_key(["person.read", "asset.read", "album.read", "user.read"])
    session = await open_session(demo_server.url, key, ImmichClient)
    try:
        assert {"albumUser.create", "albumUser.delete", "sharedLink.create"} <= set(session.missing)
        assert "user.read" not in session.missing
    finally:
        await session.client.aclose()
