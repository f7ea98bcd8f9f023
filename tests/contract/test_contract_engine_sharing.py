"""The exchanges the sync engine's sharing sends (sync/sharing.py: an album made shared, members
added, re-roled and taken out, a shared link, and Immich's refusal to take out a member who had
left already), checked against the Immich 3.1 spec by the `demo_server` fixture's validator."""

from __future__ import annotations

from pathlib import Path

import pytest

from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.rules import Rule, ShareRef
from tests.fault_helpers import ref
from tests.spec import load_spec, recorder_for, spec_missing_reason
from tests.sync_helpers import engine

SKIP_REASON = spec_missing_reason()
pytestmark = [
    pytest.mark.skipif(SKIP_REASON is not None, reason=str(SKIP_REASON)),
    pytest.mark.accounts(3),
]

ENGINE_SHARING_ROUTES = {
    ("GET", "/users"),
    ("POST", "/albums"),  # with albumUsers
    ("PUT", "/albums/{id}/users"),
    ("PUT", "/albums/{id}/user/{userId}"),
    ("DELETE", "/albums/{id}/user/{userId}"),
    ("POST", "/shared-links"),
}


def _templates(server: DemoServer) -> set[tuple[str, str]]:
    spec, seen = load_spec(), set()
    for record in server.request_log:
        for tpl, _ in spec.match_path(record.path.removeprefix("/api")):
            if record.method in tpl.operations:
                seen.add((record.method, tpl.template))
                break
    return seen


async def test_the_engines_sharing_exchanges_conform(
    client: ImmichClient, demo_server: DemoServer, tmp_path: Path
) -> None:
    lib = demo_server.library
    robin, sam = (u.id for u in lib.users.values())
    rule = Rule("r", [ref(lib, "Anna")], album_name="Shared", shared_link=True,
                shared_link_password="pw", share_with=[ShareRef(robin)])  # fmt: skip
    eng = engine(client, Journal(tmp_path / "journal.jsonl"), rule)
    assert (await eng.run_cycle()).ok  # made shared, and the link
    rule.share_with = [ShareRef(robin, "editor"), ShareRef("sam@example.com")]
    assert (await eng.run_cycle()).ok  # re-roled, added
    album = lib.album_by_name("Shared")
    await client.remove_album_user(album.id, sam)  # a person takes Sam out in Immich…
    rule.share_with = [ShareRef(robin, "editor")]
    assert (await eng.run_cycle()).ok  # …so taking Sam out is refused (400), and is done
    rule.share_with = []
    assert (await eng.run_cycle()).ok  # Robin taken out
    assert not album.members and len(lib.shared_links) == 1

    recorder = recorder_for(demo_server)
    assert recorder is not None and not [str(v) for v in recorder.violations]
    assert _templates(demo_server) >= ENGINE_SHARING_ROUTES
    refused = [r for r in demo_server.request_log if r.status == 400]
    assert [(r.method, r.path) for r in refused] == [
        ("DELETE", f"/api/albums/{album.id}/user/{sam}")
    ]
