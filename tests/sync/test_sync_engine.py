"""The sync engine against the demo server over loopback: what lands in the album, what is sent."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path

import pytest

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer, Exchange
from ppl2album_tui.immich.chunks import even_chunks
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.rules import PersonRef, Rule, RuleError
from tests.fault_helpers import ref
from tests.sync_helpers import IMMICH_VERSIONS, engine, photos_of, server_writes, visible


def album_content(lib: Library, album_id: str) -> set[str]:
    return set(lib.albums[album_id].asset_ids)


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    return Journal(tmp_path / "journal.jsonl")


@pytest.fixture
def drafts(demo_library: Library) -> str:
    return demo_library.album_by_name("Drafts").id


@pytest.mark.parametrize("immich_version", IMMICH_VERSIONS)
async def test_any_fills_album_with_union_and_second_run_adds_nothing(
    client: ImmichClient,
    demo_server: DemoServer,
    demo_library: Library,
    journal: Journal,
    drafts: str,
) -> None:
    lib = demo_library
    rule = Rule("kids", [ref(lib, "Anna"), ref(lib, "Ben")], album_id=drafts)
    eng = engine(client, journal, rule, chunk=100)
    report = await eng.run_cycle()
    want = photos_of(lib, "Anna", "Ben")
    assert album_content(lib, drafts) == want
    (r,) = report.rules
    assert r.ok and r.added == len(want) == r.to_add == r.matched and r.already == 0
    assert sum(1 for w in server_writes(demo_server) if w.startswith("PUT")) == -(-len(want) // 100)
    assert journal.previously_added(drafts) == want
    demo_server.clear_log()
    again = await eng.run_cycle()
    assert again.rules[0].to_add == 0 and again.rules[0].already == len(want)
    assert server_writes(demo_server) == []


@pytest.mark.parametrize("immich_version", IMMICH_VERSIONS)
async def test_all_and_exclude(
    client: ImmichClient, demo_library: Library, journal: Journal, drafts: str
) -> None:
    lib = demo_library
    both = photos_of(lib, "Anna") & photos_of(lib, "Ben")
    assert both
    rule = Rule(
        "both", [ref(lib, "Anna"), ref(lib, "Ben"), ref(lib, "Anna")], album_id=drafts, match="all"
    )
    preview = await engine(client, journal, rule).preview(rule)
    assert {a.id for a in preview.plan.to_add} == both
    rule = Rule("no-ben", [ref(lib, "Anna")], album_id=drafts, exclude=[ref(lib, "Ben")])
    eng = engine(client, journal, rule)
    preview = await eng.preview(rule)
    assert {a.id for a in preview.plan.to_add} == photos_of(lib, "Anna") - photos_of(lib, "Ben")
    assert {a.id for a, why in preview.plan.filtered if why == "excluded: Ben"} == both
    await eng.apply(preview)
    assert album_content(lib, drafts) == photos_of(lib, "Anna") - photos_of(lib, "Ben")


@pytest.mark.parametrize("immich_version", IMMICH_VERSIONS)
async def test_filters_globs_type_dates_favorites_archived(
    client: ImmichClient, demo_library: Library, journal: Journal, drafts: str
) -> None:
    lib = demo_library
    anna = lib.person_by_name("Anna").id
    mine = [a for a in lib.assets_of(anna) if visible(a)]

    async def planned(**kw: object) -> set[str]:
        rule = Rule("r", [ref(lib, "Anna")], album_id=drafts, **kw)  # type: ignore[arg-type]
        return {a.id for a in (await engine(client, journal, rule).preview(rule)).plan.to_add}

    jpgs = {a.id for a in mine if a.original_file_name.lower().endswith(".jpg")}
    assert await planned(globs=["*.jpg"]) == jpgs
    assert await planned(globs=["*.JPG"], case_sensitive_globs=True) == {
        a.id for a in mine if a.original_file_name.endswith(".JPG")
    }
    assert await planned(globs=["nothing-matches-*"]) == set()
    nothing = Rule("r", [ref(lib, "Anna")], album_id=drafts, globs=["*.tiff"])
    report = await engine(client, journal, nothing).run_rule(nothing, dry_run=True)
    assert report.ok and report.warnings == [
        f"Rule 'r': the globs *.tiff match none of the {len(mine)} photos of its people "
        "(case-insensitive, on the original file name)."
    ]
    assert await planned(media_type="video") == {a.id for a in mine if a.type == "VIDEO"}
    assert await planned(media_type="image") == {a.id for a in mine if a.type == "IMAGE"}
    assert await planned(favorites_only=True) == {a.id for a in mine if a.is_favorite}
    window = (date(2018, 1, 1), date(2020, 12, 31))
    assert await planned(taken_after=window[0], taken_before=window[1]) == {
        a.id for a in mine if window[0] <= a.file_created_at.date() <= window[1]
    }
    archived = photos_of(lib, "Anna", archived=True)
    assert archived > photos_of(lib, "Anna")
    assert await planned(include_archived=True) == archived


async def test_dry_run_writes_nothing(
    client: ImmichClient,
    demo_server: DemoServer,
    demo_library: Library,
    journal: Journal,
) -> None:
    rule = Rule("new", [ref(demo_library, "Clara")], album_name="Brand new album")
    demo_server.clear_log()
    report = await engine(client, journal, rule).run_cycle(dry_run=True)
    assert report.rules[0].to_add == len(photos_of(demo_library, "Clara"))
    assert len(report.rules[0].sample) == 10
    assert server_writes(demo_server) == []
    assert not journal.path.exists()
    assert "Brand new album" not in {a.name for a in demo_library.albums.values()}


async def test_album_by_name_is_created_once_and_duplicates_are_named(
    client: ImmichClient,
    demo_library: Library,
    journal: Journal,
) -> None:
    rule = Rule("c", [ref(demo_library, "Clara")], album_name="Clara's")
    eng = engine(client, journal, rule)
    await eng.run_cycle()
    (album,) = [a for a in demo_library.albums.values() if a.name == "Clara's"]
    assert album_content(demo_library, album.id) == photos_of(demo_library, "Clara")
    rule.album_id = None  # found again by name, not created twice
    assert (await eng.run_cycle()).rules[0].already == len(photos_of(demo_library, "Clara"))
    other = demo_library.create_album("Clara's")
    report = await eng.run_cycle()
    assert album.id in report.rules[0].errors[0] and other.id in report.rules[0].errors[0]
    assert "2 albums are named" in report.rules[0].errors[0]


async def test_tombstones_and_clearing(
    client: ImmichClient, demo_library: Library, journal: Journal, drafts: str
) -> None:
    rule = Rule("d", [ref(demo_library, "David")], album_id=drafts)
    eng = engine(client, journal, rule)
    await eng.run_cycle()
    taken_out = sorted(album_content(demo_library, drafts))[:3]
    await client.remove_from_album(drafts, taken_out)  # a person removes three by hand
    report = (await eng.run_cycle()).rules[0]
    assert report.removed_by_hand == 3 and report.to_add == 0 and report.added == 0
    assert not set(taken_out) & album_content(demo_library, drafts)
    journal.clear_removed_by_hand(rule, taken_out[:1])  # cleared: may be added again
    preview = await eng.preview(rule)
    assert [a.id for a in preview.plan.to_add] == taken_out[:1]
    rule.never_add = taken_out[:1]  # vetoed in the TUI: planned again without a request
    replanned = eng.replan(preview)
    assert not replanned.plan.to_add and len(replanned.plan.vetoed) == 1
    rule.never_add = []
    report = (await eng.run_cycle()).rules[0]
    assert report.added == 1 and report.removed_by_hand == 2


@pytest.mark.parametrize("immich_version", IMMICH_VERSIONS)
async def test_undo_removes_exactly_what_the_last_apply_added(
    client: ImmichClient,
    demo_library: Library,
    journal: Journal,
) -> None:
    family = demo_library.album_by_name("Family").id
    before = album_content(demo_library, family)
    rule = Rule("anna", [ref(demo_library, "Anna")], album_id=family)
    eng = engine(client, journal, rule, chunk=50)
    report = (await eng.run_cycle()).rules[0]
    assert report.already == len(before) and report.added > 0
    assert await eng.undo_last(rule) == report.added
    assert album_content(demo_library, family) == before
    with pytest.raises(RuleError, match="Nothing to undo"):
        await eng.undo_last(rule)
    again = await eng.preview(rule)  # undone photos are not tombstones
    assert len(again.plan.to_add) == report.added and not again.plan.removed_by_hand


async def test_several_rules_one_failing(
    client: ImmichClient, demo_library: Library, journal: Journal, drafts: str
) -> None:
    lib = demo_library
    rules = [
        Rule("emma", [ref(lib, "Emma")], album_id=drafts),
        Rule("broken", [ref(lib, "Felix")], album_id=str(uuid.uuid4())),
        Rule("ghost", [PersonRef(str(uuid.uuid4()), "Ghost")], album_id=drafts),
        Rule("felix", [ref(lib, "Felix")], album_id=drafts),
    ]
    report = await engine(client, journal, *rules).run_cycle()
    by = {r.rule: r for r in report.rules}
    assert not report.ok
    assert by["emma"].ok and by["felix"].ok
    assert by["broken"].errors and by["broken"].errors[0].startswith("Rule 'broken'")
    assert "'Ghost'" in by["ghost"].errors[0] and "no longer exists" in by["ghost"].errors[0]
    assert album_content(lib, drafts) == photos_of(lib, "Emma", "Felix")
    assert by["felix"].added == len(photos_of(lib, "Felix") - photos_of(lib, "Emma"))


async def test_failed_search_writes_nothing(
    client: ImmichClient,
    demo_server: DemoServer,
    demo_library: Library,
    journal: Journal,
    drafts: str,
) -> None:
    rule = Rule("g", [ref(demo_library, "Greta")], album_id=drafts)
    demo_server.faults.add(path="/api/search/metadata", method="POST", status=400, count=1)
    demo_server.clear_log()
    report = await engine(client, journal, rule).run_cycle()
    assert report.rules[0].errors and server_writes(demo_server) == []
    assert album_content(demo_library, drafts) == set()


async def test_stop_between_chunks_keeps_journal_and_album_in_step(
    client: ImmichClient, demo_library: Library, journal: Journal, drafts: str
) -> None:
    rule = Rule("a", [ref(demo_library, "Anna")], album_id=drafts)
    stop = asyncio.Event()

    def progress(name: str, done: int, total: int) -> None:
        if done >= 20:
            stop.set()

    report = await engine(client, journal, rule, chunk=20).run_cycle(
        on_progress=progress, stop=stop
    )
    assert report.stopped and report.rules[0].added == 20
    assert album_content(demo_library, drafts) == journal.previously_added(drafts)


async def test_interrupted_chunk_is_settled_against_the_album(
    client: ImmichClient, demo_library: Library, journal: Journal, drafts: str
) -> None:
    anna = sorted(photos_of(demo_library, "Anna"))
    # a previous run sent a chunk and died before recording the answer; half of it landed
    journal.record_pending("dead-run", "a", drafts, anna[:10])
    for aid in anna[:5]:
        demo_library.albums[drafts].asset_ids[aid] = None
    rule = Rule("a", [ref(demo_library, "Anna")], album_id=drafts)
    await engine(client, journal, rule).run_cycle()
    assert journal.unresolved(drafts) == {}
    assert journal.added_ids("a", drafts) == set(anna)
    assert album_content(demo_library, drafts) == set(anna)


async def test_searches_beyond_1000_and_adds_in_several_chunks(
    big_demo_server: Callable[..., AbstractContextManager[DemoServer]], tmp_path: Path
) -> None:
    with big_demo_server(assets=5000) as srv:
        lib = srv.library
        want = photos_of(lib, "Anna")
        assert len(want) > 2 * 600
        drafts = lib.album_by_name("Drafts").id
        rule = Rule("a", [ref(lib, "Anna")], album_id=drafts)
        async with ImmichClient(srv.url, srv.api_key) as c:
            report = await engine(c, Journal(tmp_path / "j"), rule, chunk=600).run_cycle()
        assert report.rules[0].added == len(want) and album_content(lib, drafts) == want
        searches = [r for r in srv.request_log if r.path.endswith("/search/metadata")]
        assert len(searches) >= 2  # several pages of the person (a first sync: no album read)
        # more than one chunk's worth: a small first chunk goes alone, then even ones
        puts = [len(r.body["ids"]) for r in srv.request_log if r.method == "PUT"]
        rest = [len(c) for c in even_chunks(sorted(want)[500:], 600)]
        assert puts[0] == 500 and sorted(puts[1:]) == sorted(rest) and len(rest) >= 2


async def test_the_first_chunk_goes_alone_then_the_others_side_by_side(
    client: ImmichClient, demo_server: DemoServer, demo_library: Library, drafts: str,
    journal: Journal,
) -> None:  # fmt: skip
    lib, want = demo_library, photos_of(demo_library, "Anna")
    chunk = len(want) // 3 + 1  # three chunks (the probe, at most 500, is a whole one here)
    released = threading.Event()
    timer = threading.Timer(5, released.set)  # sent one after the other, they would wait 5 s
    timer.daemon = True
    timer.start()
    seen: list[bool] = []  # as each PUT is answered: had the held one been released?

    def answered(exchange: Exchange) -> None:
        if exchange.method != "PUT":
            return
        seen.append(released.is_set())
        if len(seen) == 1:  # the first, alone; of the next two, the one arriving first is held
            demo_server.faults.add(exchange.path, "PUT", kind="delay", hold=released)
        else:  # ...until the other is answered
            released.set()

    demo_server.on_exchange = answered
    rule = Rule("a", [ref(lib, "Anna")], album_id=drafts)
    report = await engine(client, journal, rule, chunk=chunk).run_cycle()
    timer.cancel()
    assert report.rules[0].added == len(want) and album_content(lib, drafts) == want
    puts = [len(r.body["ids"]) for r in demo_server.request_log if r.method == "PUT"]
    assert len(puts) == 3 and puts[0] == chunk
    # the second and third were in flight together: one was answered while the other was held
    assert seen == [False, False, True]
