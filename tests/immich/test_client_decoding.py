"""Typed decoding of answers (msgspec): what is kept, what is skipped, one sentence when wrong."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest

from ppl2album_tui.immich.errors import InvalidResponse, NotImmich
from ppl2album_tui.immich.http import decode_with
from ppl2album_tui.immich.search import (
    NOT_TIMELINE_OR_ARCHIVE,
    ONLY_LOCKED,
    read_asset_ids,
    read_assets,
)

A = "00000000-0000-4000-8000-000000000001"
B = "00000000-0000-4000-8000-000000000002"
P = "00000000-0000-4000-8000-0000000000aa"


def _page(*items: dict[str, object], next_page: object = None) -> bytes:
    answer = {"albums": {"items": []}, "assets": {"items": list(items), "nextPage": next_page}}
    return json.dumps(answer).encode()


def test_assets_keep_the_plan_fields_and_skip_the_rest() -> None:
    full = {
        "id": A,
        "originalFileName": "IMG_1.JPG",
        "type": "VIDEO",
        "fileCreatedAt": "2024-05-01T10:00:00.000Z",
        "isFavorite": True,
        "visibility": "archive",
        "people": [{"id": P, "name": "Anna", "faces": [{"id": "f"}]}],
        "exifInfo": {"make": "x"},
        "checksum": "abc",
    }
    items, following = read_assets(_page(full, {"id": B}, next_page="2"), ONLY_LOCKED)
    assert following == 2
    first, bare = items
    assert (first.id, first.original_file_name, first.type) == (A, "IMG_1.JPG", "VIDEO")
    assert first.taken_at == datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert first.is_favorite and first.visibility == "archive" and first.people == (P,)
    assert (bare.original_file_name, bare.type, bare.taken_at, bare.people) == (
        "",
        "IMAGE",
        None,
        (),
    )


def test_hidden_and_locked_items_are_dropped_as_asked() -> None:
    page = _page({"id": A, "visibility": "hidden"}, {"id": B, "visibility": "locked"})
    assert [a.id for a in read_assets(page, ONLY_LOCKED)[0]] == [A]
    assert read_assets(page, NOT_TIMELINE_OR_ARCHIVE)[0] == []
    assert read_asset_ids(page) == ([A], None)


def _answer(content: bytes, ctype: str = "application/json") -> httpx.Response:
    return httpx.Response(200, content=content, headers={"content-type": ctype})


def test_a_wrong_shape_is_one_sentence_naming_the_field() -> None:
    bad = _page({"id": A}, {"id": 7})
    with pytest.raises(InvalidResponse) as err:
        decode_with(_answer(bad), "http://x", "search assets", read_asset_ids)
    assert str(err.value) == (
        "The server sent an unexpected answer when asked to search assets: a field is missing "
        "or of the wrong type (assets.items[1].id)."
    )
    with pytest.raises(InvalidResponse, match="not valid JSON"):
        decode_with(_answer(b'{"assets": {"items": ['), "http://x", "search", read_asset_ids)
    with pytest.raises(NotImmich, match="web page"):
        page = _answer(b"<html>login</html>", "text/html")
        decode_with(page, "http://x", "search", read_asset_ids)
