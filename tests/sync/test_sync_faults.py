"""Faults mid-run end the affected rule with one sentence, the others go on, and the journal
always agrees with the album (never a wrong add, never a record of an add that did not happen)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.immich.errors import ImmichError
from ppl2album_tui.sync.engine import SyncEngine
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.rules import Rule
from tests.fault_helpers import SLOW, TINY_RETRY, ServerWatch, ref, tiny_client
from tests.sync_helpers import engine, photos_of


def agree(eng: SyncEngine, lib: Library, album_id: str, before: set[str]) -> None:
    """Nothing recorded that is not in the album; nothing new in the album that the journal
    cannot account for (recorded, or sent in a chunk whose answer was lost)."""
    album = set(lib.albums[album_id].asset_ids)
    recorded = eng.journal.previously_added(album_id)
    pending = {i for _, ids in eng.journal.unresolved(album_id).values() for i in ids}
    assert recorded <= album and album - before <= recorded | pending


async def test_person_merged_away_and_album_deleted(
    client: ImmichClient, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    drafts, summer = lib.album_by_name("Drafts").id, lib.album_by_name("Summer 2019").id
    ben = ref(lib, "Ben")
    lib.merge_person(lib.person_by_name("Anna").id, ben.id)
    lib.delete_album(summer)
    eng = engine(client, Journal(tmp_path / "journal.jsonl"),
                 Rule("ben", [ben], album_id=drafts),
                 Rule("summer", [ref(lib, "Clara")], album_id=summer),
                 Rule("david", [ref(lib, "David")], album_id=drafts))  # fmt: skip
    report = await eng.run_cycle()
    by = {r.rule: r for r in report.rules}
    assert "'Ben'" in by["ben"].errors[0] and "merged or deleted" in by["ben"].errors[0]
    assert by["summer"].errors and by["summer"].errors[0].startswith("Rule 'summer':")
    assert by["david"].ok and set(lib.albums[drafts].asset_ids) == photos_of(lib, "David")
    for r in report.rules:
        assert all("\n" not in e and e.endswith(".") for e in r.errors)


@pytest.mark.parametrize(
    ("status", "kind", "recovers"),
    [(401, "status", False), (500, "status", True), (503, "status", True), (0, "drop", True),
     (200, "malformed", False), (502, "html", True)],
)  # fmt: skip
async def test_fault_on_a_chunk(
    client: ImmichClient,
    demo_server: DemoServer,
    demo_library: Library,
    tmp_path: Path,
    status: int,
    kind: str,
    recovers: bool,
) -> None:
    lib = demo_library
    family = lib.album_by_name("Family").id
    before = set(lib.albums[family].asset_ids)
    eng = engine(
        client,
        Journal(tmp_path / "journal.jsonl"),
        Rule("anna", [ref(lib, "Anna")], album_id=family),
        chunk=40,
    )
    # one chunk meets the fault once (retried by the client where that is safe)
    demo_server.faults.add(path=f"/api/albums/{family}/assets", method="PUT", kind=kind,  # type: ignore[arg-type]
                           status=status, count=1)  # fmt: skip
    first = (await eng.run_cycle()).rules[0]
    agree(eng, lib, family, before)
    want = before | photos_of(lib, "Anna")
    if recovers:
        assert first.ok and set(lib.albums[family].asset_ids) == want
    else:
        assert first.errors and "Traceback" not in first.errors[0]
        assert set(lib.albums[family].asset_ids) <= want  # never a wrong add
    again = (await eng.run_cycle()).rules[0]  # the next cycle completes and settles
    assert again.ok and set(lib.albums[family].asset_ids) == want
    assert eng.journal.unresolved(family) == {}
    agree(eng, lib, family, before)


@pytest.mark.parametrize("fault", ["timeout", "drop"])
async def test_undo_whose_answer_is_lost_is_settled_not_tombstoned(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path, fault: str
) -> None:
    """Timeout: the server removed the photos but the answer never came; drop: it never got the
    request. Either way the next run settles the undo against the album: journal and album
    agree and no photo counts as removed by hand."""
    srv, lib = demo_server, demo_library
    drafts = lib.album_by_name("Drafts").id
    path = f"/api/albums/{drafts}/assets"
    rule = Rule("anna", [ref(lib, "Anna")], album_id=drafts)
    journal = Journal(tmp_path / "journal.jsonl")
    watch = ServerWatch(srv)
    async with tiny_client(srv) as client:
        eng = engine(client, journal, rule)
        assert (await eng.run_cycle()).ok
        ids = journal.added_ids(rule, drafts)
        assert ids and ids == set(lib.albums[drafts].asset_ids)
        attempts = TINY_RETRY.attempts
        if fault == "timeout":  # answered after the client gave up: the removes happened
            srv.faults.add(path=path, method="DELETE", kind="delay", delay=SLOW, count=attempts)
        else:
            srv.faults.add(path=path, method="DELETE", kind="drop", count=attempts)
        with pytest.raises(ImmichError):
            await eng.undo_last(rule)
        watch.drain()
        album = set(lib.albums[drafts].asset_ids)
        assert album == (set() if fault == "timeout" else ids)
        pending = Journal(journal.path).unresolved_undo(drafts)
        assert list(pending.values()) == [("anna", ids)]
        # while unsettled: journal and album agree once the lost undo is counted
        undoing = {i for _, sent in pending.values() for i in sent}
        assert journal.previously_added(drafts) - undoing <= album

        # a clean run settles it; a dry-run preview shows nothing removed by hand
        plan = (await eng.preview(rule)).plan
        assert plan.removed_by_hand == [] and len(plan.to_add) == len(ids - album)
        # timeout: the lost undo had finished (settled, nothing more taken); drop: undone now
        assert await eng.undo_last(rule) == len(ids)
        fresh = Journal(journal.path)
        assert fresh.unresolved_undo(drafts) == {} and fresh.previously_added(drafts) == set()
        assert set(lib.albums[drafts].asset_ids) == set()
        assert fresh.last_apply(rule) is None
        preview = await eng.preview(rule)
        assert preview.plan.removed_by_hand == [] and {a.id for a in preview.plan.to_add} == ids
        # and a cycle after a lost undo settles it too (auto rules add undone photos again)
        assert (await eng.run_cycle()).ok
        srv.faults.add(path=path, method="DELETE", kind="delay", delay=SLOW, count=attempts)
        with pytest.raises(ImmichError):
            await eng.undo_last(rule)
        watch.drain()
        report = (await eng.run_cycle()).rules[0]
        assert report.ok and report.removed_by_hand == 0 and report.added == len(ids)
        agree(eng, lib, drafts, set())
        assert Journal(journal.path).unresolved_undo(drafts) == {}
        assert journal.added_ids(rule, drafts) == ids == set(lib.albums[drafts].asset_ids)


async def test_photos_the_server_refuses_are_reported_once_then_filtered(
    client: ImmichClient,
    demo_server: DemoServer,
    demo_library: Library,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An id answered ``no_permission`` fails the rule once (one sentence), is then listed as
    filtered "no permission" and not sent again, until a full sync or the user clears it."""
    srv, lib = demo_server, demo_library
    drafts = lib.album_by_name("Drafts").id
    rule = Rule("anna", [ref(lib, "Anna")], album_id=drafts)
    eng = engine(client, Journal(tmp_path / "journal.jsonl"), rule)
    refused = sorted(photos_of(lib, "Anna"))[0]
    allowed = lib.add_to_album
    denying = True

    def add_to_album(album_id: str, ids: Iterable[str]) -> list[dict[str, Any]]:
        ids = list(ids)
        if not denying:
            return allowed(album_id, ids)
        answers = {r["id"]: r for r in allowed(album_id, [i for i in ids if i != refused])}
        no = {"id": refused, "success": False, "error": "no_permission"}
        return [answers.get(i, no) for i in ids]

    monkeypatch.setattr(lib, "add_to_album", add_to_album)  # the server refuses one photo

    def sent() -> list[object]:
        return [
            r
            for r in srv.request_log
            if r.method == "PUT" and refused in (r.body or {}).get("ids", [])
        ]

    first = (await eng.run_cycle(incremental=True)).rules[0]
    assert first.failed == 1 and not first.ok and len(first.errors) == 1
    assert "could not be added" in first.errors[0] and first.errors[0].endswith(".")
    assert refused not in lib.albums[drafts].asset_ids
    assert eng.journal.denied(drafts) == {refused}

    # later plans list it as filtered ("no permission") and never send it again
    srv.clear_log()
    preview = await eng.preview(rule)
    assert [(a.id, why) for a, why in preview.plan.filtered if a.id == refused] == [
        (refused, "no permission")
    ]
    for _ in range(2):
        again = (await eng.run_cycle(incremental=True)).rules[0]
        assert again.ok and again.failed == 0 and again.filtered >= 1, again.errors
    lib.add_asset(people=[lib.person_by_name("Anna").id], file_name="IMG_8888.JPG")
    assert (await eng.run_cycle(incremental=True)).rules[0].ok  # a new upload: still not sent
    assert sent() == []

    # a forced full sync sends it again (still refused: reported again)
    full = (await eng.run_cycle()).rules[0]
    assert full.failed == 1 and len(sent()) == 1
    # cleared by the user: planned and sent again (the server now allows it)
    denying = False
    eng.journal.clear_removed_by_hand(rule, [refused])
    assert eng.journal.denied(drafts) == set()
    cleared = await eng.preview(rule)
    assert [a.id for a in cleared.plan.to_add] == [refused]
    assert (await eng.apply(cleared)).added == 1
    assert refused in lib.albums[drafts].asset_ids and len(sent()) == 2
    assert eng.journal.denied(drafts) == set()
