"""Undo's planning over the in-memory `FakeApi` (milliseconds): what a killed run left pending is
settled against the album and undone; a lost undo answer is not undone twice; the sentences when
nothing is left. test_undo_cmd.py proves the same with real processes over HTTP."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from ppl2album_tui.sync.engine import SyncEngine
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.rules import PersonRef, Rule, RuleError
from ppl2album_tui.sync.settings import Config
from tests.fake_api import FakeApi


def _setup(tmp_path: Path) -> tuple[FakeApi, SyncEngine, Rule, str, list[str]]:
    api = FakeApi()
    anna = api.person_named("Anna")
    ids = [api.upload(anna).id for _ in range(3)]
    album = api.make_album("Family")
    rule = Rule("fam", [PersonRef(anna, "Anna")], album_id=album)
    engine = SyncEngine(api, Config(rules=[rule]), Journal(tmp_path / "journal.jsonl"))
    return api, engine, rule, album, ids


def test_a_killed_runs_only_pending_chunk_is_settled_then_undone(tmp_path: Path) -> None:
    api, engine, rule, album, ids = _setup(tmp_path)
    engine.journal.record_pending("run-1", "fam", album, ids)  # sent; the process died
    api.albums_[album][1].update(ids[:2])  # the server had added two of them
    assert engine.journal.last_apply("fam") is None
    plan = asyncio.run(engine.plan_undo(rule))
    assert plan.record is not None and set(plan.record.undoable) == set(ids[:2])
    assert plan.count == 2 and engine.journal.unresolved(album) == {}
    assert asyncio.run(engine.undo(plan)) == 2 and api.in_album(album) == set()


def test_a_pending_chunk_of_an_album_the_rule_does_not_name_is_found(tmp_path: Path) -> None:
    """The killed run had created the album by name; the config never learnt its id."""
    api, engine, rule, _, ids = _setup(tmp_path)
    made = api.make_album("New")
    rule.album_id = None
    engine.journal.record_pending("run-1", "fam", made, ids)
    api.albums_[made][1].update(ids)
    assert asyncio.run(engine.undo_last(rule)) == 3 and api.in_album(made) == set()


def test_a_lost_undo_answer_is_not_undone_twice(tmp_path: Path) -> None:
    api, engine, rule, album, ids = _setup(tmp_path)
    asyncio.run(engine.run_rule(rule))
    record = engine.journal.last_apply("fam")
    assert record is not None and api.in_album(album) == set(ids)
    engine.journal.record_undo_pending(record.apply_id, "fam", album, ids)
    api.albums_[album][1].clear()  # the server did remove them; the answer was lost
    plan = asyncio.run(engine.plan_undo(rule))
    assert plan.record is None and plan.settled == 3
    assert asyncio.run(engine.undo(plan)) == 3 and api.count("remove_from_album") == 0


def test_nothing_to_undo_says_why(tmp_path: Path) -> None:
    _, engine, rule, _, _ = _setup(tmp_path)
    with pytest.raises(RuleError, match="has added no photos yet") as never:
        asyncio.run(engine.plan_undo(rule))
    assert never.value.rule == "fam"
    asyncio.run(engine.run_rule(rule))
    asyncio.run(engine.undo_last(rule))
    with pytest.raises(RuleError, match=r"its last apply \(.+\) was undone already"):
        asyncio.run(engine.plan_undo(rule))
