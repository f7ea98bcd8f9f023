"""Contract checks for Immich 3.2/3.3 answers and requests: the pydantic models that PyPI's
``immichpy`` 9.2.4 generates from Immich's 3.3.5 OpenAPI document (a test-only dependency).

The models ignore unknown keys, so `unknown_keys` walks each JSON value beside its model and
reports every key the model does not declare. Only the endpoints the app and the tests use are
mapped; an unmapped one is reported too, so the table cannot silently fall behind.
"""

from __future__ import annotations

import json
import threading
import types
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError

from ppl2album_tui.demo.server import Exchange

m: Any
try:
    from immichpy.client.generated import models as m
except ImportError:  # pragma: no cover - the test extra installs it
    m = None

MAX_LISTED = 30


def _table() -> dict[tuple[str, str], tuple[Any, Any, bool]]:
    """(method, spec path) -> (request model or None, 2xx response model or None, list?)."""
    assert m is not None
    return {
        ("GET", "/server/ping"): (None, m.ServerPingResponse, False),
        ("GET", "/server/version"): (None, m.ServerVersionResponseDto, False),
        ("GET", "/server/about"): (None, m.ServerAboutResponseDto, False),
        ("GET", "/server/features"): (None, m.ServerFeaturesDto, False),
        ("GET", "/users/me"): (None, m.UserAdminResponseDto, False),
        ("GET", "/api-keys/me"): (None, m.ApiKeyResponseDto, False),
        ("GET", "/people"): (None, m.PeopleResponseDto, False),
        ("GET", "/people/{id}"): (None, m.PersonResponseDto, False),
        ("GET", "/people/{id}/statistics"): (None, m.PersonStatisticsResponseDto, False),
        ("GET", "/people/{id}/thumbnail"): (None, None, False),
        ("GET", "/search/person"): (None, m.PersonResponseDto, True),
        ("POST", "/people/merge"): (m.MergePersonDto, m.BulkIdResponseDto, True),
        ("POST", "/people/{id}/merge"): (m.MergePersonDto, m.BulkIdResponseDto, True),
        ("POST", "/search/metadata"): (m.MetadataSearchDto, m.SearchResponseDto, False),
        ("POST", "/search/statistics"): (m.StatisticsSearchDto, m.SearchStatisticsResponseDto,
                                         False),
        ("GET", "/albums"): (None, m.AlbumResponseDto, True),
        ("GET", "/albums/{id}"): (None, m.AlbumResponseDto, False),
        ("POST", "/albums"): (m.CreateAlbumDto, m.AlbumResponseDto, False),
        ("DELETE", "/albums/{id}"): (None, None, False),
        ("PUT", "/albums/{id}/assets"): (m.BulkIdsDto, m.BulkIdResponseDto, True),
        ("DELETE", "/albums/{id}/assets"): (m.BulkIdsDto, m.BulkIdResponseDto, True),
        ("PUT", "/albums/assets"): (m.AlbumsAddAssetsDto, m.AlbumsAddAssetsResponseDto, False),
        ("GET", "/assets/{id}"): (None, m.AssetResponseDto, False),
        ("GET", "/assets/{id}/thumbnail"): (None, None, False),
        ("GET", "/assets/{id}/original"): (None, None, False),
        ("GET", "/users"): (None, m.UserResponseDto, True),
        ("GET", "/cluster-groups/{id}/users"): (None, m.UserResponseDto, True),
        ("PUT", "/albums/{id}/users"): (m.AddUsersDto, m.AlbumResponseDto, False),
        ("PUT", "/albums/{id}/user/{userId}"): (m.UpdateAlbumUserDto, None, False),
        ("DELETE", "/albums/{id}/user/{userId}"): (None, None, False),
        ("POST", "/shared-links"): (m.SharedLinkCreateDto, m.SharedLinkResponseDto, False),
        ("GET", "/shared-links"): (None, m.SharedLinkResponseDto, True),
        ("GET", "/shared-links/{id}"): (None, m.SharedLinkResponseDto, False),
        ("DELETE", "/shared-links/{id}"): (None, None, False),
        ("PUT", "/people/{id}"): (m.PersonUpdateDto, m.PersonResponseDto, False),
    }  # fmt: skip


def _models_in(annotation: Any) -> Iterator[tuple[type[BaseModel], bool]]:
    """The BaseModel classes an annotation may hold, and whether inside a list."""
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation, False
    elif origin in (list, typing.List):  # noqa: UP006
        for model, _ in _models_in(typing.get_args(annotation)[0]):
            yield model, True
    elif origin in (typing.Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(annotation):
            yield from _models_in(arg)


def unknown_keys(model: type[BaseModel], data: object, path: str = "") -> list[str]:
    """Every key of `data` (recursively) that `model` does not declare."""
    if not isinstance(data, dict):
        return []
    fields = {(f.alias or name): f for name, f in model.model_fields.items()}
    found = [f"{path}.{k}" if path else k for k in data if k not in fields]
    for key, value in data.items():
        field = fields.get(key)
        if field is None:
            continue
        for sub, is_list in _models_in(field.annotation):
            here = f"{path}.{key}" if path else key
            items = value if is_list and isinstance(value, list) else [value]
            for i, item in enumerate(items):
                found += unknown_keys(sub, item, f"{here}[{i}]" if is_list else here)
            break
    return found


def check(model: Any, data: object, is_list: bool, what: str) -> list[str]:
    """Problems of `data` against `model` (validation errors and unknown keys)."""
    if is_list and not isinstance(data, list):
        return [f"{what}: expected a list"]
    values: list[object] = data if isinstance(data, list) and is_list else [data]
    problems = []
    for value in values:
        try:
            model.model_validate(value)
        except ValidationError as err:
            problems += [f"{what}: {e['loc']}: {e['msg']}" for e in err.errors()[:5]]
        problems += [f"{what}: unknown key {k!r}" for k in unknown_keys(model, value)]
    return problems


class ImmichpyRecorder:
    """``on_exchange`` hook of a 3.2+/3.3 demo server: violations kept for teardown."""

    def __init__(self) -> None:
        self.table = _table()
        self.violations: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, ex: Exchange) -> None:
        if ex.injected or ex.spec_path is None or ex.method == "HEAD":
            return
        where = f"{ex.method} {ex.spec_path}"
        entry = self.table.get((ex.method, ex.spec_path))
        if entry is None:
            self._add([f"{where}: not in the 3.3 contract table"])
            return
        request, response, is_list = entry
        found: list[str] = []
        if request is not None and ex.request_body and 200 <= ex.status < 300:
            found += check(request, json.loads(ex.request_body), False, f"{where} request")
        if response is not None and 200 <= ex.status < 300 and ex.response_body:
            found += check(response, json.loads(ex.response_body), is_list, f"{where} response")
        self._add(found)

    def _add(self, found: list[str]) -> None:
        if found:
            with self._lock:
                self.violations.extend(found)

    def report(self) -> str | None:
        with self._lock:
            found = list(self.violations)
        if not found:
            return None
        lines = [f"{len(found)} Immich 3.3.5 (immichpy models) contract violation(s):"]
        lines += [f"  - {v}" for v in found[:MAX_LISTED]]
        return "\n".join(lines)


def attach_immichpy_checker(server: Any) -> ImmichpyRecorder | None:
    """Install the 3.3 checker as ``server.on_exchange`` (None when immichpy is absent)."""
    if m is None:
        return None
    recorder = ImmichpyRecorder()
    server.on_exchange = recorder
    return recorder
