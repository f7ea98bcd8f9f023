"""The accounts and sharing routes (users, album members, shared links, person update), driven
over raw HTTP by two accounts and checked against the Immich 3.1 spec by the `demo_server`
fixture's validator (successes and Immich's refusals alike)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from ppl2album_tui.demo.server import DemoServer
from tests.spec import recorder_for, spec_missing_reason

SKIP_REASON = spec_missing_reason()
pytestmark = [
    pytest.mark.skipif(SKIP_REASON is not None, reason=str(SKIP_REASON)),
    pytest.mark.accounts(2),  # the default library plus Robin Roe
]

#: The routes this file exercises (the route-coverage test of test_contract_endpoints.py
#: counts them as checked).
SHARING_ROUTES = {
    ("GET", "/users"),
    ("PUT", "/albums/{id}/users"),
    ("DELETE", "/albums/{id}/user/{userId}"),
    ("PUT", "/albums/{id}/user/{userId}"),
    ("POST", "/shared-links"),
    ("GET", "/shared-links"),
    ("GET", "/shared-links/{id}"),
    ("DELETE", "/shared-links/{id}"),
    ("PUT", "/people/{id}"),
}


@pytest.fixture
def robin(demo_server: DemoServer) -> Iterator[httpx.Client]:
    robin_id = next(iter(demo_server.library.users))
    headers = {"x-api-key": demo_server.user_key(robin_id)}
    with httpx.Client(base_url=f"{demo_server.url}/api", headers=headers, timeout=10) as http:
        yield http


def test_every_sharing_route_answers_as_the_spec_says(
    demo_http: httpx.Client, robin: httpx.Client, demo_server: DemoServer
) -> None:
    lib = demo_server.library
    robin_id = next(iter(lib.users))
    album = lib.album_by_name("Family")
    emma = lib.person_by_name("Emma")
    robin_photo = next(a.id for a in lib.assets.values() if a.owner_id == robin_id)
    ok = [
        demo_http.get("/users"),
        robin.get("/users/me"),
        demo_http.put(
            f"/albums/{album.id}/users",
            json={"albumUsers": [{"userId": robin_id, "role": "viewer"}]},
        ),
        robin.get(f"/albums/{album.id}"),
        robin.get("/albums", params={"isShared": "true"}),
        demo_http.put(f"/albums/{album.id}/user/{robin_id}", json={"role": "editor"}),
        robin.put(f"/albums/{album.id}/assets", json={"ids": [robin_photo]}),
        demo_http.put(f"/people/{emma.id}", json={"birthDate": "2019-05-04"}),
        demo_http.put(f"/people/{emma.id}", json={"birthDate": None, "name": "Emma"}),
    ]
    link = demo_http.post(
        "/shared-links",
        json={
            "type": "ALBUM",
            "albumId": album.id,
            "expiresAt": "2030-01-01T00:00:00.000Z",
            "password": "secret",
            "allowDownload": False,
        },
    )
    ok.append(link)
    link_id = link.json()["id"]
    ok += [
        demo_http.get("/shared-links"),
        demo_http.get("/shared-links", params={"albumId": album.id}),
        demo_http.get(f"/shared-links/{link_id}"),
        demo_http.delete(f"/shared-links/{link_id}"),
        robin.delete(f"/albums/{album.id}/user/me"),
    ]
    statuses = [200] * 5 + [204] + [200] * 3 + [201, 200, 200, 200, 204, 204]
    assert [r.status_code for r in ok] == statuses
    refused = [
        robin.put(f"/albums/{album.id}/assets", json={"ids": [robin_photo]}),
        robin.put(
            f"/albums/{album.id}/users",
            json={"albumUsers": [{"userId": lib.user.id}]},
        ),
        demo_http.put(f"/albums/{album.id}/users", json={"albumUsers": []}),
        demo_http.delete(f"/albums/{album.id}/user/{robin_id}"),
        demo_http.post("/shared-links", json={"type": "ALBUM"}),
        robin.get(f"/shared-links/{link_id}"),
        demo_http.put(f"/people/{emma.id}", json={"birthDate": "2999-01-01"}),
    ]
    assert [r.status_code for r in refused] == [400] * len(refused)
    rec = recorder_for(demo_server)
    assert rec is not None and not rec.violations
