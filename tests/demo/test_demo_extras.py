"""Demo-server endpoints beyond the app's needs: search statistics, person search, asset
details, album deletion, original-size redirects."""

from __future__ import annotations

import httpx

from ppl2album_tui.demo.library import Library


def test_search_statistics_counts_all_matches(
    demo_http: httpx.Client, demo_library: Library
) -> None:
    anna = demo_library.person_by_name("Anna").id
    body = {"personIds": [anna]}
    assert demo_http.post("/search/statistics", json=body).json() == {"total": 242}
    timeline = {**body, "visibility": "timeline"}
    assert demo_http.post("/search/statistics", json=timeline).json() == {"total": 229}


def test_search_person_by_name(demo_http: httpx.Client) -> None:
    found = demo_http.get("/search/person", params={"name": "an"}).json()
    assert [p["name"] for p in found] == ["Anna"]  # a word prefix, not a substring (Jonas)


def test_asset_details_include_people_and_exif(
    demo_http: httpx.Client, demo_library: Library
) -> None:
    anna = demo_library.person_by_name("Anna")
    photo = next(a for a in demo_library.assets_of(anna.id) if a.visibility == "timeline")
    detail = demo_http.get(f"/assets/{photo.id}").json()
    assert detail["originalFileName"] == photo.original_file_name
    assert anna.id in [p["id"] for p in detail["people"]]
    assert detail["exifInfo"]["exifImageWidth"] == photo.width


def test_delete_album(demo_http: httpx.Client, demo_library: Library) -> None:
    drafts = demo_library.album_by_name("Drafts")
    assert demo_http.delete(f"/albums/{drafts.id}").status_code == 204
    assert drafts.id not in demo_library.albums
    assert demo_http.get(f"/albums/{drafts.id}").status_code == 400


def test_original_sizes_redirect(demo_http: httpx.Client, demo_library: Library) -> None:
    photo = next(iter(demo_library.assets))
    response = demo_http.get(f"/assets/{photo}/thumbnail", params={"size": "fullsize"})
    assert response.status_code == 302
    assert response.headers["location"] == f"/api/assets/{photo}/original"
    original = demo_http.get(f"/assets/{photo}/original")
    assert original.headers["content-type"] == "image/jpeg"
