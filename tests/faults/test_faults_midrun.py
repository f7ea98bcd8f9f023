"""Conditions that change in the middle of a run (issue 5): the key is revoked, the album is
deleted, a person is merged away. Each ends that rule with one clear sentence, the other rules go
on, and a rule whose fetch failed writes nothing (checked on the server's request log).

The change is made by the demo server itself right after a chosen exchange, before its answer
is sent (tests/fault_helpers.py `ServerWatch.after`), so the timing is exact, not a race. Where
the engine sends requests side by side (an album's first page goes out with the album's GET),
the searches wait at the server until the change is made (`searches_wait_for`).
"""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest

from ppl2album_tui.demo.faults import FaultKind
from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.report import CycleReport
from ppl2album_tui.sync.rules import PersonRef, Rule
from tests.fault_helpers import (
    ServerWatch,
    album_now,
    is_clear_sentence,
    puts_to,
    ref,
    timeline_photos,
    tiny_client,
)
from tests.sync_helpers import engine


def photos(lib: Library, *names: str) -> set[str]:
    return timeline_photos(lib, [lib.person_by_name(n).id for n in names])


def searches_wait_for(srv: DemoServer, gate: threading.Event, status: int | None = None) -> None:
    """Every search waits at the server until `gate` is set, then is answered normally (or with
    `status`, for good)."""
    kind: FaultKind = "delay" if status is None else "status"
    srv.faults.add(path="/api/search/metadata", method="POST", kind=kind, status=status or 500,
                   count=None, hold=gate)  # fmt: skip


async def run(
    srv: DemoServer, journal: Journal, rules: list[Rule], *, chunk: int = 10, incremental: bool
) -> CycleReport:
    async with tiny_client(srv) as client:
        return await engine(client, journal, *rules, chunk=chunk).run_cycle(incremental=incremental)


def by_rule(report: CycleReport) -> dict[str, list[str]]:
    return {r.rule: r.errors for r in report.rules}


def assert_one_sentence(errors: list[str], srv: DemoServer, *needles: str) -> None:
    assert len(errors) == 1, errors
    assert is_clear_sentence(errors[0], srv.api_key), errors[0]
    for needle in needles:
        assert needle.lower() in errors[0].lower(), errors[0]


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    return Journal(tmp_path / "journal.jsonl")


@pytest.fixture
def albums(demo_library: Library) -> tuple[str, str, str]:
    lib = demo_library
    second = lib.create_album("Second").id
    return lib.album_by_name("Drafts").id, second, lib.album_by_name("Summer 2019").id


@pytest.mark.parametrize("incremental", [False, True], ids=["full", "incremental"])
async def test_key_revoked_mid_apply(
    demo_server: DemoServer,
    demo_library: Library,
    journal: Journal,
    albums: tuple[str, str, str],
    incremental: bool,
) -> None:
    srv, lib = demo_server, demo_library
    drafts, second, summer = albums
    summer_before = album_now(lib, summer)
    rules = [
        Rule("A", [ref(lib, "Anna")], album_id=drafts),
        Rule("B", [ref(lib, "Ben")], album_id=second),
        Rule("C", [ref(lib, "Clara")], album_id=summer),
    ]
    watch = ServerWatch(srv)
    # the key is deleted in Immich right after A's second chunk was added
    watch.after("PUT", f"/api/albums/{drafts}/assets", lambda: srv.revoke_api_key(srv.api_key), 2)
    report = await run(srv, journal, rules, incremental=incremental)
    watch.drain()
    assert watch.fired()
    errors = by_rule(report)
    for name in "ABC":
        assert_one_sentence(errors[name], srv, f"Rule '{name}'", "API key")
    album = album_now(lib, drafts)
    assert album <= photos(lib, "Anna") and len(album) >= 20
    assert journal.previously_added(drafts) == album  # recorded == added
    refused = {i for _, ids in journal.unresolved(drafts).values() for i in ids}
    assert refused and not refused & album  # the refused chunks wait, pending, to be settled
    # B and C went on, failed on their first read, and wrote nothing
    assert puts_to(srv, second) == 0 and puts_to(srv, summer) == 0
    assert album_now(lib, second) == set() and album_now(lib, summer) == summer_before
    # with a new key the next cycle settles the refused chunks and completes every album
    srv.api_key = srv.add_api_key(["all"], name="new")
    again = await run(srv, journal, rules, incremental=incremental)
    assert again.ok, by_rule(again)
    assert album_now(lib, drafts) == photos(lib, "Anna") == journal.previously_added(drafts)
    assert journal.unresolved(drafts) == {}
    assert album_now(lib, second) == photos(lib, "Ben")
    assert album_now(lib, summer) == summer_before | photos(lib, "Clara")


