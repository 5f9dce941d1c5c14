"""Synthetic patient photos for the demo portal (Pillow only, no Qt).

Rendering a full-size JPEG takes a few tenths of a second, so at most ``VARIANTS`` base images
are rendered per size (lazily, cached). Each attachment gets unique bytes cheaply: its own EXIF
block (orientation, capture time, camera, optional GPS) and a JPEG COM segment with its binary id
are spliced in right after the SOI marker of a shared base image, without re-encoding.
"""

from __future__ import annotations

import io
import random
import struct
import threading
from dataclasses import dataclass

from PIL import Image, ImageDraw

VARIANTS = 8
SOI = b"\xff\xd8"

_cache: dict[tuple[int, int, int], bytes] = {}
_cache_lock = threading.Lock()
_render_locks: dict[tuple[int, int, int], threading.Lock] = {}


@dataclass(frozen=True)
class PhotoSpec:
    """What makes one attachment's photo unique (everything except the pixels)."""

    binary_id: str
    size: tuple[int, int]
    variant: int
    orientation: int = 1
    taken: str = "2026:01:01 12:00:00"  # EXIF format YYYY:MM:DD HH:MM:SS
    make: str = "Apple"
    model: str = "iPhone 13"
    gps: tuple[float, float] | None = None  # (lat, lon) in decimal degrees


def render_base(size: tuple[int, int], variant: int) -> bytes:
    """Render one base JPEG (no EXIF): skin tone, reddish blotches, photo-like noise."""
    w, h = size
    rng = random.Random(variant * 7919 + w * 31 + h)
    skin = (rng.randint(200, 236), rng.randint(158, 196), rng.randint(128, 166))
    img = Image.new("RGB", (w, h), skin)
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(5, 16)):
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        rx = rng.uniform(0.02, 0.10) * w
        ry = rx * rng.uniform(0.5, 1.3)
        red = (rng.randint(175, 215), rng.randint(70, 115), rng.randint(65, 105))
        # concentric ellipses fading into the skin tone: a soft-edged blotch
        steps = 4
        for i in range(steps):
            f = (steps - i) / steps
            col = tuple(int(s + (r - s) * (i + 1) / steps) for s, r in zip(skin, red))
            draw.ellipse([cx - rx * f, cy - ry * f, cx + rx * f, cy + ry * f], fill=col)
    if variant % 3 == 1:  # a wound-like dark line
        x0, y0 = rng.uniform(0.2, 0.5) * w, rng.uniform(0.3, 0.7) * h
        draw.line([x0, y0, x0 + 0.3 * w, y0 + rng.uniform(-0.1, 0.1) * h],
                  fill=(120, 30, 35), width=max(2, w // 120))
    tile = 509 if min(w, h) >= 509 else max(8, min(w, h))
    noise = Image.effect_noise((tile, tile), 24).convert("RGB")
    layer = Image.new("RGB", (w, h))
    for x in range(0, w, tile):
        for y in range(0, h, tile):
            layer.paste(noise, (x, y))
    img = Image.blend(img, layer, 0.09)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=84)
    return out.getvalue()


def base_variant(size: tuple[int, int], variant: int) -> bytes:
    """The cached base JPEG for (size, variant); rendered once, thread-safe."""
    key = (size[0], size[1], variant % VARIANTS)
    data = _cache.get(key)
    if data is not None:
        return data
    with _cache_lock:
        lock = _render_locks.setdefault(key, threading.Lock())
    with lock:
        data = _cache.get(key)
        if data is None:
            data = render_base(size, key[2])
            _cache[key] = data
    return data


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    d = int(value)
    m = int((value - d) * 60)
    s = round(((value - d) * 60 - m) * 60, 2)
    return (float(d), float(m), s)


def exif_bytes(spec: PhotoSpec) -> bytes:
    """The EXIF payload ("Exif\\0\\0" + TIFF) for one photo."""
    exif = Image.Exif()
    exif[0x0112] = spec.orientation  # Orientation
    exif[0x010F] = spec.make
    exif[0x0110] = spec.model
    exif[0x0132] = spec.taken  # DateTime
    ifd = exif.get_ifd(0x8769)
    ifd[0x9003] = spec.taken  # DateTimeOriginal
    ifd[0x9004] = spec.taken  # DateTimeDigitized
    if spec.gps is not None:
        lat, lon = spec.gps
        gps = exif.get_ifd(0x8825)
        gps[0] = b"\x02\x02\x00\x00"  # GPSVersionID
        gps[1] = "N" if lat >= 0 else "S"
        gps[2] = _dms(lat)
        gps[3] = "E" if lon >= 0 else "W"
        gps[4] = _dms(lon)
    data = exif.tobytes()
    if not data.startswith(b"Exif\x00\x00"):
        data = b"Exif\x00\x00" + data
    return data


def _segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload


def photo_bytes(spec: PhotoSpec) -> bytes:
    """The full JPEG for one attachment: SOI, COM (binary id), APP1 EXIF, then the base image."""
    base = base_variant(spec.size, spec.variant)
    assert base[:2] == SOI
    comment = _segment(0xFE, f"workbench-demo {spec.binary_id}".encode("ascii"))
    app1 = _segment(0xE1, exif_bytes(spec))
    return b"".join((SOI, comment, app1, base[2:]))
