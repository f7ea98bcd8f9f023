"""Face thumbnails of the demo's people, drawn with Pillow (their photos: `scenes.py`).

Faces use big, simple shapes in strong colours (background, skin, hair style and colour, eyes,
glasses, mouth) so that two people still look different at 10x10 terminal cells. Everything is
generated lazily from a small integer "look" and cached.
"""

from __future__ import annotations

import colorsys
import io
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


def rgb(hue: float, light: float, sat: float) -> tuple[int, int, int]:
    """An RGB colour from a hue in degrees, lightness and saturation (0-1)."""
    r, g, b = colorsys.hls_to_rgb((hue % 360) / 360, light, sat)
    return int(r * 255), int(g * 255), int(b * 255)


def _features(look: int) -> dict[str, object]:
    """Feature choices for a look; neighbouring looks differ in most features."""
    return {
        "bg": rgb(look * 137.5, 0.62, 0.65),
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
    d.ellipse(box(1.5, 15, 14.5, 22), fill=rgb(look * 71, 0.35, 0.5))  # shoulders
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
