"""Incremental ticks: nothing changed → people + 1 requests and no search; any signal → full."""

from __future__ import annotations

from pathlib import Path

import pytest

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.sync.config import Config
from ppl2album_tui.sync.engine import SyncEngine
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.rules import PersonRef, Rule
from tests.sync_helpers import IMMICH_VERSIONS, faceless_photo, kids_engine, not_first_sync


def searches(srv: DemoServer) -> int:
    return sum(1 for r in srv.request_log if r.path.endswith("/search/metadata"))


@pytest.mark.parametrize("immich_version", IMMICH_VERSIONS)
async def test_noop_tick_is_cheap_and_late_faces_are_caught(
    client: ImmichClient, demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    eng = kids_engine(client, lib, tmp_path)
    drafts = lib.album_by_name("Drafts").id
    first = (await eng.run_cycle(incremental=True)).rules[0]
    assert first.added > 0 and not first.unchanged
    full_bytes = sum(r.response_bytes for r in demo_server.request_log)

    demo_server.clear_log()
    tick = (await eng.run_cycle(incremental=True)).rules[0]
    assert tick.unchanged and tick.to_add == 0 and tick.already == first.matched
    assert len(demo_server.request_log) <= 2 + 2  # people + album
    assert searches(demo_server) == 0
    assert sum(r.response_bytes for r in demo_server.request_log) * 20 < full_bytes

    # a face recognised late on an old photo (its updatedAt does not move)
    anna = lib.person_by_name("Anna").id
    old = faceless_photo(lib)
    lib.assign_face(old.id, anna)
    demo_server.clear_log()
    tick = (await eng.run_cycle(incremental=True)).rules[0]
    assert not tick.unchanged and tick.added == 1 and old.id in lib.albums[drafts].asset_ids

    # a new upload
    new = lib.add_asset(people=[anna], file_name="IMG_9999.JPG")
    tick = (await eng.run_cycle(incremental=True)).rules[0]
    assert tick.added == 1 and new.id in lib.albums[drafts].asset_ids
    assert (await eng.run_cycle(incremental=True)).rules[0].unchanged

    # a photo taken out by hand: the album count moves, a full check reports the tombstone
    await client.remove_from_album(drafts, [new.id])
    tick = (await eng.run_cycle(incremental=True)).rules[0]
    assert not tick.unchanged and tick.removed_by_hand == 1 and tick.added == 0
    assert (await eng.run_cycle(incremental=True)).rules[0].unchanged

    # editing the rule changes its fingerprint
    eng.config.rules[0].globs = ["*.jpg"]
    assert not (await eng.run_cycle(incremental=True)).rules[0].unchanged


@pytest.mark.parametrize("immich_version", IMMICH_VERSIONS)
async def test_full_reconcile_interval_and_forced_full(
    client: ImmichClient, demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    eng = kids_engine(client, demo_library, tmp_path, hours=0)
    await eng.run_cycle(incremental=True)
    assert not (await eng.run_cycle(incremental=True)).rules[0].unchanged  # 0 h: always full
    eng.config.sync.full_reconcile_hours = 24
    await eng.run_cycle(incremental=True)
    demo_server.clear_log()
    assert not (await eng.run_cycle()).rules[0].unchanged  # not incremental: full
    assert searches(demo_server) > 0


async def test_unreadable_change_hints_fall_back_to_a_full_reconcile(
    client: ImmichClient, demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    eng = kids_engine(client, lib, tmp_path)
    drafts = lib.album_by_name("Drafts").id
    await eng.run_cycle(incremental=True)
    anna = lib.person_by_name("Anna").id
    new = lib.add_asset(people=[anna], file_name="IMG_7777.JPG")
    stats = "/api/people/*/statistics"
    for fault in ({"status": 500, "count": None}, {"kind": "malformed", "count": None}):
        demo_server.faults.clear()
        demo_server.faults.add(path=stats, method="GET", **fault)
        demo_server.clear_log()
        tick = (await eng.run_cycle(incremental=True)).rules[0]
        assert tick.ok and not tick.unchanged, tick.errors
        assert searches(demo_server) > 0  # the full path ran
        assert new.id in lib.albums[drafts].asset_ids
    # a revoked key would fail the full path too: the rule fails with its sentence
    demo_server.faults.clear()
    demo_server.faults.add(path=stats, method="GET", status=401, count=None)
    demo_server.clear_log()
    tick = (await eng.run_cycle(incremental=True)).rules[0]
    demo_server.faults.clear()
    assert not tick.ok and len(tick.errors) == 1 and "Rule 'kids'" in tick.errors[0]
    assert searches(demo_server) == 0


async def test_a_full_reconcile_reads_without_waiting_for_the_album_or_the_counts(
    client: ImmichClient, demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    eng = kids_engine(client, demo_library, tmp_path)
    drafts = demo_library.album_by_name("Drafts").id
    not_first_sync(eng.journal, drafts)
    for path in (f"/api/albums/{drafts}", "/api/people/*/statistics"):
        demo_server.faults.add(path=path, method="GET", kind="delay", delay=1.0, count=None)
    first = (await eng.run_cycle(incremental=True)).rules[0]
    demo_server.faults.clear()
    assert first.ok and first.added > 0, first.errors
    done = [r.path for r in demo_server.request_log]  # in the order the answers went out
    album_read = done.index(f"/api/albums/{drafts}")
    first_counts = next(i for i, p in enumerate(done) if p.endswith("/statistics"))
    searched = [(i, r.body or {}) for i, r in enumerate(demo_server.request_log)
                if r.path.endswith("/search/metadata")]  # fmt: skip
    people = [i for i, body in searched if "personIds" in body]
    album_pages = [i for i, body in searched if "albumIds" in body]
    assert people and max(people) < min(album_read, first_counts)
    assert album_pages and album_pages[0] < album_read  # its first page did not wait either
    # and the signals were stored: the next tick is a no-op
    assert (await eng.run_cycle(incremental=True)).rules[0].unchanged


async def test_an_album_the_cycle_creates_gets_its_signals_stored(
    client: ImmichClient, demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    people = [PersonRef(demo_library.person_by_name("Anna").id, "Anna")]
    rule = Rule("anna", people, album_name="Anna, all of her")
    eng = SyncEngine(client, Config(rules=[rule]), Journal(tmp_path / "journal.jsonl"))
    first = (await eng.run_cycle(incremental=True)).rules[0]
    assert first.ok and first.added > 0 and first.album_id
    demo_server.clear_log()
    tick = (await eng.run_cycle(incremental=True)).rules[0]
    assert tick.unchanged and tick.already == first.matched
    assert searches(demo_server) == 0 and len(demo_server.request_log) <= 1 + 2


async def test_a_forced_full_sync_leaves_a_baseline_for_the_next_tick(
    client: ImmichClient, demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    eng = kids_engine(client, lib, tmp_path)
    await eng.run_cycle(incremental=True)
    anna = lib.person_by_name("Anna").id
    old = faceless_photo(lib)
    lib.assign_face(old.id, anna)  # a late face: the signals move
    forced = (await eng.run_cycle()).rules[0]  # the app's "sync now", `sync --full`
    assert forced.added == 1
    demo_server.clear_log()
    tick = (await eng.run_cycle(incremental=True)).rules[0]
    assert tick.unchanged and searches(demo_server) == 0
