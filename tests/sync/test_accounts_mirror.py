"""Mirror mode and undo over two accounts, engine over real HTTP: each account takes out only
what its own part added and no longer matches (a photo removed by hand or added by a person is
left alone, whichever account's it is), and undo takes back each account's own last apply with
its own key, not the last cycle's."""

from __future__ import annotations

from pathlib import Path

import pytest

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.sync.accounts import last_applies
from ppl2album_tui.sync.journal import Journal
from tests.accounts_helpers import ALBUM, accounts_on, emma_rule, person, photos, two_accounts

pytestmark = pytest.mark.accounts(2)


def not_emma(lib: Library, owner: str | None) -> str:
    """A timeline photo of `owner`'s without Emma on it."""
    emma = {person(lib, "Emma", o).id for o in (None, *lib.users)}
    return next(a.id for a in lib.sorted_assets() if a.owner_id == owner and
                a.visibility == "timeline" and not emma & set(a.people))  # fmt: skip


async def test_mirror_mode_removes_per_account_only_what_no_longer_matches(
    demo_server: DemoServer, demo_library: Library, robin_id: str, tmp_path: Path
) -> None:
    srv, lib = demo_server, demo_library
    robin_key = srv.user_key(robin_id)
    rule = emma_rule(lib, robin_id, remove_unmatched=True)
    config = two_accounts(srv, robin_key, rule)
    mine, robins = photos(lib, "Emma", None), photos(lib, "Emma", robin_id)
    async with accounts_on(srv, config, Journal(tmp_path / "j.jsonl")) as accounts:
        assert (await accounts.engine.run_cycle()).ok
        album = lib.album_by_name(ALBUM)
        assert set(album.asset_ids) == mine | robins
        mine_gone, (robin_gone, by_hand_out) = min(mine), sorted(robins)[:2]
        lib.reassign_face(mine_gone, person(lib, "Emma", None).id)  # a face fixed: not Emma
        lib.reassign_face(robin_gone, person(lib, "Emma", robin_id).id)
        lib.remove_from_album(album.id, [by_hand_out])  # the owner takes one of Robin's out
        by_main, by_robin = not_emma(lib, None), not_emma(lib, robin_id)
        lib.add_to_album(album.id, [by_main])  # people add photos that do not match
        async with ImmichClient(srv.url, robin_key) as robin:
            assert (await robin.add_to_album(album.id, [by_robin]))[0].success
        report = (await accounts.engine.run_cycle(allow_removals=True)).rules[0]
        assert report.ok, report.errors
        assert {n: (p.removed, p.added) for n, p in report.accounts.items()} == {
            "main": (1, 0), "Robin": (1, 0)}  # fmt: skip
        expected = (mine | robins) - {mine_gone, robin_gone, by_hand_out} | {by_main, by_robin}
        assert set(album.asset_ids) == expected
        again = (await accounts.engine.run_cycle(allow_removals=True)).rules[0]
        assert (again.removed, again.added, again.to_remove) == (0, 0, 0)
    assert set(album.asset_ids) == expected


async def test_undo_takes_back_each_accounts_own_last_apply(
    demo_server: DemoServer, demo_library: Library, robin_id: str, tmp_path: Path
) -> None:
    srv, lib = demo_server, demo_library
    config = two_accounts(srv, srv.user_key(robin_id), emma_rule(lib, robin_id))
    mine, robins = photos(lib, "Emma", None), photos(lib, "Emma", robin_id)
    async with accounts_on(srv, config, Journal(tmp_path / "j.jsonl")) as accounts:
        assert (await accounts.engine.run_cycle()).ok
        album = lib.album_by_name(ALBUM)
        new = lib.add_asset([person(lib, "Emma", robin_id).id], "ROBIN_NEW.JPG")
        new.owner_id, new.json_cache = robin_id, None
        second = (await accounts.engine.run_cycle()).rules[0]
        assert {n: p.added for n, p in second.accounts.items()} == {"main": 0, "Robin": 1}
        srv.clear_log()
        journal = accounts.engine.journal
        shown = last_applies(journal, config.rules[0], config)  # what the app's undo offers
        assert {n: len(r.undoable) for n, r in shown.items()} == {"main": len(mine), "Robin": 1}
        undo = await accounts.plan_undo(config.rules[0])
        assert {n: p.count for n, p in undo.plans} == {"main": len(mine), "Robin": 1}
        assert await accounts.undo(undo) == {"main": len(mine), "Robin": 1}
        assert set(album.asset_ids) == robins  # Robin's first apply stays, main's is undone
        deletes = [r.body["ids"] for r in srv.request_log if r.method == "DELETE"]
        assert sorted(map(len, deletes)) == [1, len(mine)]  # one per account, with its key
        assert list(last_applies(journal, config.rules[0], config)) == ["Robin"]
        undo = await accounts.plan_undo(config.rules[0])
        assert [n for n, _ in undo.plans] == ["Robin"]
        assert await accounts.undo(undo) == {"Robin": len(robins)}
    assert not album.asset_ids
