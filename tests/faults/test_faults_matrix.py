"""Fault injection (issue 5): every endpoint a sync cycle uses × every way a server or proxy fails.

Each run is a real sync cycle (the engine's `run_cycle`, incremental as `sync` runs it; `undo_last`
for DELETE; the headless `sync --env-file` in-process for the people list) against the demo
server, with a tiny retry policy and a short read timeout. A run must end with every album exactly
right (recovered) or with the failing rule's one clear sentence (failed clearly), and never with a
photo in an album that does not belong there or an uncaught exception. A run that failed clearly
is followed by a clean cycle that must put everything right. Figures: tests/fault_report.py.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from ppl2album_tui.cli import main
from ppl2album_tui.demo.faults import Fault
from ppl2album_tui.demo.library import Library, generate_library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.immich.errors import ImmichError
from ppl2album_tui.sync.config import Config
from ppl2album_tui.sync.engine import SyncEngine
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.report import CycleReport
from ppl2album_tui.sync.rules import PersonRef, Rule
from tests.fault_helpers import (
    READ_TIMEOUT,
    SLOW,
    TINY_RETRY,
    ServerWatch,
    album_now,
    albums_named,
    is_clear_sentence,
    puts_to,
    ref,
    timeline_photos,
    tiny_client,
)
from tests.fault_report import record

FAULTS: dict[str, dict[str, Any]] = {
    "500": {"kind": "status", "status": 500},
    "429+Retry-After": {"kind": "status", "status": 429, "headers": {"Retry-After": "1"}},
    "timeout": {"kind": "delay", "delay": SLOW},
    "dropped": {"kind": "drop"},
    "malformed JSON": {"kind": "malformed"},
    "unexpected JSON": {"kind": "status", "status": 200},  # 200 {"message": ...}: wrong shape
    "HTML 502 (proxy)": {"kind": "html", "status": 502},
    "HTML 200 (portal)": {"kind": "html", "status": 200},
    "401": {"kind": "status", "status": 401},
}
TRANSIENT = {"500", "429+Retry-After", "timeout", "dropped", "HTML 502 (proxy)"}
MODES = {"once": 1, "always": None}
# Non-transient faults are never retried, so "always" behaves like "once" for them: only the
# transient ones run in both modes (keeps the matrix fast).
FAULT_MODES = [(f, m) for f in FAULTS for m in MODES if m == "once" or f in TRANSIENT]


@dataclass(frozen=True)
class Endpoint:
    label: str
    method: str
    pattern: str  # fault path; "{archived}" = the person with archived photos only
    setup: str = "ids"  # which rules: ids | by-name | new-album | archived-person
    retried: bool = True  # transient faults are retried (POST /albums is not: no double albums)


ENDPOINTS = [
    Endpoint("GET /api/people/{id}", "GET", "/api/people/{archived}", "archived-person"),
    Endpoint("GET /api/people/{id}/statistics", "GET", "/api/people/*/statistics"),
    Endpoint("POST /api/search/metadata", "POST", "/api/search/metadata"),
    Endpoint("GET /api/albums", "GET", "/api/albums", "by-name"),
    Endpoint("GET /api/albums/{id}", "GET", "/api/albums/*"),
    Endpoint("POST /api/albums", "POST", "/api/albums", "new-album", retried=False),
    Endpoint("PUT /api/albums/{id}/assets", "PUT", "/api/albums/*/assets"),
    Endpoint("DELETE /api/albums/{id}/assets", "DELETE", "/api/albums/*/assets", "undo"),
]
NEW_ALBUM = "Fault test"


@dataclass
class Case:
    """One rule's truth: its album before the run and what it must hold after."""

    rule: Rule
    initial: set[str]
    expected: set[str]
    album_name: str = ""

    def album_id(self, lib: Library) -> str | None:
        if self.rule.album_id:
            return self.rule.album_id
        found = albums_named(lib, self.album_name)
        assert len(found) <= 1, f"{len(found)} albums named {self.album_name!r}: a retried create"
        return found[0] if found else None


@dataclass
class Outcome:
    crashed: BaseException | None = None
    errors: list[str] = field(default_factory=list)
    ok: bool = False


def archived_only(lib: Library) -> str:
    """The person who appears only in archived photos (their timeline search is empty)."""
    for p in lib.people.values():
        if lib.timeline_count(p.id) == 0 and lib.assets_of(p.id):
            return p.id
    raise AssertionError("the demo library has no archived-only person")


def truth(lib: Library, people: list[PersonRef]) -> set[str]:
    """What the rule's album must gain: its people's timeline photos, from the library itself."""
    return timeline_photos(lib, [p.id for p in people])


