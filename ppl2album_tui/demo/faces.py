"""Face thumbnails (people) and scene thumbnails (assets) drawn with Pillow.

Faces use big, simple shapes in strong colours (background, skin, hair style and colour, eyes,
glasses, mouth) so that two people still look different at 10x10 terminal cells. Everything is
generated lazily from a small integer "look" and cached.
"""

from __future__ import annotations

import colorsys
import io
import random
from functools import lru_cache

from PIL import Image, ImageDraw

FACE_SIZE = 256
_SKIN = [
    (255, 224, 189),
    (241, 194, 125),
    (224, 172, 105),
    (198, 134, 66),
    (141, 85, 36),
    (92, 56, 28),
]
_HAIR = [(20, 20, 20), (92, 52, 22), (165, 103, 42), (240, 208, 90), (190, 60, 30),
         (170, 170, 170), (60, 90, 200)]  # fmt: skip
_HAIR_STYLES = ("short", "long", "bun", "bald", "curly", "spiky")
_THUMB_LONG = 250
_PREVIEW_LONG = 1440


def _rgb(hue: float, light: float, sat: float) -> tuple[int, int, int]:
    r, g, b = colorsys.hls_to_rgb((hue % 360) / 360, light, sat)
    return int(r * 255), int(g * 255), int(b * 255)


