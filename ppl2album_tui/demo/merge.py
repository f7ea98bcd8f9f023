"""Merging people: ``POST /people/{id}/merge`` (every version; deprecated from 3.2.1) and
``POST /people/merge`` (3.2.1+, an ordered list whose first person survives)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ppl2album_tui.demo.routing import Request, Response, json_response, route
from ppl2album_tui.demo.validate import ApiError, Checker, object_body

if TYPE_CHECKING:
    from ppl2album_tui.demo.api import Api


def _ids(req: Request) -> list[str]:
    body = object_body(req.body)
    c = Checker()
    ids = c.uuid_list(["ids"], c.required(body, "ids", "array"))
    c.done()
    return ids or []


def _merge(api: Api, target: str, sources: list[str]) -> list[dict[str, Any]]:
    lib = api.lib
    with lib.lock:
        if target not in lib.people:
            raise ApiError(400, "Not found or no person.merge access")
        results: list[dict[str, Any]] = []
        for source in sources:
            if source == target:
                results.append({"id": source, "success": False, "error": "duplicate"})
            elif source not in lib.people:
                results.append({"id": source, "success": False, "error": "not_found"})
            else:  # the first defined name is kept
                person = lib.people[target]
                person.name = person.name or lib.people[source].name
                lib.merge_person(target, source)
                results.append({"id": source, "success": True})
        return results


@route("POST", "/people/{id}/merge", "person.merge")
def merge_into(api: Api, req: Request) -> Response:
    target = api.path_id(req)
    return json_response(_merge(api, target, _ids(req)))


@route("POST", "/people/merge", "person.merge", since=(3, 2, 1))
def merge_people(api: Api, req: Request) -> Response:
    ids = _ids(req)
    if not ids:
        return json_response([])
    return json_response(_merge(api, ids[0], ids[1:]))
