"""The demo's photos: a generated scene holding the faces of the people in it, and its date.

A scene is a setting (beach, park, mountains, city, snow, party) chosen from the photo's look and
month, the faces of its people (the same drawings as the People tab, `faces.person_image`) side by
side in front, and the date stamped in a corner as an old camera would. Drawing is deterministic
(a function of look, faces, type and date) and happens only when a thumbnail is asked for; the
encoded bytes are cached, so a 100k-asset library costs nothing until it is looked at.
"""

from __future__ import annotations

import io
import random
from datetime import date
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from ppl2album_tui.demo.faces import person_image, rgb

THUMB_LONG = 250
PREVIEW_LONG = 1440
SETTINGS = ("beach", "park", "mountains", "city", "snow", "party")
_WINTER = (12, 1, 2)


def setting_for(look: int, taken: date | None) -> str:
    """The scene's setting: snow or a party in winter, anything but snow otherwise."""
    rng = random.Random(look ^ 0x5CE7E)
    if taken is not None and taken.month in _WINTER:
        return rng.choice(("snow", "snow", "party", "city"))
    return rng.choice((*SETTINGS[:4], "party"))


def face_boxes(count: int, width: int, height: int) -> list[tuple[int, int, int]]:
    """(left, top, size) of each face, left to right, in a `width` x `height` scene."""
    if count == 0:
        return []
    size = int(min(height * 0.55, width / (count + 0.5)))
    gap = (width - size * count) / (count + 1)
    top = height - size - int(height * 0.1)
    return [(int(gap + i * (size + gap)), top, size) for i in range(count)]


@lru_cache(maxsize=64)
def _round_mask(size: int) -> Image.Image:
    mask = Image.new("L", (size, size), 0)
    ImageDraw.Draw(mask).ellipse((0, 0, size - 1, size - 1), fill=255)
    return mask


@lru_cache(maxsize=1024)
def face_at(look: int, size: int) -> Image.Image:
    """Person `look`'s face scaled to `size` pixels (what a scene pastes)."""
    return person_image(look).resize((size, size), Image.Resampling.BILINEAR)


def _backdrop(d: ImageDraw.ImageDraw, setting: str, rng: random.Random, w: int, h: int) -> None:
    horizon = int(h * rng.uniform(0.5, 0.62))
    if setting == "beach":
        d.rectangle((0, 0, w, horizon), fill=rgb(rng.uniform(195, 210), 0.72, 0.7))
        d.rectangle((0, horizon, w, h * 0.72), fill=rgb(rng.uniform(190, 205), 0.42, 0.7))
        d.rectangle((0, h * 0.72, w, h), fill=(236, 214, 160))
        _sun(d, rng, w, h)
    elif setting == "park":
        d.rectangle((0, 0, w, horizon), fill=rgb(rng.uniform(195, 215), 0.75, 0.6))
        d.rectangle((0, horizon, w, h), fill=rgb(rng.uniform(95, 125), 0.38, 0.5))
        for _ in range(rng.randint(2, 4)):
            x, r = rng.uniform(0, w), rng.uniform(0.08, 0.14) * h
            d.rectangle(
                (x - r * 0.15, horizon - r, x + r * 0.15, horizon + r * 0.2), fill=(96, 62, 36)
            )
            d.ellipse((x - r, horizon - 2.6 * r, x + r, horizon - 0.6 * r), fill=rgb(110, 0.3, 0.5))
    elif setting == "mountains":
        d.rectangle((0, 0, w, h), fill=rgb(rng.uniform(200, 225), 0.7, 0.5))
        for _ in range(3):
            peak = rng.uniform(0, w)
            top = h * rng.uniform(0.12, 0.35)
            d.polygon(
                [(peak - w * 0.45, horizon), (peak, top), (peak + w * 0.45, horizon)],
                fill=rgb(rng.uniform(200, 260), rng.uniform(0.3, 0.45), 0.2),
            )
            d.polygon(
                [(peak - w * 0.06, top + h * 0.07), (peak, top), (peak + w * 0.06, top + h * 0.07)],
                fill=(245, 245, 250),
            )
        d.rectangle((0, horizon, w, h), fill=rgb(rng.uniform(80, 110), 0.35, 0.4))
    elif setting == "city":
        d.rectangle((0, 0, w, h), fill=rgb(rng.uniform(20, 40), 0.7, 0.5))
        x = 0.0
        while x < w:
            bw, bh = rng.uniform(0.08, 0.16) * w, rng.uniform(0.25, 0.6) * h
            d.rectangle(
                (x, horizon - bh, x + bw, horizon), fill=rgb(rng.uniform(200, 240), 0.3, 0.15)
            )
            for wy in range(int(horizon - bh + 4), horizon - 4, max(4, h // 25)):
                d.line((x + 3, wy, x + bw - 3, wy), fill=(250, 220, 120), width=1)
            x += bw + 2
        d.rectangle((0, horizon, w, h), fill=(90, 90, 96))
    elif setting == "snow":
        d.rectangle((0, 0, w, horizon), fill=rgb(210, 0.8, 0.25))
        d.rectangle((0, horizon, w, h), fill=(248, 250, 255))
        for _ in range(40):
            x, y, r = rng.uniform(0, w), rng.uniform(0, h), max(1.0, h * 0.008)
            d.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 255))
    else:  # party: a room with a garland and balloons
        d.rectangle((0, 0, w, h), fill=rgb(rng.uniform(0, 360), 0.78, 0.45))
        d.rectangle((0, horizon, w, h), fill=rgb(30, 0.35, 0.45))
        for i in range(8):
            x = w * (i + 0.5) / 8
            d.polygon([(x - w / 20, 0), (x + w / 20, 0), (x, h * 0.08)], fill=rgb(i * 45, 0.5, 0.8))
        for _ in range(3):
            x, y, r = rng.uniform(0.05, 0.95) * w, rng.uniform(0.15, 0.35) * h, h * 0.06
            d.ellipse(
                (x - r, y - r * 1.2, x + r, y + r * 1.2), fill=rgb(rng.uniform(0, 360), 0.55, 0.85)
            )


