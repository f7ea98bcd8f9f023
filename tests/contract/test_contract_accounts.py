"""The exchanges a rule over two accounts makes, checked against the Immich 3.1 spec by the
`demo_server` fixture's validator: the owner creating the album already shared (`POST /albums`
with `albumUsers`) or sharing it later (`PUT /albums/{id}/users`), the member reading it and
adding and removing its own photos with its own key, and a revoked key's 401."""

from __future__ import annotations

from pathlib import Path

import pytest

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.sync.journal import Journal
from tests.accounts_helpers import accounts_on, emma_rule, two_accounts
from tests.spec import recorder_for, spec_missing_reason

SKIP_REASON = spec_missing_reason()
pytestmark = [
    pytest.mark.skipif(SKIP_REASON is not None, reason=str(SKIP_REASON)),
    pytest.mark.accounts(2),
]


def _calls(srv: DemoServer) -> list[tuple[str, str, int]]:
    album_paths = {f"/api/albums/{a.id}": "/api/albums/{id}" for a in srv.library.albums.values()}
    out = []
    for r in srv.request_log:
        path = r.path
        for real, shape in album_paths.items():
            path = path.replace(real, shape)
        out.append((r.method, path, r.status))
    return out


async def test_a_rule_over_two_accounts_speaks_the_spec(
    demo_server: DemoServer, demo_library: Library, robin_id: str, tmp_path: Path
) -> None:
    srv, lib = demo_server, demo_library
    robin_key = srv.user_key(robin_id)
    config = two_accounts(srv, robin_key, emma_rule(lib, robin_id))
    async with accounts_on(srv, config, Journal(tmp_path / "j.jsonl")) as accounts:
        assert (await accounts.engine.run_cycle()).ok
        await accounts.undo(await accounts.plan_undo(config.rules[0]))
        family = lib.album_by_name("Family")
        shared = two_accounts(srv, robin_key, emma_rule(lib, robin_id, album_name="Family"))
        accounts.config.rules = shared.rules
        assert (await accounts.engine.run_cycle()).ok
        srv.revoke_api_key(robin_key)
        assert not (await accounts.engine.run_cycle()).ok
    calls = _calls(srv)
    assert ("POST", "/api/albums", 201) in calls  # created already shared with Robin
    created = next(r for r in srv.request_log if r.method == "POST" and r.path == "/api/albums")
    assert created.body["albumUsers"] == [{"userId": robin_id, "role": "editor"}]
    assert ("PUT", "/api/albums/{id}/users", 200) in calls  # Family shared later
    assert family.members == {robin_id: "editor"}
    for method in ("PUT", "DELETE"):  # Robin's adds and the undo of them, with Robin's key
        assert calls.count((method, "/api/albums/{id}/assets", 200)) >= 2
    assert any(status == 401 for _, _, status in calls)  # the revoked key, refused
    rec = recorder_for(srv)
    assert rec is not None and rec.exchanges >= len(calls) and not rec.violations
