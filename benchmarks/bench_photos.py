"""Photo opening speed against a full decode, in one run, alternating.

For a generated 4032x3024 noisy JPEG (like a phone photo, quality 90), each round times, in
turn (the order swapped every other round):
1. baseline: a full Pillow decode of the original;
2. workbench: from asking for a synced photo to its first screen-size image,
   `PhotoPipeline.preview(sha)` after `prepare` ran at sync time, with a fresh pipeline object
   each time so nothing is held in memory;
and, for information, a reduced decode (Image.draft to the screen size) and the time `prepare`
takes (paid once per photo by a worker after the pull; `bench_previews.py` compares that rate
with Pillow on two threads). Prints every round, the medians and the speed-up of (2) against
(1) (goal: at least 4x).

    python benchmarks/bench_photos.py [--repeat 7] [--size 4032x3024]
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


def timed_ms(action) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
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
        cache = workdir / "cache"
        PhotoPipeline(blobs, cache, preview_size=screen).prepare(sha)  # at sync time
        shown = []

        def first_screen_image() -> None:
            preview = PhotoPipeline(blobs, cache, preview_size=screen).preview(sha)
            assert preview is not None
            shown.append((preview.width, preview.height))

        def prepare_once() -> None:
            fresh = workdir / "prepare"
            shutil.rmtree(fresh, ignore_errors=True)
            PhotoPipeline(blobs, fresh, preview_size=screen).prepare(sha)

        actions = {"full decode": full_decode, "preview": first_screen_image,
                   "reduced decode": reduced_decode, "prepare": prepare_once}
        times: dict[str, list[float]] = {name: [] for name in actions}
        for run in range(args.repeat):
            order = list(actions) if run % 2 == 0 else list(reversed(actions))
            for name in order:
                times[name].append(timed_ms(actions[name]))
            print(f"run {run + 1}: " + ", ".join(f"{name} {times[name][-1]:6.1f} ms"
                                                 for name in actions))
        full_ms, preview_ms, reduced_ms, prepare_ms = (
            statistics.median(times[name]) for name in actions)
        full_pipeline_ms = statistics.median(
            timed_ms(lambda: PhotoPipeline(blobs, cache).full(sha)) for _ in range(3))

        print(f"median full Pillow decode of the original (baseline): {full_ms:7.1f} ms")
        print(f"median reduced decode (draft to 1440x1080):           {reduced_ms:7.1f} ms  "
              f"({full_ms / reduced_ms:.1f}x)")
        print(f"median prepare after the pull (thumbnail + preview):  {prepare_ms:7.1f} ms")
        speedup = full_ms / preview_ms
        print(f"median ask for a synced photo -> first screen image:  {preview_ms:7.1f} ms  "
              f"({speedup:.1f}x faster than the full decode; goal >= {GOAL:.0f}x: "
              f"{'met' if speedup >= GOAL else 'NOT met'})  size {shown[-1][0]}x{shown[-1][1]}")
        print(f"full resolution for zooming (pipeline.full, 3 runs):  {full_pipeline_ms:7.1f} ms"
              "  (off the GUI thread; includes orientation and pixel copy)")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
