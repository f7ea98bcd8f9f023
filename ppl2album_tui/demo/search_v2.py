"""Immich 3.2+'s Search API v2 over the demo library (immich-3.3-changes.md §2).

`filter` and each `or` branch are strict objects (an unknown key is a 400), every comparison
needs at least one operator; `personIds.any` is a true OR, `all` an AND, `none` a NOT; there is
no implicit trash exclusion (send ``trashedAt: {eq: null}``); a visibility condition that could
match ``locked`` is a 401 for an API key, and without one ``locked`` is never returned; the cursor
is base64 of ``{"offset": N}``. The filter keys the app does not use are validated but not
evaluated: the demo answers them with a 400 that says so rather than with a wrong result.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from ppl2album_tui.demo.library import DemoAsset, Library
from ppl2album_tui.demo.search import ASSET_TYPES, VISIBILITIES
from ppl2album_tui.demo.validate import ApiError, Checker

Predicate = Callable[[DemoAsset], bool]

_IDS = ("any", "all", "none")
_DATE = ("eq", "ne", "gt", "gte", "lt", "lte")
_ENUM = ("eq", "ne", "in", "notIn")
_TEXT = (*_ENUM, "like", "notLike", "startsWith", "endsWith")
_NUMBER = (*_DATE, "in", "notIn")
# key -> allowed operators (the SearchFilter shape of the 3.3.5 OpenAPI document)
FILTER_KEYS: dict[str, tuple[str, ...]] = {
    "personIds": _IDS, "albumIds": _IDS, "tagIds": _IDS,
    "takenAt": _DATE, "createdAt": _DATE, "updatedAt": _DATE, "trashedAt": _DATE,
    "type": _ENUM, "visibility": _ENUM,
    "isFavorite": ("eq",), "isMotion": ("eq",), "isOffline": ("eq",), "isEncoded": ("eq",),
    "hasPeople": ("eq",), "hasAlbums": ("eq",), "hasTags": ("eq",),
    "id": ("eq", "ne"), "libraryId": ("eq", "ne"),
    "city": _ENUM, "state": _ENUM, "country": _ENUM, "make": _ENUM, "model": _ENUM,
    "lensModel": _ENUM,
    "description": _TEXT, "originalFileName": _TEXT, "originalPath": _TEXT,
    "ocr": ("matches",), "rating": _NUMBER, "fileSizeInBytes": _NUMBER,
    "checksum": _ENUM, "encodedVideoPath": _ENUM,
}  # fmt: skip
EVALUATED = frozenset(
    (
        "personIds", "albumIds", "takenAt", "createdAt", "updatedAt", "trashedAt", "type",
        "visibility", "isFavorite", "hasPeople", "hasAlbums", "id", "originalFileName",
    )
)  # fmt: skip
ORDER_FIELDS = ("fileCreatedAt", "localDateTime", "fileSizeInBytes", "rating")


def encode_cursor(offset: int) -> str:
    return base64.b64encode(json.dumps({"offset": offset}).encode()).decode()


def decode_cursor(cursor: object) -> int:
    """The offset in a cursor; 400 for anything the server did not hand out."""
    try:
        if not isinstance(cursor, str) or not cursor:
            raise ValueError
        offset = json.loads(base64.b64decode(cursor, validate=True))["offset"]
        if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
            raise ValueError
        return offset
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise ApiError(400, "Invalid cursor") from None


class _Compiler:
    """Validates a filter (strict, zod-like issues) and builds its predicate."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.c = Checker()
        self.locked_capable = False
        self.album_ids: set[str] = set()

    def branch(self, raw: object, path: list[str | int], top: bool) -> list[Predicate]:
        if not isinstance(raw, Mapping):
            self.c.type_error(path, "object", raw)
            return []
        tests: list[Predicate] = []
        if not raw:
            self.c._issue(path, "custom", "A filter branch needs at least one condition")
        for key, value in raw.items():
            if key == "or" and top:
                tests.append(self.or_branches(value, [*path, "or"]))
                continue
            ops = FILTER_KEYS.get(key)
            if ops is None:
                self.c._issue(path, "unrecognized_keys", f'Unrecognized key: "{key}"', keys=[key])
                continue
            test = self.condition(key, ops, value, [*path, key])
            if test is not None:
                tests.append(test)
        return tests

    def or_branches(self, value: object, path: list[str | int]) -> Predicate:
        if not isinstance(value, list) or not value:
            self.c._issue(path, "too_small", "Too small: expected array to have >=1 items")
            return lambda a: True
        branches = [self.branch(b, [*path, i], top=False) for i, b in enumerate(value)]
        return lambda a: any(all(t(a) for t in tests) for tests in branches)

    def condition(
        self, key: str, ops: tuple[str, ...], value: object, path: list[str | int]
    ) -> Predicate | None:
        if not isinstance(value, Mapping):
            self.c.type_error(path, "object", value)
            return None
        unknown = [k for k in value if k not in ops]
        if unknown:
            self.c._issue(path, "unrecognized_keys", f"Unrecognized keys: {unknown}", keys=unknown)
            return None
        if not value:
            self.c._issue(path, "custom", "At least one operator is required")
            return None
        if ops == ("eq",) and not isinstance(value.get("eq"), bool):
            self.c.type_error([*path, "eq"], "boolean", value.get("eq"))
            return None
        if key not in EVALUATED:
            raise ApiError(400, f"The demo server does not implement the search filter {key!r}")
        if ops is _IDS:
            return self.ids(key, value, path)
        if ops is _DATE:
            return self.dates(key, value, path)
        if key in ("type", "visibility"):
            return self.enum(key, value, path)
        if key == "originalFileName":
            return self.text(value, path)
        if key == "id":
            eq = self.c.uuid([*path, "eq"], value.get("eq"))
            ne = self.c.uuid([*path, "ne"], value.get("ne"))
            return lambda a: (eq is None or a.id == eq) and (ne is None or a.id != ne)
        want = value["eq"]
        attr: Callable[[DemoAsset], bool] = {
            "isFavorite": lambda a: a.is_favorite,
            "hasPeople": lambda a: bool(a.people),
            "hasAlbums": lambda a: any(a.id in al.asset_ids for al in self.lib.albums.values()),
        }[key]
        return lambda a: attr(a) == want

    def ids(self, key: str, value: Mapping[str, Any], path: list[str | int]) -> Predicate:
        lists: dict[str, frozenset[str]] = {}
        for op, raw in value.items():
            got = self.c.uuid_list([*path, op], raw)
            if got is not None and not got:
                self.c._issue([*path, op], "too_small", "Too small: expected array to have >=1")
            lists[op] = frozenset(got or ())
        albums = self.lib.albums
        if key == "albumIds":
            self.album_ids.update(*lists.values())

        def of(a: DemoAsset) -> set[str]:
            if key == "albumIds":
                return {i for i, al in albums.items() if a.id in al.asset_ids}
            return set(a.people)

        any_, all_, none = lists.get("any"), lists.get("all"), lists.get("none")
        return lambda a: (
            (any_ is None or not any_.isdisjoint(of(a)))
            and (all_ is None or all_ <= of(a))
            and (none is None or none.isdisjoint(of(a)))
        )

    def dates(self, key: str, value: Mapping[str, Any], path: list[str | int]) -> Predicate:
        get: Callable[[DemoAsset], datetime | None] = {
            "takenAt": lambda a: a.file_created_at,
            "createdAt": lambda a: a.created_at,
            "updatedAt": lambda a: a.updated_at,
            "trashedAt": lambda a: a.deleted_at,
        }[key]
        checks: list[tuple[str, datetime | None]] = []
        for op, raw in value.items():
            if raw is None and key == "trashedAt" and op in ("eq", "ne"):
                checks.append((op, None))
            else:
                checks.append((op, self.c.datetime([*path, op], raw)))

        def test(a: DemoAsset) -> bool:
            v = get(a)
            for op, bound in checks:
                if bound is None:  # trashedAt eq/ne null
                    if (v is None) != (op == "eq"):
                        return False
                    continue
                if v is None:
                    return False
                ok = {
                    "eq": v == bound, "ne": v != bound, "gt": v > bound, "gte": v >= bound,
                    "lt": v < bound, "lte": v <= bound,
                }[op]  # fmt: skip
                if not ok:
                    return False
            return True

        return test

    def enum(self, key: str, value: Mapping[str, Any], path: list[str | int]) -> Predicate:
        values = ASSET_TYPES if key == "type" else VISIBILITIES
        eq = self.c.choice([*path, "eq"], value.get("eq"), values)
        ne = self.c.choice([*path, "ne"], value.get("ne"), values)
        in_ = self._choices(value.get("in"), values, [*path, "in"])
        not_in = self._choices(value.get("notIn"), values, [*path, "notIn"])

        def allowed(v: str) -> bool:
            return (
                (eq is None or v == eq)
                and (ne is None or v != ne)
                and (in_ is None or v in in_)
                and (not_in is None or v not in not_in)
            )

        if key == "visibility":
            self.locked_capable = self.locked_capable or allowed("locked")
            return lambda a: allowed(a.visibility)
        return lambda a: allowed(a.type)

    def _choices(
        self, raw: object, values: tuple[str, ...], path: list[str | int]
    ) -> frozenset[str] | None:
        if raw is None:
            return None
        if not isinstance(raw, list) or not raw:
            self.c.type_error(path, "array", raw)
            return None
        got = [self.c.choice([*path, i], x, values) for i, x in enumerate(raw)]
        return frozenset(v for v in got if v is not None)

    def text(self, value: Mapping[str, Any], path: list[str | int]) -> Predicate:
        for op, v in value.items():
            if op in ("in", "notIn"):
                if not isinstance(v, list):
                    self.c.type_error([*path, op], "array", v)
            else:
                self.c.string([*path, op], v)
        ops = dict(value)

        def one(name: str, op: str, v: Any) -> bool:
            low, needle = name.lower(), str(v).lower().strip("%")
            if op in ("eq", "ne"):
                return bool(name == v) == (op == "eq")
            if op in ("in", "notIn"):
                return bool(name in v) == (op == "in")
            if op in ("like", "notLike"):
                return (needle in low) == (op == "like")
            return name.startswith(str(v)) if op == "startsWith" else name.endswith(str(v))

        return lambda a: all(one(a.original_file_name, op, v) for op, v in ops.items())


