"""A rule over two accounts of one server, end to end over real HTTP: both accounts' photos of
one child land in one album both can open, each account adding its own with its own key (the
demo refuses the owner's key for Robin's photos, as Immich does); a viewer is refused in one
sentence; a revoked second key fails that account only; tombstones hold across accounts; undo
takes out what each account added with that account's key."""

from __future__ import annotations

from pathlib import Path

import pytest

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.sync.journal import Journal
from tests.accounts_helpers import ALBUM, RULE, accounts_on, emma_rule, photos, two_accounts
from tests.fault_helpers import is_clear_sentence
from tests.sync_helpers import IMMICH_VERSIONS

pytestmark = pytest.mark.accounts(2)


@pytest.mark.parametrize("immich_version", IMMICH_VERSIONS)
async def test_both_accounts_photos_of_emma_land_in_one_album_both_can_open(
    demo_server: DemoServer, demo_library: Library, robin_id: str, tmp_path: Path
) -> None:
    srv, lib = demo_server, demo_library
    robin_key = srv.user_key(robin_id)
    mine, robins = photos(lib, "Emma", None), photos(lib, "Emma", robin_id)
    assert mine and robins and not mine & robins
    config = two_accounts(srv, robin_key, emma_rule(lib, robin_id))
    journal = Journal(tmp_path / "journal.jsonl")
    async with accounts_on(srv, config, journal) as accounts:
        cycle = await accounts.engine.run_cycle()
        report = cycle.rules[0]
        assert report.ok, report.errors
        album = lib.album_by_name(ALBUM)
        assert set(album.asset_ids) == mine | robins
        assert album.owner_id is None and album.members == {robin_id: "editor"}
        assert report.added == len(mine | robins) and report.album == ALBUM
        assert {n: r.added for n, r in report.accounts.items()} == {
            "main": len(mine), "Robin": len(robins)}  # fmt: skip
        assert any("shared with 'Robin' as editor" in w for w in report.warnings)
        again = (await accounts.engine.run_cycle(incremental=True)).rules[0]
        assert again.ok and again.added == 0 and again.to_add == 0
    assert set(journal.added_ids(f"{RULE} @ Robin", album.id)) == robins
    assert set(journal.added_ids(RULE, album.id)) == mine
    async with ImmichClient(srv.url, robin_key) as robin:  # Robin opens the album
        assert await robin.album_asset_ids(album.id) == mine | robins


async def test_the_owners_key_alone_cannot_add_robins_photos(
    client: ImmichClient, demo_library: Library, robin_id: str
) -> None:
    """Why each account adds its own: the demo, like Immich, refuses the owner's key."""
    lib = demo_library
    drafts = lib.album_by_name("Drafts")
    robins = sorted(photos(lib, "Emma", robin_id))
    answers = await client.add_to_album(drafts.id, robins[:3])
    assert {r.error for r in answers} == {"no_permission"}


async def test_a_viewer_is_refused_in_one_sentence_and_the_other_account_adds(
    demo_server: DemoServer, demo_library: Library, robin_id: str, tmp_path: Path
) -> None:
    srv, lib = demo_server, demo_library
    family = lib.album_by_name("Family")
    before = set(family.asset_ids)
    async with ImmichClient(srv.url, srv.api_key) as owner:
        await owner.add_album_users(family.id, {robin_id: "viewer"})
    rule = emma_rule(lib, robin_id, album_name=None, album_id=family.id)
    config = two_accounts(srv, srv.user_key(robin_id), rule)
    async with accounts_on(srv, config, Journal(tmp_path / "j.jsonl")) as accounts:
        report = (await accounts.engine.run_cycle()).rules[0]
    assert not report.ok and len(report.errors) == 1
    sentence = report.errors[0]
    assert is_clear_sentence(sentence) and "'Robin' is a viewer of album 'Family'" in sentence
    assert set(family.asset_ids) == before | photos(lib, "Emma", None)
    assert family.members == {robin_id: "viewer"}  # not promoted behind the owner's back
    assert report.accounts["main"].ok and not report.accounts["Robin"].ok


