"""The demo's photos over HTTP: scenes holding their people's faces and date, drawn on request."""

from __future__ import annotations

import io
from datetime import date

import httpx
from PIL import Image, ImageChops, ImageStat

from ppl2album_tui.demo import scenes
from ppl2album_tui.demo.library import Library, generate_library
from tests.conftest import running_server


def _thumb(http: httpx.Client, asset_id: str, size: str = "thumbnail") -> Image.Image:
    resp = http.get(f"/assets/{asset_id}/thumbnail", params={"size": size})
    assert resp.status_code == 200, resp.text
    return Image.open(io.BytesIO(resp.content)).convert("RGB")


def _face_distance(photo: Image.Image, box: tuple[int, int, int], look: int) -> float:
    """Mean difference inside the face's circle between the photo and person `look`'s drawing."""
    x, y, size = box
    crop = photo.crop((x, y, x + size, y + size))
    diff = ImageChops.difference(crop, scenes.face_at(look, size))
    inner = Image.new("L", (size, size), 0)
    pad = size // 6  # away from the circle's edge, where the scene shows through
    inner.paste(255, (pad, pad, size - pad, size - pad))
    return sum(ImageStat.Stat(diff, mask=inner).mean) / 3


def test_photo_of_anna_shows_annas_face(demo_library: Library, demo_http: httpx.Client) -> None:
    anna, ben = demo_library.named_people()[:2]
    both = next(
        a
        for a in demo_library.assets.values()
        if a.people[:2] == [anna.id, ben.id] and a.visibility == "timeline"
    )
    photo = _thumb(demo_http, both.id)
    assert photo.size == scenes.scene_size("thumbnail")
    anna_box, ben_box = scenes.face_boxes(len(both.people), *photo.size)[:2]
    assert _face_distance(photo, anna_box, anna.look) < 12
    assert _face_distance(photo, ben_box, ben.look) < 12
    # a different face in Anna's place would not pass
    assert _face_distance(photo, anna_box, ben.look) > 3 * _face_distance(
        photo, anna_box, anna.look
    )
    # the large preview shows the same people in the same places
    preview = _thumb(demo_http, both.id, "preview")
    big_anna = scenes.face_boxes(len(both.people), *preview.size)[0]
    assert _face_distance(preview, big_anna, anna.look) < 12


def test_scenes_are_deterministic_per_seed_and_dated() -> None:
    first, second = (generate_library(people=6, assets=80, seed=3) for _ in range(2))
    ids = [a.id for a in first.assets.values() if a.visibility == "timeline"][:5]
    bodies = []
    for lib in (first, second):
        scenes.asset_image.cache_clear()
        with (
            running_server(lib) as server,
            httpx.Client(
                base_url=f"{server.url}/api", headers={"x-api-key": server.api_key}
            ) as http,
        ):
            bodies.append([http.get(f"/assets/{i}/thumbnail").content for i in ids])
    assert bodies[0] == bodies[1]
    assert len(set(bodies[0])) == len(ids)  # every photo its own scene
    # the date is stamped: the same scene on another day differs only in the top-right corner
    w, h = scenes.scene_size("thumbnail")
    june, july = (scenes.scene(5, (1, 2), False, date(2024, m, 1), w, h) for m in (6, 7))
    bbox = ImageChops.difference(june, july).getbbox()
    assert bbox is not None and bbox[0] > w // 2 and bbox[3] < h // 4


def test_scenes_are_drawn_only_when_asked_for() -> None:
    scenes.asset_image.cache_clear()
    lib = generate_library(people=12, assets=20_000, seed=7)
    with (
        running_server(lib) as server,
        httpx.Client(base_url=f"{server.url}/api", headers={"x-api-key": server.api_key}) as http,
    ):
        assert http.post("/search/metadata", json={"size": 1000}).status_code == 200
        assert scenes.asset_image.cache_info().misses == 0
        asset = next(a for a in lib.assets.values() if a.visibility == "timeline")
        for _ in range(3):
            http.get(f"/assets/{asset.id}/thumbnail")
    info = scenes.asset_image.cache_info()
    assert (info.misses, info.hits) == (1, 2)
