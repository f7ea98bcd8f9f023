"""The 3.3.5 contract checker (immichpy's models plus our unknown-key walk) can fail."""

from __future__ import annotations

from immichpy.client.generated import models as m

from tests.spec.immichpy_contract import check, unknown_keys

ID = "8e2a51f5-6a0c-4b8e-9f3e-0c6f3b1d2a11"


def test_unknown_keys_are_found_at_any_depth() -> None:
    body = {"filter": {"personIds": {"any": [ID], "sum": [ID]}, "bogus": 1}, "size": 10, "x": 1}
    assert sorted(unknown_keys(m.MetadataSearchDto, body)) == [
        "filter.bogus",
        "filter.personIds.sum",
        "x",
    ]


def test_a_valid_v2_body_passes_and_a_bad_one_does_not() -> None:
    good = {
        "filter": {"personIds": {"any": [ID]}, "trashedAt": {"eq": None},
                   "visibility": {"in": ["timeline", "archive"]}},
        "orderBy": {"field": "fileCreatedAt", "direction": "asc"},
        "size": 1000,
        "withExif": False,
    }  # fmt: skip
    assert check(m.MetadataSearchDto, good, False, "body") == []
    bad = {"filter": {"visibility": {"eq": "everything"}}, "size": 5000}
    assert len(check(m.MetadataSearchDto, bad, False, "body")) == 2


def test_a_3_3_person_needs_its_sharing_lists() -> None:
    person = {"id": ID, "name": "Anna", "birthDate": None, "thumbnailPath": "", "isHidden": False}
    problems = check(m.PersonResponseDto, person, False, "person")
    assert {p.split("'")[1] for p in problems} == {"sharedBy", "sharedWith", "otherPeople"}
    shared: dict[str, object] = {**person, "sharedBy": [], "sharedWith": [], "otherPeople": []}
    assert check(m.PersonResponseDto, shared, False, "person") == []
