"""Plumbing of the demo API: keys, request/response records and the route table with scopes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from ppl2album_tui.demo.validate import ApiError

if TYPE_CHECKING:
    from ppl2album_tui.demo.api import Api

JSON_TYPE = "application/json; charset=utf-8"
PUBLIC = None  # no key needed
ANY_KEY = ""  # any valid key (Immich's `permission: false`)


@dataclass(slots=True)
class ApiKey:
    id: str
    name: str
    secret: str
    permissions: list[str]
    created_at: datetime
    user_id: str | None = None  # the account it belongs to (users.py); None: the library's user

    def allows(self, scope: str) -> bool:
        return scope == ANY_KEY or "all" in self.permissions or scope in self.permissions


@dataclass(slots=True)
class Request:
    method: str
    path: str
    query: Mapping[str, str]
    body: object
    params: dict[str, str] = field(default_factory=dict)
    key: ApiKey | None = None


@dataclass(slots=True)
class Response:
    status: int
    body: bytes
    content_type: str = JSON_TYPE
    headers: dict[str, str] = field(default_factory=dict)


def json_response(data: object, status: int = 200) -> Response:
    return Response(status, json.dumps(data, separators=(",", ":")).encode())


def error_response(err: ApiError) -> Response:
    return json_response(err.body(), err.status)


Handler = Callable[["Api", Request], Response]


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    spec_path: str  # as in the OpenAPI document, without /api
    scope: str | None  # None = public, "" = any key, else the x-immich-permission
    handler: Handler
    pattern: re.Pattern[str]
    since: tuple[int, int, int] = (0, 0, 0)  # the Immich version that added the endpoint


_ROUTES: list[Route] = []


def route(
    method: str, spec_path: str, scope: str | None, since: tuple[int, int, int] = (0, 0, 0)
) -> Callable[[Handler], Handler]:
    regex = "^/api" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", spec_path) + "$"

    def register(fn: Handler) -> Handler:
        _ROUTES.append(Route(method, spec_path, scope, fn, re.compile(regex), since))
        return fn

    return register


def find_route(
    method: str, path: str, version: tuple[int, int, int] = (3, 1, 0)
) -> tuple[Route, dict[str, str]] | None:
    """The route for `method path` and its path parameters; None for an endpoint unknown to
    Immich `version`."""
    for r in _ROUTES:
        if r.method == method and r.since <= version:
            m = r.pattern.match(path)
            if m:
                return r, m.groupdict()
    return None


def scope_table(version: tuple[int, int, int] = (3, 1, 0)) -> dict[tuple[str, str], str | None]:
    """(METHOD, spec path) -> required permission (None public, "" any key) on `version`."""
    return {(r.method, r.spec_path): r.scope for r in _ROUTES if r.since <= version}
