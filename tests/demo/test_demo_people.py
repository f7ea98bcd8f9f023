"""People endpoints of the demo server over real HTTP: listing rules, paging, statistics."""

from __future__ import annotations

import httpx

from ppl2album_tui.demo.library import Library


def listed(http: httpx.Client, **params: str) -> list[dict[str, object]]:
    response = http.get("/people", params=params)
    assert response.status_code == 200
    people: list[dict[str, object]] = response.json()["people"]
    return people


def test_listing_order_favourites_named_then_face_count(
    demo_http: httpx.Client, demo_library: Library
) -> None:
    body = demo_http.get("/people", params={"withHidden": "true"}).json()
    people = body["people"]
    names = [p["name"] for p in people]
    assert names[:3] == ["Anna", "Clara", "Ben"]  # favourites first (Anna, Clara), then Ben
    named = [n for n in names if n]
    assert names[: len(named)] == named  # named before unnamed
    visible_unnamed = [p for p in people if not p["name"] and not p["isHidden"]]
    counts = [demo_library.timeline_count(p["id"]) for p in visible_unnamed]
    assert counts == sorted(counts, reverse=True)
    assert people[-1]["isHidden"] is True  # hidden people come last
    assert body["hasNextPage"] is False
    assert set(people[0]) >= {"id", "name", "birthDate", "thumbnailPath", "isHidden"}


def test_small_clusters_hidden_and_archive_only_people_are_not_listed(
    demo_http: httpx.Client, demo_library: Library
) -> None:
    ids = {p["id"] for p in listed(demo_http)}
    for person in demo_library.people.values():
        n = demo_library.timeline_count(person.id)
        should = n > 0 and (person.name != "" or n >= 3) and not person.is_hidden
        assert (person.id in ids) == should, (person.name, n)
    assert len(ids) == 15  # 12 named + 3 unnamed clusters with >= 3 faces


def test_hidden_person_only_with_with_hidden(demo_http: httpx.Client) -> None:
    without = {p["id"] for p in listed(demo_http)}
    with_hidden = listed(demo_http, withHidden="true")
    hidden = [p for p in with_hidden if p["isHidden"]]
    assert len(hidden) == 1 and hidden[0]["id"] not in without
    assert len(with_hidden) == len(without) + 1
    body = demo_http.get("/people").json()
    assert body["total"] == 18 and body["hidden"] == 1  # total ignores the minimum-face rule


def test_paging_with_has_next_page(demo_http: httpx.Client) -> None:
    everyone = [p["id"] for p in listed(demo_http)]
    seen: list[str] = []
    page = 1
    while True:
        body = demo_http.get("/people", params={"page": page, "size": 4}).json()
        seen += [p["id"] for p in body["people"]]
        if not body["hasNextPage"]:
            break
        page += 1
    assert seen == everyone and page == 4


def test_people_size_bounds(demo_http: httpx.Client) -> None:
    for size in ("0", "1001", "abc"):
        response = demo_http.get("/people", params={"size": size})
        assert response.status_code == 400
        assert response.json()["message"] == "Validation failed"
    assert demo_http.get("/people", params={"size": "1000"}).status_code == 200


def test_person_statistics_and_details(demo_http: httpx.Client, demo_library: Library) -> None:
    anna = demo_library.person_by_name("Anna")
    assert demo_http.get(f"/people/{anna.id}/statistics").json() == {"assets": 229}
    person = demo_http.get(f"/people/{anna.id}").json()
    assert person["name"] == "Anna" and person["id"] == anna.id
    hidden = next(p for p in demo_library.people.values() if p.is_hidden)
    assert demo_http.get(f"/people/{hidden.id}").json()["isHidden"] is True


def test_statistics_follow_late_face_recognition(
    demo_http: httpx.Client, demo_library: Library
) -> None:
    ben = demo_library.person_by_name("Ben")
    before = demo_http.get(f"/people/{ben.id}/statistics").json()["assets"]
    asset = next(
        a
        for a in demo_library.assets.values()
        if a.visibility == "timeline" and not a.is_trashed and ben.id not in a.people
    )
    demo_library.assign_face(asset.id, ben.id)
    assert demo_http.get(f"/people/{ben.id}/statistics").json()["assets"] == before + 1


def test_unknown_and_malformed_person_ids(demo_http: httpx.Client) -> None:
    unknown = "6f1c1a4e-2b3d-4c5e-8f70-123456789abc"
    response = demo_http.get(f"/people/{unknown}")
    assert response.status_code == 400
    assert response.json() == {"message": "Not found or no person.read access"}
    response = demo_http.get("/people/not-a-uuid")
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "Validation failed" and body["errors"][0]["path"] == ["id"]
    # a uuid that is not version 4 is rejected too
    assert demo_http.get("/people/6f1c1a4e-2b3d-1c5e-8f70-123456789abc").status_code == 400


def test_person_thumbnail_is_a_jpeg(demo_http: httpx.Client, demo_library: Library) -> None:
    anna, ben = demo_library.person_by_name("Anna"), demo_library.person_by_name("Ben")
    a = demo_http.get(f"/people/{anna.id}/thumbnail")
    b = demo_http.get(f"/people/{ben.id}/thumbnail")
    assert a.status_code == 200 and a.headers["content-type"] == "image/jpeg"
    assert a.content[:3] == b"\xff\xd8\xff" and a.content != b.content
    assert int(a.headers["content-length"]) == len(a.content)
