"""The planner's mirror mode and `only`, pure: what is to remove, and what never is."""

from __future__ import annotations

from ppl2album_tui.immich.models import Asset, AssetPerson, Person
from ppl2album_tui.sync.planner import (
    NO_LONGER_MATCHES,
    Plan,
    make_plan,
    only_reason,
    removal_held,
)
from ppl2album_tui.sync.rules import PersonRef, Rule

IDS = [f"00000000-0000-4000-8000-{i:012d}" for i in range(80)]
ANNA, BEN, OLGA = IDS[70], IDS[71], IDS[72]


def mirror(**kw: object) -> Rule:
    return Rule("r", [PersonRef(ANNA, "Anna")], album_id=IDS[79], remove_unmatched=True, **kw)  # type: ignore[arg-type]


def a(i: int, *people: str) -> Asset:
    return Asset(IDS[i], f"IMG_{i}.JPG", faces=tuple(AssetPerson(p) for p in people))


def removed(plan: Plan) -> dict[str, str]:
    return {x.id: why for x, why in plan.to_remove}


def test_only_the_rules_own_unmatched_or_filtered_photos_are_removed() -> None:
    album = {IDS[1], IDS[2], IDS[3], IDS[4], IDS[5]}
    mine = {IDS[1], IDS[2], IDS[3]}  # 4 and 5 were added by hand
    matched = [a(1), a(3), a(5), a(6)]  # 2 and 4 no longer match; 3 is now vetoed
    plan = make_plan(mirror(never_add=[IDS[3]]), matched, album, mine, mine=mine)
    assert removed(plan) == {IDS[2]: NO_LONGER_MATCHES, IDS[3]: "vetoed"}
    assert {x.id for x in plan.already} == {IDS[1], IDS[5]}
    assert [x.id for x in plan.to_add] == [IDS[6]] and plan.matched_count == 4


def test_nothing_is_removed_without_mirror_mode_a_read_album_or_any_match() -> None:
    album = mine = {IDS[1], IDS[2]}
    plain = Rule("r", [PersonRef(ANNA, "Anna")], album_id=IDS[79])
    assert make_plan(plain, [a(1)], album, mine, mine=mine).to_remove == []
    assert make_plan(mirror(), [a(1)], set(), mine).to_remove == []  # a delta: album unread
    assert make_plan(mirror(), [], album, mine, mine=mine).to_remove == []  # found nobody


def test_the_bound_is_50_photos_or_a_tenth_of_the_album() -> None:
    def plan(n: int) -> Plan:
        return Plan(to_remove=[(a(i), NO_LONGER_MATCHES) for i in range(n)])

    assert not removal_held(plan(50), 1000) and removal_held(plan(51), 1000)
    assert not removal_held(plan(10), 100) and removal_held(plan(11), 100)


def test_only_names_who_else_appears() -> None:
    rule = Rule("ab", [PersonRef(ANNA, "Anna"), PersonRef(BEN, "Ben")], only=True)
    people = {OLGA: Person(OLGA, "Olga"), IDS[73]: Person(IDS[73], "Zed", is_hidden=True)}
    assert only_reason(rule, a(1, ANNA, BEN), people) is None
    assert only_reason(rule, a(2, ANNA, OLGA, IDS[73]), people) == "also shows Olga, Zed (hidden)"
    assert only_reason(rule, a(3, BEN, IDS[74]), people) == "also shows an unnamed person"
    rule.only_ignore_unnamed = True
    assert only_reason(rule, a(3, BEN, IDS[74]), people) is None
