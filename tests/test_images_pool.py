"""Previews made after a pull by a small pool: the same cache as one at a time, the limit
kept, thumbnails made from the preview the right way up. Real photos made with Pillow, a real
BlobStore and real cache files."""

from __future__ import annotations

import io

from PIL import Image

from workbench.services.images import PhotoPipeline
from workbench.store.blobs import BlobStore

RED, BLUE = (220, 20, 20), (20, 20, 220)


def photo(number: int, *, size=(400, 300), orientation: int = 1) -> bytes:
    """Shown as `size`: blue with a red block top-left and a mark of its own (its own sha256);
    stored turned, as a phone stores it, for `orientation` 6."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 4, size[1] // 3))
    image.paste((0, 40 + number * 12 % 200, 40), (size[0] // 2, 0, size[0] // 2 + 16, 16))
    if orientation == 6:
        image = image.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95, exif=exif.tobytes())
    return buffer.getvalue()


def cached_files(pipeline: PhotoPipeline, shas: list[str]) -> dict[str, tuple]:
    made = {}
    for sha in shas:
        with Image.open(pipeline.preview_path(sha)) as preview, \
                Image.open(pipeline.thumb_path(sha)) as thumb:
            made[sha] = (preview.size, thumb.size)
    return made


def test_two_workers_make_what_one_makes(tmp_path):
    blobs = BlobStore(tmp_path / "blobs")
    shas = [blobs.put(photo(n, orientation=6 if n % 3 == 0 else 1)) for n in range(12)]
    assert len(set(shas)) == 12
    shas.append(shas[0])  # asked twice: made once
    shas.append(blobs.put(b"%PDF-1.4\n%%EOF\n"))  # a document: a marker, no preview
    one = PhotoPipeline(blobs, tmp_path / "one", preview_size=(200, 200), thumb_size=(60, 60))
    two = PhotoPipeline(blobs, tmp_path / "two", preview_size=(200, 200), thumb_size=(60, 60))
    assert one.prepare_many(shas, workers=1) == 12
    assert two.prepare_many(shas, workers=2) == 12
    assert cached_files(one, shas[:12]) == cached_files(two, shas[:12])
    assert two.preview(shas[-1]) is None and not two.preview_path(shas[-1]).exists()
    assert two.prepare_many(shas, workers=2) == 0  # all made already


def test_the_limit_is_kept_and_the_rest_made_later(tmp_path):
    blobs = BlobStore(tmp_path / "blobs")
    shas = [blobs.put(photo(n)) for n in range(7)]
    pipeline = PhotoPipeline(blobs, tmp_path / "cache", preview_size=(100, 100))
    assert pipeline.prepare_many(shas, limit=3, workers=2) == 3
    assert sum(pipeline.preview_path(sha).is_file() for sha in shas) == 3
    assert pipeline.prepare_many(shas, workers=2) == 4


def test_unknown_bytes_are_skipped(tmp_path):
    blobs = BlobStore(tmp_path / "blobs")
    pipeline = PhotoPipeline(blobs, tmp_path / "cache")
    assert pipeline.prepare_many(["a" * 64], workers=2) == 0


def test_the_thumbnail_comes_from_the_preview_the_right_way_up(tmp_path):
    blobs = BlobStore(tmp_path / "blobs")
    sha = blobs.put(photo(1, size=(1200, 1600), orientation=6))  # stored 1600x1200
    pipeline = PhotoPipeline(blobs, tmp_path / "cache", preview_size=(400, 400),
                             thumb_size=(60, 60))
    pipeline.prepare(sha)
    preview, thumb = pipeline.preview(sha), pipeline.thumbnail(sha)
    assert (preview.width, preview.height) == (300, 400)
    assert (thumb.width, thumb.height) == (45, 60)
    top_left = tuple(thumb.data[0:3])
    bottom_right = tuple(thumb.data[-3:])
    assert all(abs(a - b) < 60 for a, b in zip(top_left, RED))
    assert all(abs(a - b) < 60 for a, b in zip(bottom_right, BLUE))
