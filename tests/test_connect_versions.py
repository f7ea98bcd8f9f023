"""Connect's Test line names the server's version and what it can do."""

from __future__ import annotations

import pytest

from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.tui.screens.connect import describe_session
from ppl2album_tui.tui.session import open_session


@pytest.mark.parametrize(
    ("immich_version", "line"),
    [
        ("3.1.0", "✓ Immich 3.1.0 · signed in as Demo User"),
        ("3.3.5", "✓ Immich 3.3.5 · search v2 · people sharing · signed in as Demo User"),
    ],
)
async def test_connect_shows_the_capabilities(demo_server: DemoServer, line: str) -> None:
    session = await open_session(demo_server.url, demo_server.api_key)
    try:
        assert describe_session(session).plain.splitlines()[0] == line
    finally:
        await session.client.aclose()
