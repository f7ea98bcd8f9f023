"""Cluster groups and partner sharing between two accounts on the demo server, over real HTTP
(3.3.5 answers checked against immichpy's models, 3.1's against the spec): one person id across
the group, ``clusterGroupId`` on ``GET /users/me``, ``GET /cluster-groups/{id}/users``, and a
person search covering the caller's and their timeline partners' photos."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from ppl2album_tui.demo.clusters import join_cluster_group
from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.partners import share_partner
from ppl2album_tui.demo.server import DemoServer
from tests.accounts_helpers import person, photos

pytestmark = pytest.mark.accounts(2)


@pytest.fixture
def robin(demo_server: DemoServer, robin_id: str) -> Iterator[httpx.Client]:
    headers = {"x-api-key": demo_server.user_key(robin_id)}
    with httpx.Client(base_url=f"{demo_server.url}/api", headers=headers, timeout=10) as http:
        yield http


def found(http: httpx.Client, person_id: str) -> set[str]:
    body = {"personIds": [person_id], "size": 1000, "visibility": "timeline"}
    return {a["id"] for a in http.post("/search/metadata", json=body).json()["assets"]["items"]}


@pytest.mark.parametrize("immich_version", ["3.3.5"])
def test_a_cluster_group_gives_one_person_id_and_partners_photos_in_search(
    demo_http: httpx.Client, robin: httpx.Client, demo_library: Library, robin_id: str
) -> None:
    lib = demo_library
    me = lib.user.id
    emma, robins = person(lib, "Emma", None), photos(lib, "Emma", robin_id)
    mine = photos(lib, "Emma", None)
    assert demo_http.get("/users/me").json()["clusterGroupId"] == me  # a group of one's own
    group = join_cluster_group(lib, [me, robin_id])
    assert demo_http.get("/users/me").json()["clusterGroupId"] == group
    assert robin.get("/users/me").json()["clusterGroupId"] == group
    listed = robin.get("/people", params={"size": 1000}).json()["people"]
    assert emma.id in {p["id"] for p in listed}  # the same id in Robin's people
    stats = robin.get(f"/people/{emma.id}/statistics").json()
    assert stats == {"assets": len(robins)}  # Robin's own photos of her
    assert {u["id"] for u in robin.get(f"/cluster-groups/{group}/users").json()} == {me, robin_id}
    assert robin.get(f"/cluster-groups/{robin_id}/users").status_code == 400
    assert found(demo_http, emma.id) == mine  # Robin does not share with main yet
    share_partner(lib, robin_id, me, in_timeline=True)
    assert found(demo_http, emma.id) == mine | robins  # one key sees both libraries' Emma
    assert found(robin, emma.id) == robins  # main does not share with Robin


def test_on_3_1_a_partners_person_is_searchable_but_not_readable(
    demo_http: httpx.Client, demo_library: Library, robin_id: str
) -> None:
    """immich-api-notes §2.7: with "show in timeline" on, A's search with B's person id gets
    B's photos; the person is B's alone (no cluster groups before 3.2)."""
    lib = demo_library
    theirs = person(lib, "Emma", robin_id)
    assert "clusterGroupId" not in demo_http.get("/users/me").json()
    assert demo_http.get(f"/cluster-groups/{lib.user.id}/users").status_code == 404
    assert found(demo_http, theirs.id) == set()
    share_partner(lib, robin_id, lib.user.id, in_timeline=True)
    assert found(demo_http, theirs.id) == photos(lib, "Emma", robin_id)
    assert demo_http.get(f"/people/{theirs.id}").status_code == 400
