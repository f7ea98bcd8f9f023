"""Connect's Test line names the server's version and what it can do."""

from __future__ import annotations

from pathlib import Path

import pytest

from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.immich.client import ImmichClient
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
    session = await open_session(demo_server.url, demo_server.api_key, ImmichClient)
    try:
        assert describe_session(session).plain.splitlines()[0] == line
    finally:
        await session.client.aclose()


@pytest.mark.parametrize("immich_version", ["3.3.5"])
async def test_the_preview_says_partner_photos_were_left_out(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    from ppl2album_tui.demo.partners import add_partner_photos
    from ppl2album_tui.immich.client import ImmichClient
    from ppl2album_tui.tui.panes.preview import counts_text
    from tests.sync_helpers import kids_engine

    lib = demo_server.library
    add_partner_photos(lib, 9)  # 6 of them show Anna or Ben
    async with ImmichClient(demo_server.url, demo_server.api_key) as client:
        eng = kids_engine(client, lib, tmp_path)
        preview = await eng.preview(eng.config.rules[0])
    text = counts_text(preview).plain
    assert text.endswith(
        "\n6 photos shared by a partner left out (set include_partners = true to take them too)."
    )
