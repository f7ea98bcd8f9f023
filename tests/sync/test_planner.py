"""Planner: every matched asset in exactly one bucket; property tests with hypothesis."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from ppl2album_tui.immich.models import Asset
from ppl2album_tui.sync.planner import filter_reason, glob_matches, make_plan
from ppl2album_tui.sync.rules import PersonRef, Rule

IDS = [f"00000000-0000-4000-8000-{i:012d}" for i in range(40)]


def asset(i: int, name: str = "IMG_0001.JPG", **kw: object) -> Asset:
    return Asset(id=IDS[i], original_file_name=name, **kw)  # type: ignore[arg-type]


def rule(**kw: object) -> Rule:
    return Rule(name="r", people=[PersonRef(IDS[0], "Anna")], album_id=IDS[1], **kw)  # type: ignore[arg-type]


def test_buckets_and_reasons() -> None:
    r = rule(
        globs=["*.jpg"],
        media_type="image",
        never_add=[IDS[5]],
        taken_after=date(2020, 1, 1),
        favorites_only=False,
    )
    day = datetime(2021, 6, 1, tzinfo=UTC)
    matched = [
        asset(1, taken_at=day),  # in album
        asset(2, "clip.MP4", type="VIDEO", taken_at=day),  # type
        asset(3, "doc.png", taken_at=day),  # glob
        asset(4, taken_at=datetime(2019, 1, 1, tzinfo=UTC)),  # date
        asset(5, taken_at=day),  # vetoed
        asset(6, taken_at=day),  # tombstone
        asset(7, taken_at=day),  # excluded
        asset(8, "img_0002.jpg", taken_at=day),  # to add (glob case-insensitive)
        asset(8, "img_0002.jpg", taken_at=day),  # duplicate in input
    ]
    plan = make_plan(r, matched, {IDS[1]}, {IDS[6], IDS[1]}, {IDS[7]: "Ben"})
    assert [a.id for a in plan.already] == [IDS[1]]
    assert sorted((a.id, why) for a, why in plan.filtered) == [
        (IDS[2], "type: video"),
        (IDS[3], "glob: no match"),
        (IDS[4], "date: before 2020-01-01"),
        (IDS[7], "excluded: Ben"),
    ]
    assert [a.id for a in plan.vetoed] == [IDS[5]]
    assert [a.id for a in plan.removed_by_hand] == [IDS[6]]
    assert [a.id for a in plan.to_add] == [IDS[8]]
    assert plan.counts() == {
        "matched": 8,
        "already": 1,
        "to_add": 1,
        "filtered": 4,
        "vetoed": 1,
        "removed_by_hand": 1,
        "to_remove": 0,
    }


def test_glob_case() -> None:
    assert glob_matches(rule(globs=["img_*.jpg"]), "IMG_0001.JPG")
    assert not glob_matches(rule(globs=["img_*.jpg"], case_sensitive_globs=True), "IMG_0001.JPG")
    assert glob_matches(rule(globs=["IMG_*.JPG"], case_sensitive_globs=True), "IMG_0001.JPG")
    assert glob_matches(rule(), "anything")
    assert glob_matches(rule(globs=["*.heic", "*.jpg"]), "x.JPG")


def test_other_filters() -> None:
    assert filter_reason(rule(favorites_only=True), asset(1)) == "favorite: not a favorite"
    assert filter_reason(rule(favorites_only=True), asset(1, is_favorite=True)) is None
    assert filter_reason(rule(), asset(1, visibility="archive")) == "archived"
    assert filter_reason(rule(include_archived=True), asset(1, visibility="archive")) is None
    assert filter_reason(rule(taken_before=date(2020, 1, 1)), asset(1)) == "date: unknown"
    edge = asset(1, taken_at=datetime(2020, 1, 1, 23, 59, tzinfo=UTC))
    assert (
        filter_reason(rule(taken_before=date(2020, 1, 1), taken_after=date(2020, 1, 1)), edge)
        is None
    )
    assert filter_reason(rule(media_type="video"), asset(1)) == "type: image"


names = st.sampled_from(["IMG_1.JPG", "img_2.jpg", "a.png", "clip.mp4", "x.HEIC"])
assets_st = st.lists(
    st.builds(
        Asset,
        id=st.sampled_from(IDS),
        original_file_name=names,
        type=st.sampled_from(["IMAGE", "VIDEO"]),
        is_favorite=st.booleans(),
        visibility=st.sampled_from(["timeline", "archive"]),
        taken_at=st.one_of(
            st.none(),
            st.datetimes(
                min_value=datetime(2015, 1, 1),
                max_value=datetime(2025, 1, 1),
                timezones=st.just(UTC),
            ),
        ),
    ),
    max_size=30,
)
id_sets = st.sets(st.sampled_from(IDS), max_size=15)
rules_st = st.builds(
    rule,
    globs=st.lists(st.sampled_from(["*.jpg", "IMG_*", "*.png"]), max_size=2),
    case_sensitive_globs=st.booleans(),
    media_type=st.sampled_from(["all", "image", "video"]),
    favorites_only=st.booleans(),
    include_archived=st.booleans(),
    never_add=st.lists(st.sampled_from(IDS), max_size=6),
    taken_after=st.one_of(st.none(), st.dates(date(2015, 1, 1), date(2025, 1, 1))),
)


@settings(deadline=None)  # a loaded CI machine must not make it flaky
@given(rules_st, assets_st, id_sets, id_sets, id_sets)
def test_plan_properties(
    r: Rule, matched: list[Asset], album: set[str], previously: set[str], excluded: set[str]
) -> None:
    plan = make_plan(r, matched, album, previously, excluded)
    buckets = [
        [a.id for a in plan.to_add],
        [a.id for a in plan.already],
        [a.id for a, _ in plan.filtered],
        [a.id for a in plan.vetoed],
        [a.id for a in plan.removed_by_hand],
    ]
    flat = [i for b in buckets for i in b]
    assert len(flat) == len(set(flat))  # disjoint, no duplicates
    assert set(flat) == {a.id for a in matched}  # covers every matched asset
    to_add = set(buckets[0])
    assert not to_add & album  # nothing in the album is re-added
    assert not to_add & set(r.never_add)  # vetoes hold
    assert not to_add & (previously - album)  # tombstones hold
    assert not to_add & excluded  # excluded people hold
    # idempotence: once to_add is applied, a new plan adds nothing
    after = album | to_add
    again = make_plan(r, matched, after, previously | to_add, excluded)
    assert again.to_add == []
    assert {a.id for a in again.already} == {a.id for a in matched} & after