@pytest.mark.parametrize("moment", ["after the album read", "after the first add"])
async def test_album_deleted_mid_run(
    demo_server: DemoServer,
    demo_library: Library,
    journal: Journal,
    albums: tuple[str, str, str],
    moment: str,
) -> None:
    srv, lib = demo_server, demo_library
    drafts, second, _ = albums
    rules = [
        Rule("A", [ref(lib, "Anna")], album_id=drafts),
        Rule("B", [ref(lib, "Ben")], album_id=second),
    ]
    if moment == "after the album read":  # an earlier apply: now the album's contents are read
        first = await run(srv, journal, rules[:1], incremental=False)
        assert first.ok
        lib.add_asset(people=[lib.person_by_name("Anna").id], file_name="NEW_0001.JPG")
    srv.clear_log()
    watch = ServerWatch(srv)
    if moment == "after the album read":
        gate = threading.Event()
        searches_wait_for(srv, gate)  # the album's first page must not be answered before

        def delete() -> None:
            lib.delete_album(drafts)
            gate.set()

        watch.after("GET", f"/api/albums/{drafts}", delete)
    else:
        watch.after("PUT", f"/api/albums/{drafts}/assets", lambda: lib.delete_album(drafts))
    report = await run(srv, journal, rules, incremental=False)
    watch.drain()
    assert watch.fired() and drafts not in lib.albums
    errors = by_rule(report)
    assert_one_sentence(errors["A"], srv, "Rule 'A'", "not found")
    assert errors["B"] == [] and album_now(lib, second) == photos(lib, "Ben")
    if moment == "after the album read":  # its contents could not be read: nothing was sent
        assert puts_to(srv, drafts) == 0
    else:  # the chunks after the first were refused and the apply stopped there
        assert 2 <= puts_to(srv, drafts) <= 5  # the first alone, then at most a window of 4
        assert len(journal.previously_added(drafts)) == 10


@pytest.mark.parametrize("incremental", [False, True], ids=["full", "incremental"])
@pytest.mark.parametrize("how", ["merged mid-run", "deleted before the run"])
async def test_person_gone(
    demo_server: DemoServer,
    demo_library: Library,
    journal: Journal,
    albums: tuple[str, str, str],
    how: str,
    incremental: bool,
) -> None:
    srv, lib = demo_server, demo_library
    drafts, second, _ = albums
    ben = lib.person_by_name("Ben")
    ben_ref = PersonRef(ben.id, "Ben")
    if how == "deleted before the run":
        ben_ref = PersonRef(str(uuid.uuid4()), "Ben")
        ben.name = "Benjamin"  # nobody is called Ben now, so the rule cannot re-link by name
    rules = [
        Rule("A", [ref(lib, "Anna"), ben_ref], album_id=drafts),
        Rule("B", [ref(lib, "Clara")], album_id=second),
    ]
    watch = ServerWatch(srv)
    if how == "merged mid-run":  # Ben is merged into David after A's album was read
        david = lib.person_by_name("David").id
        gate = threading.Event()
        searches_wait_for(srv, gate)  # Ben's search must not be answered before

        def merge() -> None:
            lib.merge_person(david, ben.id)
            gate.set()

        watch.after("GET", f"/api/albums/{drafts}", merge)
    report = await run(srv, journal, rules, incremental=incremental)
    watch.drain()
    errors = by_rule(report)
    assert_one_sentence(errors["A"], srv, "Rule 'A'", "'Ben'", "no longer exists")
    assert puts_to(srv, drafts) == 0 and album_now(lib, drafts) == set()
    assert errors["B"] == [] and album_now(lib, second) == photos(lib, "Clara")


async def test_failed_album_read_is_not_an_empty_album(
    demo_server: DemoServer, demo_library: Library, journal: Journal
) -> None:
    """Family already holds some of Anna's photos; if reading it fails, none may be re-sent."""
    srv, lib = demo_server, demo_library
    family = lib.album_by_name("Family").id
    before = album_now(lib, family)
    watch = ServerWatch(srv)

    gate = threading.Event()
    searches_wait_for(srv, gate, status=500)  # once the album's GET is answered, each search fails
    watch.after("GET", f"/api/albums/{family}", gate.set)
    report = await run(srv, journal, [Rule("A", [ref(lib, "Anna")], album_id=family)],
                       incremental=False)  # fmt: skip
    watch.drain()
    assert_one_sentence(by_rule(report)["A"], srv, "Rule 'A'", "500")
    assert puts_to(srv, family) == 0 and album_now(lib, family) == before


def test_a_request_abandoned_before_its_body_is_not_processed(demo_server: DemoServer) -> None:
    """A cancelled call (e.g. the other searches of a failing rule) may close the connection
    after the headers: the server must not act on a half-received request."""
    import socket

    with socket.create_connection((demo_server.host, demo_server.port)) as sock:
        sock.sendall(
            b"PUT /api/albums/00000000-0000-4000-8000-000000000000/assets HTTP/1.1\r\n"
            b"Host: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n"
            + f"x-api-key: {demo_server.api_key}\r\n\r\n".encode()
            + b'{"ids": ['
        )
        sock.shutdown(socket.SHUT_WR)
        assert sock.recv(100) == b""  # closed without an answer
    assert demo_server.request_log == []
