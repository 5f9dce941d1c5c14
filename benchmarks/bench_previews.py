"""Previews made after a pull, photos per second, against Pillow with two threads.

The same phone photos (4032x3024 JPEG, half of them portrait by EXIF orientation 6, as phones
store them) are attached to e-consults in a real SQLite store. Each round runs, alternating:
1. workbench: `PhotoPipeline.prepare_pending(engine)` into an empty cache, the call the app
   makes after every pull (thumbnail and screen-size preview per photo, cached on disk);
2. floor: a hand-written Pillow loop on 2 threads over the same files: open, `draft` to the
   preview size, one LANCZOS resize, save the JPEG. It makes no thumbnail, reads no EXIF and
   writes no cache note, so it does less than the pipeline.
Prints every run, the medians and the ratio (goal: workbench at least 0.8x the floor).

    python benchmarks/bench_previews.py [--photos 16] [--runs 7] [--size 4032x3024]
"""

from __future__ import annotations

import argparse
import io
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from _report import alternating, medians, verdict
from PIL import Image
from sqlalchemy.orm import Session

from workbench.services.images import PhotoPipeline
from workbench.store import database
from workbench.store.blobs import BlobStore
from workbench.store.models import Attachment, AuthorKind, Direction, EConsult, Message, Patient

GOAL = 0.8
SCREEN = (1920, 1080)  # the pipeline's default preview size


def phone_photos(count: int, width: int, height: int) -> list[bytes]:
    """Noise over a gradient (compresses like a photo); a small mark makes each one distinct,
    so every photo has its own sha256 and costs the same to decode."""
    gradient = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    noise = Image.merge("RGB", [Image.effect_noise((width, height), 25) for _ in range(3)])
    base = Image.blend(gradient, noise, 0.5)
    photos = []
    for number in range(count):
        photo = base.copy()
        photo.paste((number * 13 % 256, 40, 200), (0, 0, 64 + number, 64))
        exif = Image.Exif()
        exif[0x0112] = 6 if number % 2 else 1  # portrait photos are stored turned
        exif.get_ifd(0x8769)[0x9003] = "2026:11:24 09:15:00"
        buffer = io.BytesIO()
        photo.save(buffer, "JPEG", quality=90, exif=exif.tobytes())
        photos.append(buffer.getvalue())
    return photos


def make_store(workdir: Path, photos: list[bytes]) -> tuple[object, BlobStore, list[Path]]:
    engine = database.make_engine(f"sqlite:///{workdir / 'store.sqlite'}")
    database.upgrade(engine)
    blobs = BlobStore(workdir / "blobs")
    shas = [blobs.put(data) for data in photos]
    now = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)
    with Session(engine) as session, session.begin():
        for number, sha in enumerate(shas):
            patient = Patient(portal_id=f"p{number}", name="Anna Jansen")
            consult = EConsult(portal_id=f"c{number}", patient=patient,
                               portal_status="in-progress", received_at=now,
                               last_patient_message_at=now, portal_version="1")
            message = Message(econsult=consult, portal_id=f"m{number}", portal_version="1",
                              direction=Direction.IN, author_kind=AuthorKind.PATIENT,
                              author_portal_id=f"p{number}", sent_at=now)
            session.add(Attachment(message=message, position=0, sha256=sha,
                                   content_type="image/jpeg", title=f"foto{number}.jpg"))
    return engine, blobs, [blobs.path(sha) for sha in shas]


def fit(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    scale = min(box[0] / size[0], box[1] / size[1], 1.0)
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def pillow_two_threads(files: list[Path], out: Path) -> None:
    out.mkdir(parents=True)

    def one(path: Path) -> None:
        with Image.open(path) as image:
            target = fit(image.size, SCREEN)
            image.draft("RGB", target)
            image.load()
            preview = image.resize(target, Image.Resampling.LANCZOS) \
                if image.size != target else image
            preview.save(out / f"{path.name}.jpg", "JPEG", quality=88)

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(one, files))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=16)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--size", default="4032x3024")
    args = parser.parse_args()
    width, height = (int(part) for part in args.size.split("x"))

    workdir = Path(tempfile.mkdtemp(prefix="bench-previews-"))
    try:
        engine, blobs, files = make_store(workdir, phone_photos(args.photos, width, height))
        print(f"{args.photos} photos of {width}x{height} JPEG "
              f"({sum(p.stat().st_size for p in files) / 1e6:.1f} MB), preview box "
              f"{SCREEN[0]}x{SCREEN[1]}, {args.runs} runs each, alternating")
        for path in files:  # warm the file cache and Pillow's imports, as in a running app
            path.read_bytes()
        rates: dict[str, list[float]] = {"workbench": [], "pillow": []}
        for run, name in alternating(args.runs, "workbench", "pillow"):
            out = workdir / f"{name}-{run}"
            started = time.perf_counter()
            if name == "workbench":
                made = PhotoPipeline(blobs, out).prepare_pending(engine)
                assert made == len(files), made
            else:
                pillow_two_threads(files, out)
            seconds = time.perf_counter() - started
            rates[name].append(len(files) / seconds)
            print(f"run {run + 1} {name:9}: {seconds * 1000:7.0f} ms, "
                  f"{rates[name][-1]:6.1f} photos/s")
            shutil.rmtree(out, ignore_errors=True)
        ours, floor = medians(rates, "workbench", "pillow")
        print(f"median workbench prepare_pending (thumbnail + preview): {ours:6.1f} photos/s")
        print(f"median Pillow, 2 threads (draft + one resize + save):  {floor:6.1f} photos/s")
        print(f"ratio {ours / floor:.2f}x ({verdict(ours / floor, GOAL)})")
        engine.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
