"""Sharing (`share_with`, `shared_link`) over real HTTP: who the album is shared with and in what
role, kept in step as the rule changes (only members this app added leave), the shared link
made once over several ticks, and refusals as one sentence."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.rules import Rule, ShareRef
from tests.fault_helpers import album_now, ref
from tests.sync_helpers import engine, photos_of, server_writes

pytestmark = pytest.mark.accounts(3)  # Demo User, Robin Roe, Sam Sample


def _sam(lib: Library) -> str:
    return next(u.id for u in lib.users.values() if u.email == "sam@example.com")


def _grandparents(lib: Library) -> Rule:
    return Rule(
        "grandparents",
        [ref(lib, "Anna")],
        album_name="For the grandparents",
        share_with=[ShareRef("Robin@Example.com", "viewer")],
        shared_link=True,
        shared_link_expires=date(2027, 6, 30),
        shared_link_password="s3cret-pass",
        shared_link_allow_download=False,
    )


async def test_album_made_shared_with_a_viewer_and_one_link_over_ticks(
    client: ImmichClient, demo_server: DemoServer, demo_library: Library, tmp_path: Path,
    robin_id: str,
) -> None:  # fmt: skip
    lib = demo_library
    rule = _grandparents(lib)
    eng = engine(client, Journal(tmp_path / "journal.jsonl"), rule)

    dry = (await eng.run_cycle(dry_run=True)).rules[0]
    assert dry.ok and dry.shared_with == [{"user": "Robin Roe <robin@example.com>",
                                           "role": "viewer"}]  # fmt: skip
    assert dry.link_to_make and dry.shared_link is None
    assert server_writes(demo_server) == [] and not lib.shared_links

    demo_server.clear_log()
    report = (await eng.run_cycle(incremental=True)).rules[0]
    assert report.ok, report.errors
    album = lib.album_by_name("For the grandparents")
    assert album_now(lib, album.id) == photos_of(lib, "Anna")
    assert album.members == {robin_id: "viewer"}
    log = demo_server.request_log
    create = next(r for r in log if r.method == "POST" and r.path == "/api/albums")
    assert create.body["albumUsers"] == [{"userId": robin_id, "role": "viewer"}]
    [link] = lib.shared_links.values()
    assert (link.album_id, link.password, link.allow_download) == (album.id, "s3cret-pass", False)
    assert link.expires_at == datetime(2027, 7, 1, tzinfo=UTC)  # the end of its last day
    assert report.shared_link == f"{demo_server.url}/share/{link.key}"
    assert "s3cret-pass" not in json.dumps(report.to_dict()) + report.summary()

    for _ in range(3):  # later ticks share nothing again and make no second link
        demo_server.clear_log()
        again = (await eng.run_cycle(incremental=True)).rules[0]
        assert again.ok and again.shared_link == report.shared_link
        assert again.shared_with == [{"user": "Robin Roe <robin@example.com>", "role": "viewer"}]
        assert server_writes(demo_server) == []
        assert not [r for r in demo_server.request_log if r.path.endswith("/users")]
    assert len(lib.shared_links) == 1
    full = (await eng.run_cycle()).rules[0]  # a full reconcile too
    assert full.ok and len(lib.shared_links) == 1 and server_writes(demo_server) == []


async def test_kept_in_step_only_what_this_app_added_leaves(
    client: ImmichClient, demo_server: DemoServer, demo_library: Library, tmp_path: Path,
    robin_id: str,
) -> None:  # fmt: skip
    lib = demo_library
    family = lib.album_by_name("Family")
    sam = _sam(lib)
    await client.add_album_users(family.id, {sam: "editor"})  # shared by hand before the rule
    rule = Rule("anna", [ref(lib, "Anna")], album_id=family.id,
                share_with=[ShareRef("sam@example.com", "editor")])  # fmt: skip
    eng = engine(client, Journal(tmp_path / "journal.jsonl"), rule)
    first = (await eng.run_cycle()).rules[0]
    assert first.ok and family.members == {sam: "editor"}

    rule.share_with.append(ShareRef(robin_id, "viewer"))  # by id, added later
    demo_server.clear_log()
    assert (await eng.run_cycle()).rules[0].ok
    assert family.members == {sam: "editor", robin_id: "viewer"}
    assert server_writes(demo_server) == [f"PUT /api/albums/{family.id}/users"]

    rule.share_with = [ShareRef(robin_id, "editor")]  # Sam removed, Robin's role changed
    demo_server.clear_log()
    assert (await eng.run_cycle()).rules[0].ok
    assert family.members == {sam: "editor", robin_id: "editor"}  # Sam was not ours: stays
    assert server_writes(demo_server) == [f"PUT /api/albums/{family.id}/user/{robin_id}"]

    rule.share_with = []
    demo_server.clear_log()
    report = (await eng.run_cycle()).rules[0]
    assert report.ok and family.members == {sam: "editor"}  # Robin was ours: leaves
    assert server_writes(demo_server) == [f"DELETE /api/albums/{family.id}/user/{robin_id}"]
    demo_server.clear_log()
    assert (await eng.run_cycle()).rules[0].ok and server_writes(demo_server) == []


async def test_refusals_are_one_sentence_and_the_photos_still_go_in(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    drafts = lib.album_by_name("Drafts").id
    rule = Rule("anna", [ref(lib, "Anna")], album_id=drafts,
                share_with=[ShareRef("nobody@example.com")])  # fmt: skip
    scopes = ["person.read", "person.statistics", "asset.read", "album.read",
              "albumAsset.create", "user.read"]  # fmt: skip
    key = demo_server.add_api_key(scopes)
    async with ImmichClient(demo_server.url, key) as limited:
        eng = engine(limited, Journal(tmp_path / "journal.jsonl"), rule)
        report = (await eng.run_cycle()).rules[0]
        assert report.errors == [
            "Rule 'anna': share_with names 'nobody@example.com', but no user of the server "
            "has that email or id."
        ]
        assert album_now(lib, drafts) == photos_of(lib, "Anna")

        rule.share_with = [ShareRef("robin@example.com")]
        rule.shared_link = True
        report = (await eng.run_cycle()).rules[0]
        assert report.errors == [
            "Rule 'anna': the API key may not share albums (it lacks the albumUser.create "
            "permission).",
            "Rule 'anna': the API key may not make shared links (it lacks the sharedLink.create "
            "permission).",
        ]
        assert not lib.shared_links and not lib.albums[drafts].members


async def test_an_album_of_another_user_is_not_shared(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path, robin_id: str
) -> None:
    lib = demo_library
    family = lib.album_by_name("Family")
    async with ImmichClient(demo_server.url, demo_server.user_key(robin_id)) as robin:
        await ImmichClient(demo_server.url, demo_server.api_key).add_album_users(
            family.id, {robin_id: "editor"}
        )
        anna = next(p for p in await robin.people() if p.name == "Anna")
        rule = Rule("r", [ref(lib, "Anna")], album_id=family.id,
                    share_with=[ShareRef("sam@example.com")])  # fmt: skip
        rule.people = [type(rule.people[0])(anna.id, "Anna")]
        report = (await engine(robin, Journal(tmp_path / "j.jsonl"), rule).run_cycle()).rules[0]
    assert report.errors == [
        "Rule 'r': the album 'Family' belongs to another user: only its owner can share it."
    ]
    assert family.members == {robin_id: "editor"}
