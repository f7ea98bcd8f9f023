"""Mirror mode (`remove_unmatched`) over real HTTP: what leaves the album, what stays, undo, the
removal bound and a failed read."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.rules import Rule
from tests.fault_helpers import album_now, ref, tiny_client
from tests.sync_helpers import IMMICH_VERSIONS, engine, photos_of, server_writes


def _only_anna(lib: Library) -> str:
    """A timeline photo that shows Anna and nobody else."""
    anna = lib.person_by_name("Anna").id
    return next(a.id for a in lib.assets_of(anna) if a.people == [anna] and
                a.visibility == "timeline" and not a.is_trashed)  # fmt: skip


def _clara_photo(lib: Library) -> str:
    """A timeline photo of Clara without Anna (it does not match an Anna rule)."""
    anna, clara = lib.person_by_name("Anna").id, lib.person_by_name("Clara").id
    return next(a.id for a in lib.assets_of(clara) if anna not in a.people and
                a.visibility == "timeline" and not a.is_trashed)  # fmt: skip


@pytest.mark.parametrize("immich_version", IMMICH_VERSIONS)
async def test_reassigned_face_leaves_the_album_and_undo_puts_it_back(
    client: ImmichClient, demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    drafts = lib.album_by_name("Drafts").id
    journal = Journal(tmp_path / "journal.jsonl")
    rule = Rule("anna", [ref(lib, "Anna")], album_id=drafts, remove_unmatched=True)
    eng = engine(client, journal, rule)
    first = await eng.run_cycle(incremental=True)
    assert first.rules[0].added == len(photos_of(lib, "Anna")) and first.rules[0].to_remove == 0
    by_hand = _clara_photo(lib)
    lib.add_to_album(drafts, [by_hand])  # a person adds a photo that does not match
    moved = _only_anna(lib)
    lib.reassign_face(moved, lib.person_by_name("Anna").id, lib.person_by_name("Clara").id)
    demo_server.clear_log()

    report = (await eng.run_cycle(incremental=True)).rules[0]  # the tick notices the face

    assert report.ok and not report.unchanged
    assert (report.to_remove, report.removed, report.added) == (1, 1, 0)
    assert album_now(lib, drafts) == photos_of(lib, "Anna") | {by_hand}
    assert server_writes(demo_server) == [f"DELETE /api/albums/{drafts}/assets"]
    again = (await eng.run_cycle(incremental=True)).rules[0]
    assert (again.to_remove, again.removed) == (0, 0)  # nothing left to take out

    plan = await eng.plan_undo(rule)
    assert (plan.count, plan.to_restore) == (0, 1)
    assert await eng.undo(plan) == 0 and plan.restored == 1
    assert moved in album_now(lib, drafts) and by_hand in album_now(lib, drafts)
    after = (await eng.run_cycle()).rules[0]  # the undo sticks: not taken out again
    assert (after.to_remove, after.removed) == (0, 0) and moved in album_now(lib, drafts)


async def test_excluded_and_narrowed_window_remove_only_what_the_rule_added(
    client: ImmichClient, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    family = lib.album_by_name("Family").id  # 50 of Anna's photos put there by hand
    before = album_now(lib, family)
    rule = Rule("anna", [ref(lib, "Anna")], album_id=family, remove_unmatched=True)
    eng = engine(client, Journal(tmp_path / "journal.jsonl"), rule)
    await eng.run_cycle()
    rule.exclude = [ref(lib, "Ben")]
    rule.taken_after = date(2020, 1, 1)
    report = (await eng.run_cycle(allow_removals=True)).rules[0]
    ben = photos_of(lib, "Ben")
    kept = {a for a in photos_of(lib, "Anna") - ben if lib.assets[a].file_created_at.date() >=
            date(2020, 1, 1)}  # fmt: skip
    assert report.ok and report.removed == report.to_remove > 0
    assert album_now(lib, family) == kept | before  # the hand-added 50 all stay


async def test_a_big_removal_is_held_back_until_allowed(
    client: ImmichClient, demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    drafts = lib.album_by_name("Drafts").id
    rule = Rule("anna", [ref(lib, "Anna")], album_id=drafts, remove_unmatched=True)
    eng = engine(client, Journal(tmp_path / "journal.jsonl"), rule)
    await eng.run_cycle()
    full = album_now(lib, drafts)
    rule.taken_after = date(2022, 1, 1)  # most of Anna's photos no longer match
    demo_server.clear_log()

    held = (await eng.run_cycle()).rules[0]

    assert held.ok and held.to_remove > 50 and held.removed == 0 and held.held == held.to_remove
    assert album_now(lib, drafts) == full and server_writes(demo_server) == []
    (notice,) = held.warnings
    assert notice.startswith(f"Rule 'anna': {held.to_remove} photo(s) it added no longer match")
    assert "--allow-removals" in notice
    done = (await eng.run_cycle(allow_removals=True)).rules[0]
    assert done.removed == held.to_remove and not done.warnings
    assert len(album_now(lib, drafts)) == len(full) - done.removed


@pytest.mark.parametrize(
    ("path", "method"),
    [("/api/search/metadata", "POST"), ("/api/albums/*", "GET")],
    ids=["search-or-album-page", "album"],
)
async def test_a_failed_read_removes_nothing(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path, path: str, method: str
) -> None:
    lib = demo_library
    drafts = lib.album_by_name("Drafts").id
    rule = Rule("anna", [ref(lib, "Anna")], album_id=drafts, remove_unmatched=True)
    async with tiny_client(demo_server) as client:
        eng = engine(client, Journal(tmp_path / "journal.jsonl"), rule)
        await eng.run_cycle()
        full = album_now(lib, drafts)
        rule.taken_after = date(2025, 6, 1)
        demo_server.faults.add(path, method, status=503, count=None)
        demo_server.clear_log()
        report = (await eng.run_cycle(allow_removals=True)).rules[0]
    assert not report.ok and report.removed == 0
    assert album_now(lib, drafts) == full and server_writes(demo_server) == []


async def test_apply_removes_only_when_asked(
    client: ImmichClient, demo_library: Library, tmp_path: Path
) -> None:
    """The app's preview applies with `apply(preview)`: it removes nothing until it shows the
    removals and asks (`remove=True`)."""
    lib = demo_library
    drafts = lib.album_by_name("Drafts").id
    rule = Rule("anna", [ref(lib, "Anna")], album_id=drafts, remove_unmatched=True)
    eng = engine(client, Journal(tmp_path / "journal.jsonl"), rule)
    await eng.run_cycle()
    rule.taken_after = date(2024, 1, 1)
    preview = await eng.preview(rule)
    assert preview.plan.to_remove
    full = album_now(lib, drafts)
    assert (await eng.apply(preview)).removed == 0 and album_now(lib, drafts) == full
    result = await eng.apply(await eng.preview(rule), remove=True)
    assert result.removed == len(preview.plan.to_remove)
    assert album_now(lib, drafts) == full - {a.id for a, _ in preview.plan.to_remove}


async def test_a_failed_remove_is_settled_and_sent_again(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    drafts = lib.album_by_name("Drafts").id
    journal = Journal(tmp_path / "journal.jsonl")
    rule = Rule("anna", [ref(lib, "Anna")], album_id=drafts, remove_unmatched=True)
    async with tiny_client(demo_server) as client:
        eng = engine(client, journal, rule)
        await eng.run_cycle()
        moved = _only_anna(lib)
        lib.reassign_face(moved, lib.person_by_name("Anna").id)  # the face is deleted
        demo_server.faults.add(f"/api/albums/{drafts}/assets", "DELETE", kind="drop", count=None)
        failed = (await eng.run_cycle()).rules[0]
        assert not failed.ok and failed.removed == 0 and moved in album_now(lib, drafts)
        assert journal.unresolved_remove(drafts)  # sent, answer lost
        demo_server.faults.clear()
        report = (await eng.run_cycle()).rules[0]
    assert report.ok and report.removed == 1 and moved not in album_now(lib, drafts)
    assert not journal.unresolved_remove(drafts)