def make_cases(lib: Library, setup: str) -> list[Case]:
    family = lib.album_by_name("Family")
    drafts = lib.album_by_name("Drafts")
    people_a = [ref(lib, "Anna"), ref(lib, "Ben")]
    if setup == "archived-person":
        people_a.append(PersonRef(archived_only(lib), "Archie"))
    rule_a = Rule("A", people_a, album_id=family.id)
    initial_a = set(family.asset_ids)
    name = ""
    if setup == "by-name":
        rule_a = Rule("A", people_a, album_name="Family")
        name = "Family"
    elif setup == "new-album":
        rule_a = Rule("A", people_a, album_name=NEW_ALBUM)
        initial_a, name = set(), NEW_ALBUM
    rule_b = Rule("B", [ref(lib, "Clara")], album_id=drafts.id)
    return [
        Case(rule_a, initial_a, initial_a | truth(lib, people_a), name),
        Case(rule_b, set(), truth(lib, rule_b.people)),
    ]


def other_albums(lib: Library, cases: list[Case]) -> dict[str, set[str]]:
    """Every album no rule targets, with its contents (they must never change)."""
    targets = {c.album_id(lib) for c in cases}
    return {a: album_now(lib, a) for a in list(lib.albums) if a not in targets}


def strays(lib: Library, known: dict[str, set[str]], cases: list[Case]) -> int:
    """Photos that went where no rule sends them: into another album, or into an album no rule
    asked for (only the new-album rule may create one, named NEW_ALBUM)."""
    wrong = sum(len(album_now(lib, a) ^ ids) for a, ids in known.items())
    targets = {c.album_id(lib) for c in cases}
    with lib.lock:
        new = [a for a in lib.albums.values() if a.id not in known and a.id not in targets]
    return wrong + sum(max(1, len(a.asset_ids)) for a in new if a.name != NEW_ALBUM)


def add_fault(srv: DemoServer, lib: Library, ep: Endpoint, fault: str, mode: str) -> Fault:
    path = ep.pattern.replace("{archived}", archived_only(lib))
    return srv.faults.add(path=path, method=ep.method, count=MODES[mode], **FAULTS[fault])


def engine_for(client: ImmichClient, journal: Journal, cases: list[Case]) -> SyncEngine:
    config = Config(rules=[c.rule for c in cases])
    config.sync.chunk_size = 40  # several chunks per rule
    return SyncEngine(client, config, journal)


async def cycle(srv: DemoServer, journal: Journal, cases: list[Case]) -> Outcome:
    out = Outcome()
    try:
        async with tiny_client(srv) as client:
            report: CycleReport = await engine_for(client, journal, cases).run_cycle(
                incremental=True
            )
    except BaseException as exc:  # a crash is what this suite counts
        out.crashed = exc
        return out
    out.errors = [e for r in report.rules for e in r.errors]
    out.ok = report.ok
    return out


async def undo(srv: DemoServer, journal: Journal, cases: list[Case]) -> Outcome:
    out = Outcome()
    try:
        async with tiny_client(srv) as client:
            await engine_for(client, journal, cases).undo_last(cases[0].rule)
    except ImmichError as exc:  # undo's documented failure: one sentence
        out.errors = [str(exc)]
        return out
    except BaseException as exc:
        out.crashed = exc
        return out
    out.ok = True
    return out


def journal_agrees(
    lib: Library, journal: Journal, case: Case, undoing: set[str] | None = None
) -> None:
    """Nothing recorded that is not in the album; nothing added without a record.

    `undoing`: the ids of an undo whose answer was lost (timeout): the server may have removed
    them without the journal knowing; they count as removed by hand until undo is run again.
    """
    album_id = case.album_id(lib)
    if album_id is None:
        return
    album = album_now(lib, album_id)
    fresh = Journal(journal.path)
    recorded = fresh.previously_added(album_id)
    pending = {i for _, ids in fresh.unresolved(album_id).values() for i in ids}
    pending |= fresh.unknown(album_id)  # a first sync's lost chunk, recorded as unknown
    missing = recorded - album
    assert missing <= (undoing or set()), "the journal records photos that are not in the album"
    assert album - case.initial <= recorded | pending, "photos added without a journal record"


@pytest.fixture
def demo_library() -> Library:
    """A smaller library than the shared fixture (same guarantees): the matrix runs ~150 cycles."""
    return generate_library(people=12, assets=200, seed=7)


