"""The approval queue (`approve_new`) over real HTTP: a cycle adds nothing and counts what
waits, over incremental ticks too; approving a photo adds just it, a veto leaves the queue."""

from __future__ import annotations

from pathlib import Path

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.sync.approval import approving, waiting
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.rules import Rule
from tests.fault_helpers import album_now, ref
from tests.sync_helpers import engine, photos_of, server_writes


async def test_new_matches_wait_until_approved(
    client: ImmichClient, demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    drafts = lib.album_by_name("Drafts").id
    before = album_now(lib, drafts)
    rule = Rule("anna", [ref(lib, "Anna")], album_id=drafts, approve_new=True)
    eng = engine(client, Journal(tmp_path / "journal.jsonl"), rule)
    anna = photos_of(lib, "Anna") - before

    report = (await eng.run_cycle(incremental=True)).rules[0]
    assert report.ok and (report.waiting, report.to_add, report.added) == (len(anna), 0, 0)
    assert album_now(lib, drafts) == before and server_writes(demo_server) == []
    assert f"waiting {len(anna)}" in report.summary()
    tick = (await eng.run_cycle(incremental=True)).rules[0]
    assert tick.unchanged and tick.waiting == len(anna)  # the count survives a quiet tick

    preview = await eng.preview(rule)
    queue = waiting(preview)
    assert {a.id for a in queue} == anna
    first, vetoed = queue[0].id, queue[1].id
    result = await eng.apply(approving(preview, {first}))
    assert result.added == 1 and album_now(lib, drafts) == before | {first}
    rule.never_add.append(vetoed)  # a veto: the rule's never-add list

    after = (await eng.run_cycle(incremental=True)).rules[0]
    assert (after.waiting, after.vetoed, after.added) == (len(anna) - 2, 1, 0)
    assert album_now(lib, drafts) == before | {first}


async def test_a_rule_without_approve_new_has_no_queue(
    client: ImmichClient, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    rule = Rule("anna", [ref(lib, "Anna")], album_id=lib.album_by_name("Drafts").id)
    preview = await engine(client, Journal(tmp_path / "j.jsonl"), rule).preview(rule)
    assert preview.plan.to_add and waiting(preview) == []
