"""The tick decision and the two planners, over the in-memory `FakeApi` (no HTTP, milliseconds).

The same behaviour is proven over the wire in test_sync_incremental.py and test_sync_watermark.py;
here each branch of the decision is pinned on its own, with the calls it costs."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ppl2album_tui.immich.models import Asset
from ppl2album_tui.sync.engine import SyncEngine
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.planner import make_plan
from ppl2album_tui.sync.report import RuleReport
from ppl2album_tui.sync.rules import PersonRef, Rule
from ppl2album_tui.sync.selection import select_rules
from ppl2album_tui.sync.settings import Config, SyncSettings
from ppl2album_tui.sync.state import Signals
from ppl2album_tui.sync.tick import baseline, kind_of_tick
from ppl2album_tui.sync.watermark import delta_query, plan_delta
from tests.fake_api import T0, FakeApi

MARK = T0 + timedelta(hours=1)


def signals(**changes: object) -> Signals:
    base = Signals("fp", "album", 10, {"anna": 5, "ben": 3}, 10, full_at=_now())
    return replace(base, **changes)  # type: ignore[arg-type]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# ---- the decision -------------------------------------------------------------------------


def test_baseline_only_for_a_recent_incremental_apply() -> None:
    s = signals()
    assert baseline(s, incremental=True, dry_run=False, full_reconcile_hours=24) is s
    assert baseline(s, incremental=False, dry_run=False, full_reconcile_hours=24) is None
    assert baseline(s, incremental=True, dry_run=True, full_reconcile_hours=24) is None
    assert baseline(None, incremental=True, dry_run=False, full_reconcile_hours=24) is None
    old = signals(full_at=(datetime.now(UTC) - timedelta(hours=25)).isoformat())
    assert baseline(old, incremental=True, dry_run=False, full_reconcile_hours=24) is None
    assert baseline(signals(full_at="garbage"), incremental=True, dry_run=False,
                    full_reconcile_hours=24) is None  # fmt: skip


@pytest.mark.parametrize(
    ("now", "mark", "unsettled", "kind"),
    [
        (signals(), MARK, False, "unchanged"),
        (signals(), None, True, "unchanged"),  # nothing moved: nothing to settle against
        (signals(person_counts={"anna": 7, "ben": 3}), MARK, False, "delta"),
        (signals(person_counts={"anna": 7, "ben": 3}), None, False, "full"),  # no watermark
        (signals(person_counts={"anna": 7, "ben": 3}), MARK, True, "full"),  # lost answers
        (signals(person_counts={"anna": 4, "ben": 4}), MARK, False, "full"),  # a count fell
        (signals(person_counts={"anna": 5, "ben": 3, "cleo": 1}), MARK, False, "full"),
        (signals(album_count=9), MARK, False, "full"),  # the album was edited by hand
        (signals(journal_added=11), MARK, False, "full"),
        (signals(fingerprint="edited"), MARK, False, "full"),
        (signals(album_id="other"), MARK, False, "full"),
        (None, MARK, False, "full"),  # signals unreadable, or no album yet
    ],
)
def test_kind_of_tick(
    now: Signals | None, mark: datetime | None, unsettled: bool, kind: str
) -> None:
    assert kind_of_tick(signals(), now, mark=mark, unsettled=unsettled) == kind


# ---- the planners -------------------------------------------------------------------------


def _library() -> tuple[FakeApi, Rule, list[Asset]]:
    api = FakeApi()
    anna, ben, zoe = api.person_named("Anna"), api.person_named("Ben"), api.person_named("Zoe")
    old = [api.upload(anna), api.upload(ben), api.upload(anna, ben)]
    api.clock = MARK
    rule = Rule("kids", [PersonRef(anna, "Anna"), PersonRef(ben, "Ben")],
                exclude=[PersonRef(zoe, "Zoe")])  # fmt: skip
    return api, rule, old


def test_delta_plan_is_the_full_plan_of_the_new_uploads() -> None:
    api, rule, _ = _library()
    anna, ben, zoe = (p.id for p in [*rule.people, *rule.exclude])
    stored = signals(person_counts={anna: 2, ben: 2})
    new = [api.upload(anna), api.upload(ben, zoe), api.upload(anna, name="vetoed.jpg")]
    rule.never_add = [new[2].id]
    now = signals(person_counts={anna: 4, ben: 3})
    found = [a for a in api.assets.values() if a.updated_at and a.updated_at > MARK]
    planned = plan_delta(rule, stored, now, found, MARK, set(), set())
    assert planned is not None
    plan, matched = planned
    full = make_plan(rule, matched.assets, set(), set(), matched.excluded)
    assert plan == full  # the same planner, the same buckets
    assert [a.id for a in plan.to_add] == [new[0].id]
    assert [a.id for a, _ in plan.filtered] == [new[1].id]  # shows Zoe
    assert [a.id for a in plan.vetoed] == [new[2].id]
    query = delta_query(rule, MARK)
    assert query.updated_after == MARK and query.with_people and query.visibility == "timeline"


def test_delta_plan_refuses_what_new_uploads_do_not_explain() -> None:
    api, rule, old = _library()
    anna, ben = (p.id for p in rule.people)
    stored = signals(person_counts={anna: 2, ben: 2})
    api.upload(anna)
    api.tag_late(old[1], anna)  # a face found late on an old photo: its updatedAt stays
    now = signals(person_counts={anna: 4, ben: 2})
    found = [a for a in api.assets.values() if a.updated_at and a.updated_at > MARK]
    assert plan_delta(rule, stored, now, found, MARK, set(), set()) is None
    tombstoned = api.upload(ben)
    now = signals(person_counts={anna: 3, ben: 3})
    found = [tombstoned]
    assert plan_delta(rule, stored, now, found, MARK, set(), set()) is None  # Anna's +1 unseen
    stored = signals(person_counts={anna: 3, ben: 2})
    planned = plan_delta(rule, stored, now, found, MARK, {tombstoned.id}, set())
    assert planned is not None and [a.id for a in planned[0].removed_by_hand] == [tombstoned.id]


# ---- one driver: the engine over the fake -------------------------------------------------


def _engine(api: FakeApi, rule: Rule, tmp_path: Path) -> SyncEngine:
    config = Config(sync=SyncSettings(chunk_size=2), rules=[rule])
    return SyncEngine(api, config, Journal(tmp_path / "journal.jsonl"))


def _tick(engine: SyncEngine, rule: Rule) -> RuleReport:
    return asyncio.run(engine.run_rule(rule, incremental=True))


def test_ticks_full_then_unchanged_then_delta_then_full(tmp_path: Path) -> None:
    api, rule, old = _library()
    rule.album_id = album = api.make_album("Kids")
    engine = _engine(api, rule, tmp_path)

    first = _tick(engine, rule)  # no baseline: a full reconcile, everything read…
    assert first.ok and first.added == 3 and not first.unchanged
    # …but the album: a first sync (test_first_sync.py)
    assert api.count("search_many") == 1 and api.count("album_asset_ids") == 0
    assert api.in_album(album) == {a.id for a in old}

    api.calls.clear()
    quiet = _tick(engine, rule)  # nothing moved: statistics + the album, nothing searched
    assert quiet.ok and quiet.unchanged and (quiet.matched, quiet.already) == (3, 3)
    assert sorted(api.calls) == ["album", "person_statistics", "person_statistics",
                                 "person_statistics"]  # fmt: skip

    api.calls.clear()
    anna = rule.people[0].id
    new = api.upload(anna)
    delta = _tick(engine, rule)  # one search since the watermark, one add
    assert delta.ok and delta.added == 1 and delta.to_add == 1 and not delta.unchanged
    assert api.count("search_assets") == 1 and api.count("search_many") == 0
    assert api.count("album_asset_ids") == 0 and api.count("add_to_album") == 1
    assert new.id in api.in_album(album)

    api.calls.clear()
    after = _tick(engine, rule)  # the delta stored its baseline: unchanged again
    assert after.unchanged and (after.matched, after.already) == (4, 4)

    api.calls.clear()
    api.tag_late(old[1], anna)  # Ben's photo now shows Anna too: already in, counts moved
    late = _tick(engine, rule)
    assert late.ok and not late.unchanged and late.added == 0
    assert api.count("search_assets") == 1 and api.count("search_many") == 1  # delta, then full


def test_a_hand_edit_of_the_album_forces_the_full_reconcile(tmp_path: Path) -> None:
    api, rule, old = _library()
    rule.album_id = album = api.make_album("Kids")
    engine = _engine(api, rule, tmp_path)
    assert _tick(engine, rule).added == 3
    api.albums_[album][1].discard(old[0].id)  # taken out by hand: a tombstone, not re-added
    api.calls.clear()
    report = _tick(engine, rule)
    assert report.ok and report.removed_by_hand == 1 and report.added == 0
    assert api.count("search_assets") == 0 and api.count("search_many") == 1
    assert old[0].id not in api.in_album(album)


def test_a_failing_tick_reports_one_problem_naming_the_rule_once(tmp_path: Path) -> None:
    api, rule, _ = _library()
    rule.album_id = api.make_album("Kids")
    ghost = PersonRef("0b9a2f1e-3c44-4d5e-8f00-0000000000aa", "Ghost")
    rule.people.append(ghost)
    report = _tick(_engine(api, rule, tmp_path), rule)
    (problem,) = report.problems
    assert problem.rule == "kids" and "'Ghost'" in problem.text and "kids" not in problem.text
    assert report.errors == [f"Rule 'kids': {problem.text}"]


def test_one_selection_policy_for_sync_and_the_app() -> None:
    auto, manual = Rule("auto", []), Rule("manual", [], auto_apply=False)
    off = Rule("off", [], enabled=False)
    config = Config(rules=[manual, auto, off])
    assert select_rules(config).apply == [auto] and not select_rules(config).preview
    app = select_rules(config, previews=True)
    assert (app.apply, app.preview) == ([auto], [manual])
    config.sync.auto_apply = False  # the app's timer then only previews
    app = select_rules(config, previews=True)
    assert (app.apply, app.preview) == ([], [auto, manual])
    assert select_rules(config, ["off", "manual"]).apply == [off, manual]  # named: as asked
    assert not select_rules(Config(rules=[off]), previews=True)