@pytest.mark.parametrize(("fault", "mode"), FAULT_MODES)
@pytest.mark.parametrize("ep", ENDPOINTS, ids=[e.label for e in ENDPOINTS])
async def test_fault_matrix(
    demo_server: DemoServer,
    demo_library: Library,
    tmp_path: Path,
    ep: Endpoint,
    fault: str,
    mode: str,
) -> None:
    srv, lib = demo_server, demo_library
    journal = Journal(tmp_path / "journal.jsonl")
    cases = make_cases(lib, ep.setup)
    others = other_albums(lib, cases)
    watch = ServerWatch(srv)
    if ep.setup == "undo":  # a clean sync first; the fault hits the undo
        assert (await cycle(srv, journal, cases)).ok
        for c in cases:
            assert album_now(lib, c.album_id(lib)) == c.expected
    undoing: set[str] = set()
    if ep.setup == "undo":
        last = journal.last_apply(cases[0].rule.name)
        undoing = set(last.undoable) if last else set()
    injected = add_fault(srv, lib, ep, fault, mode)
    srv.clear_log()
    outcome = await (undo if ep.setup == "undo" else cycle)(srv, journal, cases)
    watch.drain()
    injected_n = injected.fired

    # --- judge the faulted run
    wrong_adds = wrong_removes = 0
    for c in cases:
        album = album_now(lib, c.album_id(lib))
        wrong_adds += len(album - c.expected)
        wrong_removes += len(c.initial - album)
        journal_agrees(lib, journal, c, undoing)
    wrong_adds += strays(lib, others, cases)
    unclear = [e for e in outcome.errors if not is_clear_sentence(e, srv.api_key)]
    if ep.setup == "undo":
        target = cases[0]
        recovered = outcome.ok and album_now(lib, target.album_id(lib)) == target.initial
    else:
        recovered = outcome.ok and all(album_now(lib, c.album_id(lib)) == c.expected for c in cases)
        if not outcome.ok and ep.method != "PUT":  # a failed fetch is never taken for empty
            for c in cases:
                if any(e.startswith(f"Rule '{c.rule.name}'") for e in outcome.errors):
                    assert puts_to(srv, c.album_id(lib)) == 0, f"rule {c.rule.name} wrote"

    # --- a clean cycle afterwards puts everything right
    healed = False
    if not recovered and outcome.crashed is None:
        srv.faults.clear()
        again = await (undo if ep.setup == "undo" else cycle)(srv, journal, cases)
        watch.drain()
        if ep.setup == "undo":
            target = cases[0]
            healed = again.ok and album_now(lib, target.album_id(lib)) == target.initial
        else:
            healed = again.ok and all(album_now(lib, c.album_id(lib)) == c.expected for c in cases)
        for c in cases:
            journal_agrees(lib, journal, c)
            if ep.setup != "undo":
                assert Journal(journal.path).unresolved(c.album_id(lib) or "") == {}

    record(
        ep.label,
        fault,
        injected=injected_n,
        recovered=recovered,
        healed=healed,
        wrong_adds=wrong_adds,
        wrong_removes=wrong_removes,
        crashed=outcome.crashed is not None,
    )
    assert outcome.crashed is None, f"crash: {outcome.crashed!r}"
    assert wrong_adds == 0 and wrong_removes == 0
    assert injected_n >= 1, "the fault never fired: the endpoint was not used"
    assert recovered or (outcome.errors and not unclear), (outcome.errors, unclear)
    assert recovered or healed, "the next clean cycle did not put the albums right"
    if fault in TRANSIENT and mode == "once" and ep.retried:
        assert recovered, f"a single transient fault was not retried: {outcome.errors}"


# ---------------------------------------------------------------- one rule's fault, others go on


MULTI = [("PUT /api/albums/{A}/assets", f) for f in FAULTS] + [
    ("GET /api/albums/{A}", f) for f in ("401", "malformed JSON", "timeout")
]


@pytest.mark.parametrize(("where", "fault"), MULTI)
async def test_one_rules_fault_does_not_stop_the_other(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path, where: str, fault: str
) -> None:
    srv, lib = demo_server, demo_library
    journal = Journal(tmp_path / "journal.jsonl")
    cases = make_cases(lib, "ids")
    a, b = cases
    method, path = where.split(" ")
    watch = ServerWatch(srv)
    injected = srv.faults.add(
        path=path.replace("{A}", a.rule.album_id or ""), method=method, count=None,
        **FAULTS[fault],
    )  # fmt: skip
    srv.clear_log()
    outcome = await cycle(srv, journal, cases)
    watch.drain()
    wrong = sum(len(album_now(lib, c.album_id(lib)) - c.expected) for c in cases)
    errors_a = [e for e in outcome.errors if e.startswith("Rule 'A'")]
    puts_a = puts_to(srv, a.rule.album_id)
    journal_agrees(lib, journal, a)
    healed = False
    if outcome.crashed is None:
        srv.faults.clear()
        again = await cycle(srv, journal, cases)
        watch.drain()
        healed = again.ok and all(album_now(lib, c.album_id(lib)) == c.expected for c in cases)
    record(
        f"multi-rule {where}",
        fault,
        injected=injected.fired,
        recovered=outcome.ok,
        healed=healed,
        wrong_adds=wrong,
        crashed=outcome.crashed is not None,
    )
    assert outcome.crashed is None and wrong == 0
    assert album_now(lib, b.album_id(lib)) == b.expected  # B is complete whatever A suffers
    assert not any(e.startswith("Rule 'B'") for e in outcome.errors)
    assert errors_a and all(is_clear_sentence(e, srv.api_key) for e in errors_a)
    if method == "GET":
        assert puts_a == 0
    assert healed