def compile_filter(lib: Library, raw: object) -> Predicate:
    """The predicate of a v2 `filter` (400 for a bad one, 401 when it could match locked)."""
    comp = _Compiler(lib)
    tests = [] if raw is None else comp.branch(raw, ["filter"], top=True)
    comp.c.done()
    if comp.locked_capable:
        raise ApiError(401, "Elevated permission is required")
    for album_id in comp.album_ids:
        if album_id not in lib.albums:
            raise ApiError(400, "Not found or no album.read access")
    return lambda a: a.visibility != "locked" and all(t(a) for t in tests)


def _order(body: Mapping[str, Any], c: Checker) -> tuple[str, bool]:
    raw = body.get("orderBy")
    if raw is None:
        return "fileCreatedAt", True
    if not isinstance(raw, Mapping):
        c.type_error(["orderBy"], "object", raw)
        return "fileCreatedAt", True
    field_ = c.choice(["orderBy", "field"], raw.get("field"), ORDER_FIELDS) or "fileCreatedAt"
    direction = c.choice(["orderBy", "direction"], raw.get("direction"), ("asc", "desc"))
    return field_, (direction or "desc") == "desc"


def _sort_key(field_: str) -> Callable[[DemoAsset], tuple[Any, str]]:
    if field_ == "fileSizeInBytes":
        return lambda a: (a.width * a.height // 4, a.id)
    if field_ == "rating":
        return lambda a: (0, a.id)  # the demo's photos are unrated (nulls, then id)
    return lambda a: (a.file_created_at, a.id)


class V2Search:
    """v2 searches over one library, recent results cached per library version."""

    def __init__(self, lib: Library, size: int = 16) -> None:
        self.lib = lib
        self.size = size
        self._hits: OrderedDict[tuple[Any, ...], list[DemoAsset]] = OrderedDict()

    def matches(
        self,
        body: Mapping[str, Any],
        c: Checker,
        owners: frozenset[str | None] | None = None,
    ) -> list[DemoAsset]:
        """Every match of the body's filter, in its order (`c` holds the caller's issues);
        `owners`: only photos of these owner ids (None = the library's user), None: anybody's."""
        field_, desc = _order(body, c)
        c.done()
        lib = self.lib
        with lib.lock:
            sizes = tuple(len(a.asset_ids) for a in lib.albums.values())
            raw = body.get("filter")
            key = (lib.version, sizes, json.dumps(raw, sort_keys=True), field_, desc, owners)
            hit = self._hits.get(key)
            if hit is None:
                test = compile_filter(lib, raw)
                pool: Iterable[DemoAsset] = lib.assets.values()
                if owners is not None:
                    pool = [a for a in pool if a.owner_id in owners]
                hit = sorted((a for a in pool if test(a)), key=_sort_key(field_), reverse=desc)
                self._hits[key] = hit
                while len(self._hits) > self.size:
                    self._hits.popitem(last=False)
            else:
                self._hits.move_to_end(key)
            return hit

    def page(
        self, body: Mapping[str, Any], owners: frozenset[str | None] | None = None
    ) -> tuple[list[DemoAsset], str | None]:
        """One page of a v2 ``POST /search/metadata``: (assets, next cursor or None)."""
        c = Checker()
        size = c.integer(["size"], body.get("size"), 1, 1000) or 250
        for key in ("withExif", "withPeople", "withStacked"):
            c.boolean([key], body.get(key))
        offset = decode_cursor(body["cursor"]) if "cursor" in body else 0
        found = self.matches(body, c, owners)
        chunk = found[offset : offset + size]
        more = offset + size < len(found)
        return chunk, encode_cursor(offset + size) if more else None
