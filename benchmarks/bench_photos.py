"""Photo opening speed against a full decode, in one run.

For a generated 4032x3024 noisy JPEG (like a phone photo, quality 90):
1. baseline: a full Pillow decode of the original (median of N);
2. for comparison: a reduced decode (Image.draft to the screen size);
3. the time `prepare` takes (paid once, by a worker, when the attachment is stored);
4. the time from asking for a synced photo to its first screen-size image:
   `PhotoPipeline.preview(sha)` after `prepare` ran at sync time, with a fresh pipeline object
   each time so nothing is held in memory.
Prints each and the speed-up of (4) against (1) (goal: at least 4x).

    python benchmarks/bench_photos.py [--repeat 5] [--size 4032x3024]
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from PIL import Image

from workbench.services.images import PhotoPipeline
from workbench.store.blobs import BlobStore

GOAL = 4.0


def phone_jpeg(width: int, height: int) -> bytes:
    """Noise over a smooth gradient, so it compresses like a photo rather than a flat fill."""
    gradient = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    noise = Image.merge("RGB", [Image.effect_noise((width, height), 25) for _ in range(3)])
    photo = Image.blend(gradient, noise, 0.5)
    exif = Image.Exif()
    exif[0x0112] = 1
    exif.get_ifd(0x8769)[0x9003] = "2026:11:24 09:15:00"
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=90, exif=exif.tobytes())
    return buffer.getvalue()


def median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--size", default="4032x3024")
    args = parser.parse_args()
    width, height = (int(part) for part in args.size.split("x"))

    workdir = Path(tempfile.mkdtemp(prefix="bench-photos-"))
    try:
        blobs = BlobStore(workdir / "blobs")
        data = phone_jpeg(width, height)
        sha = blobs.put(data)
        original = blobs.path(sha)
        screen = (1920, 1080)
        print(f"photo: {width}x{height} JPEG, {len(data) / 1e6:.1f} MB, "
              f"median of {args.repeat}")

        def full_decode() -> None:
            with Image.open(original) as image:
                image.load()

        def reduced_decode() -> None:
            with Image.open(original) as image:
                image.draft("RGB", (1440, 1080))
                image.load()

        full_decode()  # warm the file cache and Pillow's imports, as in a running app
        full_ms = median_ms(full_decode, args.repeat)
        reduced_ms = median_ms(reduced_decode, args.repeat)

        prepare_times = []
        for attempt in range(args.repeat):
            cache = workdir / f"prepare-{attempt}"
            started = time.perf_counter()
            PhotoPipeline(blobs, cache, preview_size=screen).prepare(sha)
            prepare_times.append((time.perf_counter() - started) * 1000)
        prepare_ms = statistics.median(prepare_times)

        cache = workdir / "cache"
        PhotoPipeline(blobs, cache, preview_size=screen).prepare(sha)  # at sync time
        shown = []

        def first_screen_image() -> None:
            preview = PhotoPipeline(blobs, cache, preview_size=screen).preview(sha)
            assert preview is not None
            shown.append((preview.width, preview.height))

        preview_ms = median_ms(first_screen_image, args.repeat)
        full_pipeline_ms = median_ms(lambda: PhotoPipeline(blobs, cache).full(sha), args.repeat)

        print(f"full Pillow decode of the original (baseline): {full_ms:7.1f} ms")
        print(f"reduced decode (draft to 1440x1080):           {reduced_ms:7.1f} ms  "
              f"({full_ms / reduced_ms:.1f}x)")
        print(f"prepare at sync (thumbnail + preview, once):   {prepare_ms:7.1f} ms")
        speedup = full_ms / preview_ms
        print(f"ask for a synced photo -> first screen image:  {preview_ms:7.1f} ms  "
              f"({speedup:.1f}x faster than the full decode; goal >= {GOAL:.0f}x: "
              f"{'met' if speedup >= GOAL else 'NOT met'})  size {shown[-1][0]}x{shown[-1][1]}")
        print(f"full resolution for zooming (pipeline.full):   {full_pipeline_ms:7.1f} ms  "
              f"(off the GUI thread; includes orientation and pixel copy)")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
