"""The upload watermark: new uploads are added by one search since the watermark, without the
album or the people's full searches; a late face on an old photo still means a full reconcile."""

from __future__ import annotations

from pathlib import Path

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.sync.rules import PersonRef
from tests.sync_helpers import faceless_photo, kids_engine


def searches(srv: DemoServer) -> list[dict[str, object]]:
    return [r.body for r in srv.request_log if r.path.endswith("/search/metadata")]


async def test_new_uploads_cost_one_search(
    client: ImmichClient, demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    eng = kids_engine(client, lib, tmp_path)
    drafts = lib.album_by_name("Drafts").id
    anna, ben = lib.person_by_name("Anna").id, lib.person_by_name("Ben").id
    clara = lib.person_by_name("Clara").id
    first = (await eng.run_cycle(incremental=True)).rules[0]
    assert first.ok and first.added > 0

    new = [lib.add_asset(people=[anna]), lib.add_asset(people=[ben, clara])]
    other = lib.add_asset(people=[clara])  # not the rule's
    demo_server.clear_log()
    tick = (await eng.run_cycle(incremental=True)).rules[0]
    assert tick.ok and tick.added == 2 and not tick.unchanged
    album = lib.albums[drafts].asset_ids
    assert all(a.id in album for a in new) and other.id not in album
    bodies = searches(demo_server)
    assert len(bodies) == 1 and "updatedAfter" in bodies[0] and bodies[0].get("withPeople")
    assert len(demo_server.request_log) <= 2 + 1 + 1 + 1  # statistics ×2, album, search, add

    # the signals moved on: the next tick is a no-op again
    demo_server.clear_log()
    assert (await eng.run_cycle(incremental=True)).rules[0].unchanged
    assert not searches(demo_server)


async def test_late_face_and_tombstones_still_go_through_the_full_reconcile(
    client: ImmichClient, demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    eng = kids_engine(client, lib, tmp_path)
    drafts = lib.album_by_name("Drafts").id
    anna = lib.person_by_name("Anna").id
    await eng.run_cycle(incremental=True)

    # an upload and a late face at once: the counts do not add up → full reconcile
    new = lib.add_asset(people=[anna])
    old = faceless_photo(lib)
    lib.assign_face(old.id, anna)
    demo_server.clear_log()
    tick = (await eng.run_cycle(incremental=True)).rules[0]
    assert tick.ok and tick.added == 2
    assert new.id in lib.albums[drafts].asset_ids and old.id in lib.albums[drafts].asset_ids
    assert any("albumIds" in b for b in searches(demo_server))  # the album was read

    # a new upload of a photo this tool added before and a person then removed: not re-added
    again = lib.add_asset(people=[anna])
    await eng.run_cycle(incremental=True)
    assert again.id in lib.albums[drafts].asset_ids
    await client.remove_from_album(drafts, [again.id])
    assert (await eng.run_cycle(incremental=True)).rules[0].removed_by_hand == 1
    lib.update_asset(again.id, is_favorite=True)  # edited: in the next watermark search
    newer = lib.add_asset(people=[anna])
    tick = (await eng.run_cycle(incremental=True)).rules[0]
    assert tick.ok and newer.id in lib.albums[drafts].asset_ids
    assert again.id not in lib.albums[drafts].asset_ids  # the tombstone held


async def test_vetoed_and_excluded_uploads_are_left_out(
    client: ImmichClient, demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    clara = lib.person_by_name("Clara")
    eng = kids_engine(client, lib, tmp_path, exclude=[PersonRef(clara.id, "Clara")])
    drafts = lib.album_by_name("Drafts").id
    anna = lib.person_by_name("Anna").id
    vetoed = lib.add_asset(people=[anna])
    eng.config.rules[0].never_add.append(vetoed.id)
    await eng.run_cycle(incremental=True)
    with_clara = lib.add_asset(people=[anna, clara.id])
    lib.update_asset(vetoed.id, is_favorite=True)  # edited: the watermark search finds it too
    fine = lib.add_asset(people=[anna])
    demo_server.clear_log()
    tick = (await eng.run_cycle(incremental=True)).rules[0]
    album = lib.albums[drafts].asset_ids
    assert tick.ok and tick.added == 1 and fine.id in album
    assert with_clara.id not in album and vetoed.id not in album
    assert tick.vetoed == 1 and tick.filtered == 1
    assert not any("albumIds" in b for b in searches(demo_server))  # the delta path