def _features(look: int) -> dict[str, object]:
    """Feature choices for a look; neighbouring looks differ in most features."""
    return {
        "bg": _rgb(look * 137.5, 0.62, 0.65),
        "skin": _SKIN[(look * 5 + 1) % len(_SKIN)],
        "hair": _HAIR[(look * 3) % len(_HAIR)],
        "style": _HAIR_STYLES[(look * 7 + look // 6) % len(_HAIR_STYLES)],
        "glasses": look % 3 == 1,
        "mouth": ("smile", "flat", "open")[(look // 2) % 3],
        "big_eyes": (look // 3) % 2 == 0,
        "beard": look % 5 == 3,
    }


@lru_cache(maxsize=512)
def person_image(look: int) -> Image.Image:
    """The face for `look` as a FACE_SIZE x FACE_SIZE RGB image (drawn at 2x, downsampled)."""
    f = _features(look)
    s = FACE_SIZE * 2
    img = Image.new("RGB", (s, s), f["bg"])  # type: ignore[arg-type]
    d = ImageDraw.Draw(img)
    skin, hair = f["skin"], f["hair"]
    style = f["style"]
    u = s / 16  # grid unit

    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        return (x0 * u, y0 * u, x1 * u, y1 * u)

    if style == "long":
        d.rounded_rectangle(box(2.5, 3, 13.5, 15), radius=3 * u, fill=hair)  # type: ignore[arg-type]
    d.rectangle(box(6.5, 12, 9.5, 16), fill=skin)  # type: ignore[arg-type]  # neck
    d.ellipse(box(1.5, 15, 14.5, 22), fill=_rgb(look * 71, 0.35, 0.5))  # shoulders
    d.ellipse(box(3.5, 3, 12.5, 14), fill=skin)  # type: ignore[arg-type]  # head
    if style in ("short", "long"):
        d.chord(box(3.2, 1.8, 12.8, 9.5), 180, 360, fill=hair)  # type: ignore[arg-type]
    elif style == "bun":
        d.ellipse(box(6, 0.3, 10, 4), fill=hair)  # type: ignore[arg-type]
        d.chord(box(3.2, 2.2, 12.8, 9), 180, 360, fill=hair)  # type: ignore[arg-type]
    elif style == "curly":
        for i in range(6):
            cx = 4 + i * 1.6
            d.ellipse(box(cx - 1.3, 1.6, cx + 1.3, 4.6), fill=hair)  # type: ignore[arg-type]
    elif style == "spiky":
        for i in range(5):
            cx = 4.5 + i * 1.75
            d.polygon([(cx * u - u, 4.5 * u), (cx * u, 0.8 * u), (cx * u + u, 4.5 * u)], fill=hair)  # type: ignore[arg-type]
    # eyes
    for ex in (6.2, 9.8):
        if f["big_eyes"]:
            d.ellipse(box(ex - 1.1, 6.9, ex + 1.1, 9.1), fill=(255, 255, 255))
            d.ellipse(box(ex - 0.55, 7.45, ex + 0.55, 8.55), fill=(20, 20, 40))
        else:
            d.ellipse(box(ex - 0.6, 7.4, ex + 0.6, 8.6), fill=(20, 20, 40))
    if f["glasses"]:
        for ex in (6.2, 9.8):
            d.ellipse(box(ex - 1.6, 6.4, ex + 1.6, 9.6), outline=(10, 10, 10), width=int(u * 0.45))
        d.line([(7.8 * u, 8 * u), (8.2 * u, 8 * u)], fill=(10, 10, 10), width=int(u * 0.45))
    if f["beard"]:
        d.chord(box(4.2, 7.5, 11.8, 14), 0, 180, fill=hair)  # type: ignore[arg-type]
    mouth = f["mouth"]
    mouth_colour = (150, 30, 40)
    if mouth == "smile":
        d.arc(box(6, 9.2, 10, 12), 20, 160, fill=mouth_colour, width=int(u * 0.6))
    elif mouth == "flat":
        d.line([(6.5 * u, 11.3 * u), (9.5 * u, 11.3 * u)], fill=mouth_colour, width=int(u * 0.6))
    else:
        d.ellipse(box(7, 10.4, 9, 12.4), fill=mouth_colour)
    return img.resize((FACE_SIZE, FACE_SIZE), Image.Resampling.LANCZOS)


@lru_cache(maxsize=512)
def person_jpeg(look: int) -> bytes:
    """JPEG bytes of the face for `look`."""
    buf = io.BytesIO()
    person_image(look).save(buf, "JPEG", quality=88)
    return buf.getvalue()


def _scene(
    look: int, people: tuple[int, ...], is_video: bool, width: int, height: int
) -> Image.Image:
    rng = random.Random(look)
    sky = _rgb(rng.randrange(180, 260), rng.uniform(0.55, 0.8), 0.6)
    ground = _rgb(rng.choice((40, 90, 120, 30)), rng.uniform(0.3, 0.5), 0.5)
    img = Image.new("RGB", (width, height), sky)
    d = ImageDraw.Draw(img)
    horizon = int(height * rng.uniform(0.55, 0.7))
    if rng.random() < 0.5:  # a mountain
        peak = rng.uniform(0.2, 0.8) * width
        d.polygon(
            [(peak - width * 0.5, horizon), (peak, height * 0.2), (peak + width * 0.5, horizon)],
            fill=_rgb(rng.randrange(360), 0.4, 0.2),
        )
    sun_r = height * 0.09
    sx, sy = rng.uniform(0.1, 0.9) * width, height * 0.18
    d.ellipse((sx - sun_r, sy - sun_r, sx + sun_r, sy + sun_r), fill=(255, 220, 90))
    d.rectangle((0, horizon, width, height), fill=ground)
    if people:
        head = int(min(height * 0.55, width / (len(people) + 0.5)))
        gap = (width - head * len(people)) / (len(people) + 1)
        mask = Image.new("L", (head, head), 0)
        ImageDraw.Draw(mask).ellipse((0, 0, head - 1, head - 1), fill=255)
        for i, person_look in enumerate(people):
            face = person_image(person_look).resize((head, head), Image.Resampling.BILINEAR)
            x = int(gap + i * (head + gap))
            img.paste(face, (x, height - head - int(height * 0.08)), mask)
    if is_video:
        c = (width / 2, height / 2)
        r = height * 0.16
        d.ellipse((c[0] - r, c[1] - r, c[0] + r, c[1] + r), fill=(0, 0, 0))
        d.polygon(
            [
                (c[0] - r * 0.4, c[1] - r * 0.55),
                (c[0] - r * 0.4, c[1] + r * 0.55),
                (c[0] + r * 0.6, c[1]),
            ],
            fill=(255, 255, 255),
        )
    return img


@lru_cache(maxsize=256)
def asset_image(
    look: int, people: tuple[int, ...], is_video: bool, size: str = "thumbnail"
) -> tuple[bytes, str]:
    """(bytes, content type): WebP ~250 px for "thumbnail", JPEG 1440 px for "preview"."""
    long_side = _THUMB_LONG if size == "thumbnail" else _PREVIEW_LONG
    w, h = long_side, long_side * 3 // 4
    img = _scene(look, people, is_video, w, h)
    buf = io.BytesIO()
    if size == "thumbnail":
        img.save(buf, "WEBP", quality=70)
        return buf.getvalue(), "image/webp"
    img.save(buf, "JPEG", quality=80)
    return buf.getvalue(), "image/jpeg"