async def test_a_revoked_second_key_fails_that_account_only(
    demo_server: DemoServer, demo_library: Library, robin_id: str, tmp_path: Path
) -> None:
    srv, lib = demo_server, demo_library
    robin_key = srv.user_key(robin_id)
    srv.revoke_api_key(robin_key)
    config = two_accounts(srv, robin_key, emma_rule(lib, robin_id))
    async with accounts_on(srv, config, Journal(tmp_path / "j.jsonl")) as accounts:
        report = (await accounts.engine.run_cycle()).rules[0]
    assert set(lib.album_by_name(ALBUM).asset_ids) == photos(lib, "Emma", None)
    assert report.accounts["main"].ok and report.accounts["main"].added
    assert [e.split(": ", 1)[1][:27] for e in report.errors] == ["account 'Robin' cannot be u"]
    assert robin_key not in " ".join(report.errors)


async def test_a_photo_removed_by_hand_is_added_again_by_no_account(
    demo_server: DemoServer, demo_library: Library, robin_id: str, tmp_path: Path
) -> None:
    srv, lib = demo_server, demo_library
    config = two_accounts(srv, srv.user_key(robin_id), emma_rule(lib, robin_id))
    async with accounts_on(srv, config, Journal(tmp_path / "j.jsonl")) as accounts:
        assert (await accounts.engine.run_cycle()).ok
        album = lib.album_by_name(ALBUM)
        robins = sorted(photos(lib, "Emma", robin_id))
        lib.remove_from_album(album.id, robins[:2])  # the owner takes two of Robin's out
        report = (await accounts.engine.run_cycle()).rules[0]
    assert report.ok and report.added == 0 and report.removed_by_hand == 2
    assert report.accounts["Robin"].removed_by_hand == 2
    assert not set(robins[:2]) & set(album.asset_ids)


async def test_undo_takes_out_what_each_account_added_with_its_key(
    demo_server: DemoServer, demo_library: Library, robin_id: str, tmp_path: Path
) -> None:
    srv, lib = demo_server, demo_library
    config = two_accounts(srv, srv.user_key(robin_id), emma_rule(lib, robin_id))
    async with accounts_on(srv, config, Journal(tmp_path / "j.jsonl")) as accounts:
        assert (await accounts.engine.run_cycle()).ok
        album = lib.album_by_name(ALBUM)
        assert set(album.asset_ids)
        srv.clear_log()
        undo = await accounts.plan_undo(config.rules[0])
        assert [name for name, _ in undo.plans] == ["main", "Robin"]
        removed = await accounts.undo(undo)
    assert removed == {"main": len(photos(lib, "Emma", None)),
                       "Robin": len(photos(lib, "Emma", robin_id))}  # fmt: skip
    assert not album.asset_ids and not undo.failed
    deletes = [r for r in srv.request_log if r.method == "DELETE"]
    assert len(deletes) == 2  # one per account: an editor may remove only their own photos


async def test_a_dry_run_neither_creates_nor_shares_the_album(
    demo_server: DemoServer, demo_library: Library, robin_id: str, tmp_path: Path
) -> None:
    srv, lib = demo_server, demo_library
    config = two_accounts(srv, srv.user_key(robin_id), emma_rule(lib, robin_id))
    async with accounts_on(srv, config, Journal(tmp_path / "j.jsonl")) as accounts:
        report = (await accounts.engine.run_cycle(dry_run=True)).rules[0]
    assert report.ok and ALBUM not in {a.name for a in lib.albums.values()}
    assert report.to_add == len(photos(lib, "Emma", None) | photos(lib, "Emma", robin_id))
    assert report.accounts["Robin"].to_add == len(photos(lib, "Emma", robin_id))
    assert any("would be shared with 'Robin' as editor" in w for w in report.warnings)
