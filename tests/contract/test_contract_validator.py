"""The contract validator itself: hand-made exchanges it must accept or flag."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.spec import ContractValidator, Violation, spec_missing_reason

pytestmark = pytest.mark.skipif(
    spec_missing_reason() is not None, reason=str(spec_missing_reason())
)

JSON = {"Content-Type": "application/json; charset=utf-8"}


@pytest.fixture(scope="module")
def contract_validator() -> ContractValidator:
    from tests.spec import get_validator

    return get_validator()


@dataclass
class Ex:
    """A hand-made exchange with the attributes the validator reads."""

    method: str
    path: str
    query: dict[str, list[str]] = field(default_factory=dict)
    request_headers: dict[str, str] = field(default_factory=dict)
    request_body: bytes = b""
    status: int = 200
    response_headers: dict[str, str] = field(default_factory=lambda: dict(JSON))
    response_body: bytes = b""
    permissions: list[str] | None = field(default_factory=lambda: ["all"])
    injected: bool = False


def uid() -> str:
    return str(uuid.uuid4())


def dumps(value: Any) -> bytes:
    return json.dumps(value).encode()


def person(**over: Any) -> dict[str, Any]:
    return {
        "id": uid(),
        "name": "Anna",
        "birthDate": None,
        "thumbnailPath": "",
        "isHidden": False,
        **over,
    }


def asset(**over: Any) -> dict[str, Any]:
    ts = "2021-06-01T12:00:00.000Z"
    return {
        "id": uid(),
        "ownerId": uid(),
        "checksum": "c2hhMQ==",
        "createdAt": ts,
        "fileCreatedAt": ts,
        "fileModifiedAt": ts,
        "localDateTime": ts,
        "updatedAt": ts,
        "duration": None,
        "hasMetadata": True,
        "height": 480,
        "width": 640,
        "isArchived": False,
        "isEdited": False,
        "isFavorite": False,
        "isOffline": False,
        "isTrashed": False,
        "originalFileName": "IMG_0001.JPG",
        "originalPath": "/photos/IMG_0001.JPG",
        "thumbhash": None,
        "type": "IMAGE",
        "visibility": "timeline",
        **over,
    }


def search_page(items: list[dict[str, Any]], next_page: str | None = None) -> bytes:
    return dumps(
        {
            "albums": {"total": 0, "count": 0, "items": [], "facets": []},
            "assets": {
                "total": len(items),
                "count": len(items),
                "items": items,
                "facets": [],
                "nextPage": next_page,
            },
        }
    )


def album(**over: Any) -> dict[str, Any]:
    ts = "2024-01-01T00:00:00.000Z"
    user = {
        "id": uid(),
        "email": "demo@example.com",
        "name": "Demo",
        "profileImagePath": "",
        "avatarColor": "primary",
        "profileChangedAt": ts,
    }
    return {
        "id": uid(),
        "albumName": "Anna",
        "description": "",
        "createdAt": ts,
        "updatedAt": ts,
        "albumThumbnailAssetId": None,
        "shared": False,
        "albumUsers": [{"user": user, "role": "owner"}],
        "hasSharedLink": False,
        "assetCount": 0,
        "isActivityEnabled": True,
        **over,
    }


def search(body: dict[str, Any], **kw: Any) -> Ex:
    kw.setdefault("response_body", search_page([asset()]))
    return Ex(
        "POST",
        "/api/search/metadata",
        request_headers={"content-type": "application/json"},
        request_body=dumps(body),
        **kw,
    )


def people_ok(**kw: Any) -> Ex:
    body = {"people": [person()], "total": 1, "hidden": 0, "hasNextPage": False}
    kw.setdefault("response_body", dumps(body))
    return Ex("GET", "/api/people", **kw)


def messages(violations: list[Violation]) -> str:
    return "\n".join(str(v) for v in violations)


# -- loading ------------------------------------------------------------------------------


def test_spec_is_immich_3_1_and_loaded_once(contract_validator: ContractValidator) -> None:
    from tests.spec import get_validator, load_spec

    assert load_spec().version == "3.1.0"
    assert load_spec() is load_spec()
    assert get_validator() is contract_validator


def test_conforming_exchanges_pass(contract_validator: ContractValidator) -> None:
    pid = uid()
    ok = [
        people_ok(query={"withHidden": ["true"], "page": ["1"], "size": ["1000"]}),
        Ex("GET", f"/api/people/{pid}", response_body=dumps(person(id=pid))),
        Ex("GET", "/api/server/ping", response_body=b'{"res":"pong"}', permissions=None),
        search({"personIds": [pid], "visibility": "timeline", "size": 1000, "page": 1}),
        search({"takenAfter": "2020-01-01T00:00:00+02:00", "withDeleted": False}),
        Ex("GET", "/api/albums", response_body=dumps([album()])),
        Ex("GET", f"/api/albums/{pid}", response_body=dumps(album(id=pid))),
    ]
    for ex in ok:
        assert contract_validator.check(ex) == [], messages(contract_validator.check(ex))


# -- request half -------------------------------------------------------------------------


def test_capitalised_query_boolean_is_flagged(contract_validator: ContractValidator) -> None:
    found = contract_validator.check(people_ok(query={"withHidden": ["True"]}))
    assert [v.half for v in found] == ["request"]
    assert "'True' is not exactly 'true' or 'false'" in found[0].message


def test_non_uuid4_ids_are_flagged(contract_validator: ContractValidator) -> None:
    uuid1 = str(uuid.uuid1())
    found = contract_validator.check(
        Ex("GET", f"/api/people/{uuid1}", response_body=dumps(person()))
    )
    assert any("path parameter 'id'" in v.message for v in found), messages(found)
    found = contract_validator.check(search({"personIds": [uid(), "not-a-uuid"]}))
    assert any("personIds[1]" in v.message for v in found), messages(found)


def test_unknown_query_parameter_is_flagged(contract_validator: ContractValidator) -> None:
    # `shared` was removed from GET /albums in v3 and is dropped silently by the server.
    ex = Ex("GET", "/api/albums", query={"shared": ["true"]}, response_body=dumps([]))
    found = contract_validator.check(ex)
    assert [v.message for v in found] == [
        "unknown query parameter 'shared' (and the server answered 200)"
    ]


def test_query_integer_and_range(contract_validator: ContractValidator) -> None:
    found = contract_validator.check(people_ok(query={"size": ["abc"]}))
    assert "'abc' is not an integer" in messages(found)
    found = contract_validator.check(people_ok(query={"size": ["1001"]}))
    assert "greater than the maximum of 1000" in messages(found)
    found = contract_validator.check(people_ok(query={"size": ["10", "20"]}))
    assert "given 2 times" in messages(found)


def test_body_with_wrong_type_is_flagged(contract_validator: ContractValidator) -> None:
    found = contract_validator.check(search({"size": "1000", "isFavorite": "true"}))
    text = messages(found)
    assert "body size: '1000' is not of type 'integer'" in text
    assert "body isFavorite: 'true' is not of type 'boolean'" in text


def test_removed_v2_search_fields_are_flagged(contract_validator: ContractValidator) -> None:
    found = contract_validator.check(search({"isArchived": False, "withArchived": True}))
    assert "Additional properties are not allowed" in messages(found)


def test_date_time_needs_an_offset(contract_validator: ContractValidator) -> None:
    found = contract_validator.check(search({"takenAfter": "2020-01-01T00:00:00"}))
    assert "body takenAfter: '2020-01-01T00:00:00' is not a 'date-time'" in messages(found)


def test_body_content_type_and_presence(contract_validator: ContractValidator) -> None:
    ex = search({"size": 10})
    ex.request_headers = {"content-type": "text/plain"}
    assert "not application/json" in messages(contract_validator.check(ex))
    ex = Ex("PUT", f"/api/albums/{uid()}/assets", response_body=dumps([]))
    assert "required request body is missing" in messages(contract_validator.check(ex))
    ex = people_ok(request_body=b'{"a":1}')
    assert "does not take" in messages(contract_validator.check(ex))


def test_session_credentials_are_flagged(contract_validator: ContractValidator) -> None:
    found = contract_validator.check(people_ok(request_headers={"Cookie": "immich_access_token=x"}))
    assert "sends a cookie header" in messages(found)


def test_bad_request_rejected_with_400_is_not_a_violation(
    contract_validator: ContractValidator,
) -> None:
    rejected = people_ok(
        query={"withHidden": ["True"]},
        status=400,
        response_body=dumps({"message": "Validation failed", "errors": []}),
    )
    assert contract_validator.check(rejected) == []


# -- scope --------------------------------------------------------------------------------


def test_missing_scope_is_flagged_unless_answered_403(
    contract_validator: ContractValidator,
) -> None:
    limited = ["album.read"]
    found = contract_validator.check(people_ok(permissions=limited))
    assert [v.half for v in found] == ["scope"]
    assert "lacks 'person.read'" in found[0].message
    refused = people_ok(
        permissions=limited,
        status=403,
        response_body=dumps({"message": "Missing required permission: person.read"}),
    )
    assert contract_validator.check(refused) == []
    refused.response_body = dumps({"message": "Forbidden"})
    assert "403 message should be" in messages(contract_validator.check(refused))


def test_scope_granted_but_refused_is_flagged(contract_validator: ContractValidator) -> None:
    ex = people_ok(
        permissions=["person.read"],
        status=403,
        response_body=dumps({"message": "Missing required permission: person.read"}),
    )
    assert "answered 403 though the key grants" in messages(contract_validator.check(ex))


def test_all_grants_everything_and_key_me_needs_nothing(
    contract_validator: ContractValidator,
) -> None:
    key = {
        "id": uid(),
        "name": "limited",
        "permissions": ["person.read"],
        "createdAt": "2024-01-01T00:00:00.000Z",
        "updatedAt": "2024-01-01T00:00:00.000Z",
    }
    me = Ex("GET", "/api/api-keys/me", response_body=dumps(key), permissions=["person.read"])
    assert contract_validator.check(me) == []
    assert contract_validator.check(people_ok(permissions=["all"])) == []
    # An authenticated endpoint without x-immich-permission needs "all" (auth.service.ts).
    status = Ex("GET", "/api/auth/status", response_body=b"{}", permissions=["person.read"])
    assert "lacks 'all'" in messages(contract_validator.check(status))


def test_no_key_must_get_401(contract_validator: ContractValidator) -> None:
    found = contract_validator.check(people_ok(permissions=None))
    assert "without a valid API key" in messages(found)
    denied = people_ok(
        permissions=None, status=401, response_body=dumps({"message": "Invalid API key"})
    )
    assert contract_validator.check(denied) == []


# -- response half ------------------------------------------------------------------------


def test_response_missing_required_field_is_flagged(contract_validator: ContractValidator) -> None:
    broken = person()
    del broken["isHidden"]
    pid = broken["id"]
    found = contract_validator.check(Ex("GET", f"/api/people/{pid}", response_body=dumps(broken)))
    assert [v.half for v in found] == ["response"]
    assert "'isHidden' is a required property" in found[0].message


def test_search_page_shape(contract_validator: ContractValidator) -> None:
    bad = asset()
    del bad["visibility"]
    found = contract_validator.check(search({}, response_body=search_page([asset(), bad], "2")))
    assert "assets.items[1]: 'visibility' is a required property" in messages(found)
    numeric_next = search_page([asset()])
    numeric_next = numeric_next.replace(b'"nextPage": null', b'"nextPage": 2')
    found = contract_validator.check(search({}, response_body=numeric_next))
    assert "assets.nextPage: 2 is not of type 'string', 'null'" in messages(found)


def test_album_with_v2_fields_is_flagged(contract_validator: ContractValidator) -> None:
    pid = uid()
    body = dumps(album(id=pid, assets=[], ownerId=uid()))
    found = contract_validator.check(Ex("GET", f"/api/albums/{pid}", response_body=body))
    assert "('assets', 'ownerId' were unexpected)" in messages(found)


def test_error_bodies(contract_validator: ContractValidator) -> None:
    pid = uid()
    ex = Ex("GET", f"/api/albums/{pid}", status=400, response_body=b'{"message":"Album not found"}')
    assert contract_validator.check(ex) == []
    ex.response_body = b'{"message":"x","statusCode":400,"error":"Bad Request"}'
    assert "removed from Immich v3 error bodies" in messages(contract_validator.check(ex))
    ex.response_body = b"<html>oops</html>"
    ex.response_headers = {"Content-Type": "text/html"}
    assert "not application/json" in messages(contract_validator.check(ex))
    ex = Ex("GET", f"/api/albums/{pid}", status=418, response_body=b'{"message":"teapot"}')
    assert "status 418 is not documented" in messages(contract_validator.check(ex))


def test_response_content_types(contract_validator: ContractValidator) -> None:
    pid = uid()
    thumb = Ex(
        "GET",
        f"/api/assets/{pid}/thumbnail",
        query={"size": ["thumbnail"]},
        response_headers={"Content-Type": "image/webp"},
        response_body=b"RIFF....WEBP",
    )
    assert contract_validator.check(thumb) == []
    thumb.response_headers = {"Content-Type": "application/json"}
    assert "thumbnail content type" in messages(contract_validator.check(thumb))
    thumb.response_headers = {"Content-Type": "image/webp"}
    thumb.query = {"size": ["huge"]}
    assert "query parameter 'size'" in messages(contract_validator.check(thumb))
    ping = Ex("GET", "/api/server/ping", response_headers={"Content-Type": "text/plain"})
    ping.response_body = b'{"res":"pong"}'
    assert "not application/json" in messages(contract_validator.check(ping))


def test_injected_faults_check_only_the_request(contract_validator: ContractValidator) -> None:
    fault = people_ok(status=500, response_body=b"", response_headers={}, injected=True)
    assert contract_validator.check(fault) == []
    fault.query = {"withHidden": ["True"]}
    assert [v.half for v in contract_validator.check(fault)] == ["request"]


def test_routes(contract_validator: ContractValidator) -> None:
    assert contract_validator.check(Ex("GET", "/api/nope", status=404)) == []
    assert "no path of the spec" in messages(contract_validator.check(Ex("GET", "/api/nope")))
    assert "not under /api/" in messages(contract_validator.check(Ex("GET", "/people")))
    assert "method not in the spec" in messages(
        contract_validator.check(Ex("PATCH", "/api/people"))
    )
    # The literal /api-keys/me wins over /api-keys/{id} (which would need api_key.read).
    key_me = Ex("GET", "/api/api-keys/me", response_body=b"{}", permissions=["person.read"])
    assert all(v.half == "response" for v in contract_validator.check(key_me))


def test_fast_predicates_agree_with_jsonschema(contract_validator: ContractValidator) -> None:
    compiled = contract_validator._validator(
        ("POST", "/search/metadata", 200),
        {"$ref": "#/components/schemas/SearchResponseDto"},
    )
    assert compiled.fast is not None
    good = json.loads(search_page([asset(), asset(duration=1200, thumbhash="abc")], "2"))
    variants: list[Any] = [good, {}, [], None]
    for key, value in [
        ("id", "x"),
        ("duration", -1),
        ("duration", 1.5),
        ("type", "PHOTO"),
        ("isFavorite", 1),
        ("createdAt", "2021-06-01"),
        ("extra", 1),
        ("height", True),
    ]:
        bad = json.loads(json.dumps(good))
        bad["assets"]["items"][0][key] = value
        variants.append(bad)
    for instance in variants:
        assert compiled.fast(instance) == compiled.slow.is_valid(instance), instance


def test_head_is_checked_as_get_and_redirects_need_a_location(
    contract_validator: ContractValidator,
) -> None:
    head = Ex("HEAD", "/api/server/ping", response_body=b'{"res":"pong"}', permissions=None)
    assert contract_validator.check(head) == []
    pid = uid()
    redirect = Ex(
        "GET",
        f"/api/assets/{pid}/thumbnail",
        query={"size": ["fullsize"]},
        status=302,
        response_headers={"Location": f"/api/assets/{pid}/original"},
    )
    assert contract_validator.check(redirect) == []
    redirect.response_headers = {}
    assert "without a Location header" in messages(contract_validator.check(redirect))