# ---------------------------------------------------------------- the people list (.env path)


@pytest.fixture
def headless_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """Clean env, a private data dir, and the headless client with the tiny retry policy."""
    for var in list(os.environ):
        if var.startswith(("IMMICH_", "PPL2ALBUM_", "SYNC_INTERVAL")):
            monkeypatch.delenv(var)
    monkeypatch.setenv("PPL2ALBUM_TUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(
        "ppl2album_tui.headless.context.ImmichClient",
        partial(ImmichClient, retry=TINY_RETRY, timeout=READ_TIMEOUT),
    )
    yield tmp_path


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str, bool]:
    """`main(argv)` in-process: (exit code, stdout, stderr, crashed)."""
    try:
        code = main(argv)
    except BaseException as exc:
        captured = capsys.readouterr()
        return -1, captured.out, captured.err + repr(exc), True
    captured = capsys.readouterr()
    crashed = "Traceback" in captured.err or "Unexpected error" in captured.err
    return code, captured.out, captured.err, crashed


@pytest.mark.parametrize(("fault", "mode"), FAULT_MODES)
def test_fault_matrix_people_list_env_file(
    demo_server: DemoServer,
    demo_library: Library,
    headless_env: Path,
    capsys: pytest.CaptureFixture[str],
    fault: str,
    mode: str,
) -> None:
    srv, lib = demo_server, demo_library
    family = lib.album_by_name("Family")
    initial = set(family.asset_ids)
    expected = initial | truth(lib, [ref(lib, "Anna"), ref(lib, "Ben")])
    env = headless_env / ".env"
    env.write_text(
        f"IMMICH_BASE_URL={srv.url}\nIMMICH_API_KEY='{srv.api_key}'\n"
        f'IMMICH_ALBUM_ID="{family.id}"\nIMMICH_PERSONS="Anna, Ben"\n'
    )
    watch = ServerWatch(srv)
    injected = srv.faults.add(path="/api/people", method="GET", count=MODES[mode], **FAULTS[fault])
    srv.clear_log()
    argv = ["sync", "--once", "--json", "--env-file", str(env)]
    code, out, err, crashed = run_cli(argv, capsys)
    watch.drain()
    album = album_now(lib, family.id)
    recovered = code == 0 and album == expected
    errors = [line for line in err.splitlines() if line.strip()]
    healed = False
    if not recovered and not crashed:
        assert puts_to(srv, family.id) == 0  # the people list failed: nothing was written
        srv.faults.clear()
        code2, _out2, _err2, crashed2 = run_cli(argv, capsys)
        healed = code2 == 0 and not crashed2 and album_now(lib, family.id) == expected
    record(
        "GET /api/people (.env)",
        fault,
        injected=injected.fired,
        recovered=recovered,
        healed=healed,
        wrong_adds=len(album - expected),
        crashed=crashed,
    )
    assert not crashed, err
    assert srv.api_key not in out + err
    assert album <= expected
    for line in out.splitlines():  # --json: stdout holds only JSON lines
        json.loads(line)
    if not recovered:
        assert code == 1 and errors and all(is_clear_sentence(e, srv.api_key) for e in errors)
        assert healed
    if fault in TRANSIENT and mode == "once":
        assert recovered, err


def test_the_judge_sees_wrong_adds(demo_library: Library) -> None:
    """Negative control: the checks above would count a photo put where it does not belong."""
    lib = demo_library
    cases = make_cases(lib, "ids")
    others = other_albums(lib, cases)
    emma_only = sorted(truth(lib, [ref(lib, "Emma")]) - cases[0].expected - cases[1].expected)
    lib.albums[cases[0].album_id(lib) or ""].asset_ids[emma_only[0]] = None  # into A's album
    lib.album_by_name("Summer 2019").asset_ids[emma_only[1]] = None  # into an untargeted album
    lib.create_album("Stray", [emma_only[2]])  # into an album nobody asked for
    a = cases[0]
    assert album_now(lib, a.album_id(lib)) - a.expected == {emma_only[0]}
    assert strays(lib, others, cases) == 2
