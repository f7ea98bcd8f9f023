"""The one-key path over real HTTP: on 3.3.5, with main and Robin in one cluster group (one id
for Emma) and Robin sharing with main in the timeline, the preview says main's key sees every
photo and how many come from whom; the rewritten rule fills the album with main's key alone
(Robin's revoked). Without the partner sharing, or on 3.1, nothing is said."""

from __future__ import annotations

from pathlib import Path

import pytest

from ppl2album_tui.demo.clusters import join_cluster_group
from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.partners import share_partner
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.rules import PersonRef, Rule
from tests.accounts_helpers import ALBUM, RULE, accounts_on, emma_rule, person, two_accounts
from tests.sync_helpers import visible

pytestmark = pytest.mark.accounts(2)


def emma_of_both(lib: Library) -> tuple[Rule, set[str], set[str]]:
    """After the group is made: the rule naming Emma once per account (one id), and the
    photos of her that main and that Robin own."""
    emma = person(lib, "Emma", None)
    rule = Rule(RULE, [PersonRef(emma.id, "Emma"), PersonRef(emma.id, "Emma", "Robin")],
                album_name=ALBUM)  # fmt: skip
    shown = [a for a in lib.assets_of(emma.id) if visible(a)]
    return rule, {a.id for a in shown if a.owner_id is None}, {a.id for a in shown if a.owner_id}


@pytest.mark.parametrize("immich_version", ["3.3.5"])
async def test_one_key_sees_both_libraries_and_fills_the_album_alone(
    demo_server: DemoServer, demo_library: Library, robin_id: str, tmp_path: Path
) -> None:
    srv, lib = demo_server, demo_library
    robin_key = srv.user_key(robin_id)
    join_cluster_group(lib, [lib.user.id, robin_id])
    rule, mine, robins = emma_of_both(lib)
    assert mine and robins
    config = two_accounts(srv, robin_key, rule)
    async with accounts_on(srv, config, Journal(tmp_path / "j.jsonl")) as accounts:
        assert (await accounts.preview(rule)).one_key is None  # no partner sharing yet
        share_partner(lib, robin_id, lib.user.id, in_timeline=True)
        shown = await accounts.preview(rule)
        one = shown.one_key
        assert one is not None and one.account == "main"
        assert one.owned == {"main": len(mine), "Robin": len(robins)}
        assert (
            f"One key is enough: account 'main' sees all {len(mine | robins)} photos "
            f"({len(mine)} from main · {len(robins)} from Robin)"
        ) in shown.text()[-1]
        assert [(r.id, r.account) for r in one.rule.people] == [(rule.people[0].id, "")]
        assert one.rule.include_partners and not one.rule.album_account
        assert ALBUM not in {a.name for a in lib.albums.values()}  # no write
        srv.revoke_api_key(robin_key)
        config.rules[0] = one.rule
        report = (await accounts.engine.run_cycle()).rules[0]
    assert report.ok, report.errors
    assert set(lib.album_by_name(ALBUM).asset_ids) == mine | robins
    assert not report.accounts  # one part, one key


async def test_on_3_1_nothing_is_said_even_with_partner_sharing(
    demo_server: DemoServer, demo_library: Library, robin_id: str, tmp_path: Path
) -> None:
    srv, lib = demo_server, demo_library
    share_partner(lib, robin_id, lib.user.id, in_timeline=True)
    rule = emma_rule(lib, robin_id)
    config = two_accounts(srv, srv.user_key(robin_id), rule)
    async with accounts_on(srv, config, Journal(tmp_path / "j.jsonl")) as accounts:
        srv.clear_log()
        shown = await accounts.preview(rule)
    assert shown.one_key is None and not any("One key" in line for line in shown.text())
    asked = [r.path for r in srv.request_log if r.path == "/api/users/me"]
    assert len(asked) == 2  # each key's user, read once for the album: nothing probed on 3.1
