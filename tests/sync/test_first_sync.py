"""The first sync (issue 15 §3) and the batched journal: no album read while the journal has no
record of the album, the server's ``duplicate`` answers counted as already there, a killed first
sync's unanswered chunk never undone for photos that may have been there before (and said so),
and one fsync for all of an apply's chunks. Over HTTP against the demo server where requests are
the point; over `FakeApi` for the journal and undo logic."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.sync.engine import SyncEngine
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.rules import PersonRef, Rule, RuleError
from ppl2album_tui.sync.settings import Config
from tests.fake_api import FakeApi
from tests.sync_helpers import engine, photos_of


def _album_reads(srv: DemoServer) -> int:
    return sum(1 for r in srv.request_log
               if r.path.endswith("/search/metadata") and "albumIds" in (r.body or {}))  # fmt: skip


async def test_a_first_sync_sends_every_match_unread_and_counts_duplicates_as_already(
    client: ImmichClient, demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    family = lib.album_by_name("Family").id
    before = set(lib.albums[family].asset_ids)  # 50 of Anna's, put there by a person
    rule = Rule("fam", [PersonRef(lib.person_by_name("Anna").id, "Anna")], album_id=family)
    eng = engine(client, Journal(tmp_path / "journal.jsonl"), rule, chunk=100)
    demo_server.clear_log()
    first = (await eng.run_cycle()).rules[0]
    anna = photos_of(lib, "Anna")
    assert first.ok, first.errors
    assert set(lib.albums[family].asset_ids) == before | anna
    assert _album_reads(demo_server) == 0
    assert first.added == len(anna - before) and first.already == len(before)
    assert first.to_add == first.added and first.duplicates == 0
    # what the person had put there is not this tool's: an undo takes out only its own adds
    record = eng.journal.last_apply("fam")
    assert record is not None and set(record.undoable) == anna - before

    demo_server.clear_log()  # the journal knows the album now: it is read, nothing is sent
    again = (await eng.run_cycle()).rules[0]
    assert again.ok and again.added == 0 and again.already == len(anna)
    assert _album_reads(demo_server) > 0
    assert not any(r.method == "PUT" for r in demo_server.request_log)


async def test_a_dry_run_still_reads_the_album(
    client: ImmichClient, demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    family = lib.album_by_name("Family").id
    rule = Rule("fam", [PersonRef(lib.person_by_name("Anna").id, "Anna")], album_id=family)
    eng = engine(client, Journal(tmp_path / "journal.jsonl"), rule)
    report = (await eng.run_cycle(dry_run=True)).rules[0]
    assert report.already == len(lib.albums[family].asset_ids) and _album_reads(demo_server)


def _fake(tmp_path: Path) -> tuple[FakeApi, SyncEngine, Rule, str, list[str]]:
    api = FakeApi()
    anna = api.person_named("Anna")
    ids = [api.upload(anna).id for _ in range(4)]
    album = api.make_album("Family")
    rule = Rule("fam", [PersonRef(anna, "Anna")], album_id=album)
    config = Config(rules=[rule])
    config.sync.chunk_size = 2
    return api, SyncEngine(api, config, Journal(tmp_path / "journal.jsonl")), rule, album, ids


def test_an_unanswered_unread_chunk_is_left_on_undo_and_said_so(tmp_path: Path) -> None:
    api, eng, rule, album, ids = _fake(tmp_path)
    api.albums_[album][1].add(ids[0])  # a person put it there
    eng.journal.record_pending("run-1", "fam", album, ids[:2], unread=True)  # then killed
    api.albums_[album][1].add(ids[1])  # the server had added the other one
    with pytest.raises(RuleError) as err:
        asyncio.run(eng.plan_undo(rule))
    assert "2 photo(s)" in str(err.value) and "cannot be told apart" in str(err.value)
    assert api.in_album(album) == set(ids[:2]) and api.count("remove_from_album") == 0
    assert eng.journal.unresolved(album) == {} and eng.journal.unknown(album) == set(ids[:2])
    # the next sync reads the album (the journal knows it) and takes both as already there
    report = asyncio.run(eng.run_rule(rule))
    assert report.ok and report.added == 2 and report.already == 2


def test_undo_takes_out_the_answered_chunks_of_a_killed_first_sync(tmp_path: Path) -> None:
    api, eng, rule, album, ids = _fake(tmp_path)
    api.albums_[album][1].add(ids[0])
    eng.journal.record_pending("run-1", "fam", album, ids[:2], unread=True)
    eng.journal.record_apply("run-1", "fam", album, [ids[1]], [ids[0]])  # answered
    eng.journal.record_pending("run-1", "fam", album, ids[2:], unread=True)  # killed here
    api.albums_[album][1].update(ids[1:])
    plan = asyncio.run(eng.plan_undo(rule))
    assert plan.record is not None and plan.count == 1 and plan.unknown == 2
    assert asyncio.run(eng.undo(plan)) == 1
    assert api.in_album(album) == {ids[0], ids[2], ids[3]}


def test_a_chunk_sent_to_an_album_known_empty_is_not_unread(tmp_path: Path) -> None:
    """An empty album (its count, read anyway) cannot hold a person's photos: exact undo."""
    api, eng, rule, album, _ = _fake(tmp_path)
    report = asyncio.run(eng.run_rule(rule))
    assert report.ok and report.added == 4 and "album_asset_ids" not in api.calls
    assert eng.journal.unresolved_unread(album) == set()
    assert asyncio.run(eng.undo_last(rule)) == 4 and api.in_album(album) == set()


def test_an_apply_fsyncs_the_journal_once_for_all_its_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api, eng, rule, album, ids = _fake(tmp_path)
    eng.config.sync.chunk_size = 1
    api.albums_[album][1].add(ids[0])
    synced: list[int] = []
    real = os.fsync

    def counting(fd: int) -> None:
        synced.append(fd)
        real(fd)

    monkeypatch.setattr(os, "fsync", counting)
    preview = asyncio.run(eng.preview(rule))
    result = asyncio.run(eng.apply(preview))
    assert result.added == 3 and len(synced) == 1
    lines = (tmp_path / "journal.jsonl").read_text().splitlines()
    assert len(lines) == 6  # each chunk's pending and add records, all written
    assert Journal(tmp_path / "journal.jsonl").previously_added(album) == set(ids[1:])