def _sun(d: ImageDraw.ImageDraw, rng: random.Random, w: int, h: int) -> None:
    r = h * 0.08
    x, y = rng.uniform(0.1, 0.9) * w, h * 0.17
    d.ellipse((x - r, y - r, x + r, y + r), fill=(255, 222, 92))


@lru_cache(maxsize=8)
def _font(px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=px)


def _stamp(img: Image.Image, taken: date) -> None:
    """The date in orange in the top-right corner, as cameras once printed it."""
    w, h = img.size
    font = _font(max(10, h // 13))
    text = f"{taken:%Y-%m-%d}"
    d = ImageDraw.Draw(img)
    left, _, right, bottom = d.textbbox((0, 0), text, font=font)
    x, y = w - (right - left) - w // 40, h // 40
    d.rectangle((x - 3, y - 2, x + right - left + 3, y + bottom + 2), fill=(20, 20, 20))
    d.text((x - left, y), text, font=font, fill=(255, 150, 30))


def _play(d: ImageDraw.ImageDraw, w: int, h: int) -> None:
    cx, cy, r = w / 2, h * 0.3, h * 0.14
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(0, 0, 0))
    d.polygon(
        [(cx - r * 0.4, cy - r * 0.55), (cx - r * 0.4, cy + r * 0.55), (cx + r * 0.6, cy)],
        fill=(255, 255, 255),
    )


def scene(
    look: int, people: tuple[int, ...], is_video: bool, taken: date | None, width: int, height: int
) -> Image.Image:
    """The scene of a photo: its setting, its people's faces (looks, left to right), its date."""
    rng = random.Random(look)
    img = Image.new("RGB", (width, height))
    d = ImageDraw.Draw(img)
    _backdrop(d, setting_for(look, taken), rng, width, height)
    for person_look, (x, y, size) in zip(
        people, face_boxes(len(people), width, height), strict=True
    ):
        img.paste(face_at(person_look, size), (x, y), _round_mask(size))
    if is_video:
        _play(d, width, height)
    if taken is not None:
        _stamp(img, taken)
    return img


def scene_size(size: str) -> tuple[int, int]:
    """Pixel size of a "thumbnail" or "preview" (4:3, long side as Immich's defaults)."""
    long_side = THUMB_LONG if size == "thumbnail" else PREVIEW_LONG
    return long_side, long_side * 3 // 4


@lru_cache(maxsize=512)
def asset_image(
    look: int,
    people: tuple[int, ...],
    is_video: bool,
    taken: date | None,
    size: str = "thumbnail",
) -> tuple[bytes, str]:
    """(bytes, content type): WebP ~250 px for "thumbnail", JPEG 1440 px for "preview"."""
    img = scene(look, people, is_video, taken, *scene_size(size))
    buf = io.BytesIO()
    if size == "thumbnail":
        img.save(buf, "WEBP", quality=75)
        return buf.getvalue(), "image/webp"
    img.save(buf, "JPEG", quality=82)
    return buf.getvalue(), "image/jpeg"
