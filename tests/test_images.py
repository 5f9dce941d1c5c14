"""Attachment photos: type by bytes, orientation, bombs, truncated files, cache, saving for HIS.
Every file is made here with Pillow and stored in a real BlobStore."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import UTC, datetime

import pytest
from PIL import Image, ImageFile

from workbench.services.images import (
    ImageError,
    ImageKind,
    PhotoPipeline,
    save_for_his,
    sniff,
)
from workbench.store.blobs import BlobStore

RED, BLUE = (220, 20, 20), (20, 20, 220)
W, H = 64, 48  # as shown (the right way up)

# Where the red block lands in the stored pixels for each EXIF orientation, so that turning
# the stored image by the tag brings it back to the top-left.
_STORE = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def upright() -> Image.Image:
    """Blue image, red block top-left: asymmetric under every flip and turn."""
    image = Image.new("RGB", (W, H), BLUE)
    image.paste(RED, (0, 0, W // 4, H // 3))
    return image


def jpeg_bytes(image: Image.Image, *, orientation: int | None = None,
               taken: str | None = None, gps: bool = False, quality: int = 95) -> bytes:
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    if taken is not None:
        exif.get_ifd(0x8769)[0x9003] = taken
    if gps:
        exif[0x010F] = "PhoneMaker"  # camera make
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd[1] = "N"
        gps_ifd[2] = (52.0, 22.0, 30.0)
        gps_ifd[3] = "E"
        gps_ifd[4] = (4.0, 53.0, 10.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, exif=exif.tobytes())
    return buffer.getvalue()


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def stored_for(orientation: int) -> Image.Image:
    transpose = _STORE[orientation]
    return upright() if transpose is None else upright().transpose(transpose)


def colour_near(pixel, expected, tolerance=60) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected))


def pixel(decoded, x, y):
    channels = len(decoded.mode)
    offset = (y * decoded.width + x) * channels
    return tuple(decoded.data[offset:offset + 3])


def assert_upright(decoded):
    assert (decoded.width, decoded.height) == (W, H) or \
        decoded.width * H == decoded.height * W  # same aspect when scaled
    w, h = decoded.width, decoded.height
    assert colour_near(pixel(decoded, 2, 2), RED), pixel(decoded, 2, 2)
    assert colour_near(pixel(decoded, w - 3, 2), BLUE)
    assert colour_near(pixel(decoded, 2, h - 3), BLUE)
    assert colour_near(pixel(decoded, w - 3, h - 3), BLUE)


@pytest.fixture
def blobs(tmp_path):
    return BlobStore(tmp_path / "blobs")


@pytest.fixture
def pipeline(blobs, tmp_path):
    return PhotoPipeline(blobs, tmp_path / "cache", preview_size=(32, 32), thumb_size=(16, 16))


# -- type by bytes ----------------------------------------------------------------------------------

def test_sniff_decides_by_bytes():
    assert sniff(jpeg_bytes(upright())) == (ImageKind.PHOTO, "image/jpeg")
    assert sniff(png_bytes(upright())) == (ImageKind.PHOTO, "image/png")
    assert sniff(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n") == (ImageKind.DOCUMENT, "application/pdf")
    assert sniff(b"MZ\x90\x00" + b"\x00" * 60)[0] is ImageKind.REFUSED
    assert sniff(b"\x7fELF\x02\x01\x01")[0] is ImageKind.REFUSED
    assert sniff(b"#!/bin/sh\nrm -rf ~\n")[0] is ImageKind.REFUSED
    assert sniff(b"")[0] is ImageKind.REFUSED
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"
    assert sniff(heic) == (ImageKind.PHOTO, "image/heic")
    assert sniff(b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic")[0] is ImageKind.PHOTO
    assert sniff(b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf")[0] \
        is ImageKind.REFUSED
    assert sniff(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2")[0] is ImageKind.REFUSED


def test_png_declared_as_jpeg_is_still_a_photo(blobs, pipeline):
    # The portal said image/jpeg and the name ends in .jpg: the bytes say PNG, and PNG it is.
    sha = blobs.put(png_bytes(upright()))
    info = pipeline.info(sha)
    assert (info.kind, info.mime, info.width, info.height) == \
        (ImageKind.PHOTO, "image/png", W, H)
    assert_upright(pipeline.full(sha))
    assert pipeline.preview(sha) is not None


def test_executable_named_jpg_is_refused(blobs, pipeline):
    sha = blobs.put(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run")
    assert pipeline.info(sha).kind is ImageKind.REFUSED
    with pytest.raises(ImageError) as raised:
        pipeline.full(sha)
    assert raised.value.code == "not_a_photo"
    assert "executable" in raised.value.detail
    assert pipeline.preview(sha) is None
    assert pipeline.thumbnail(sha) is None
    pipeline.prepare(sha)
    assert not pipeline.preview_path(sha).exists() and not pipeline.thumb_path(sha).exists()


def test_pdf_is_a_document(blobs, pipeline):
    sha = blobs.put(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n")
    info = pipeline.info(sha)
    assert (info.kind, info.mime) == (ImageKind.DOCUMENT, "application/pdf")
    assert pipeline.preview(sha) is None
    with pytest.raises(ImageError) as raised:
        pipeline.full(sha)
    assert raised.value.code == "not_a_photo"


def test_missing_bytes(pipeline):
    with pytest.raises(ImageError) as raised:
        pipeline.full("ab" * 32)
    assert raised.value.code == "missing"


# -- orientation ------------------------------------------------------------------------------------

@pytest.mark.parametrize("orientation", range(1, 9))
def test_each_exif_orientation_comes_out_the_right_way_up(blobs, tmp_path, orientation):
    data = jpeg_bytes(stored_for(orientation), orientation=orientation)
    sha = blobs.put(data)
    pipeline = PhotoPipeline(blobs, tmp_path / "cache", preview_size=(32, 32),
                             thumb_size=(16, 16))
    full = pipeline.full(sha)
    assert (full.width, full.height) == (W, H)
    assert full.orientation_applied == orientation
    assert_upright(full)
    preview = pipeline.preview(sha)
    assert preview.width <= 32 and preview.height <= 32
    assert preview.width > preview.height  # landscape, as shown
    assert preview.orientation_applied == orientation
    assert_upright(preview)
    info = pipeline.info(sha)
    assert (info.width, info.height) == (W, H)


# -- bombs, truncated and corrupt files -------------------------------------------------------------

def _png_claiming(width: int, height: int) -> bytes:
    data = bytearray(png_bytes(Image.new("RGB", (1, 1), RED)))
    ihdr = 8  # signature; then length(4) type(4) data(13) crc(4)
    assert data[ihdr + 4:ihdr + 8] == b"IHDR"
    data[ihdr + 8:ihdr + 16] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr + 4:ihdr + 21])) & 0xFFFFFFFF
    data[ihdr + 21:ihdr + 25] = struct.pack(">I", crc)
    return bytes(data)


def _jpeg_claiming(width: int, height: int) -> bytes:
    data = bytearray(jpeg_bytes(Image.new("RGB", (8, 8), RED)))
    sof = data.find(b"\xff\xc0")
    assert sof > 0
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


class Decoded(BaseException):
    """Raised if any pixel decoding is attempted; not an Exception, so nothing swallows it."""


@pytest.mark.parametrize("make", [
    lambda: _png_claiming(100_000, 100_000),   # far beyond Pillow's own limit too
    lambda: _jpeg_claiming(9_000, 9_000),      # 81 megapixels: just beyond ours
], ids=["png-10-gigapixels", "jpeg-81-megapixels"])
def test_decompression_bomb_is_refused_before_decoding(blobs, pipeline, monkeypatch, make):
    sha = blobs.put(make())

    def no_decoding(self):
        raise Decoded()
    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    for call in (pipeline.full, pipeline.preview, pipeline.thumbnail):
        with pytest.raises(ImageError) as raised:
            call(sha)
        assert raised.value.code == "too_many_pixels"
    assert not pipeline.preview_path(sha).exists()
    with pytest.raises(ImageError) as raised:
        save_for_his(blobs, sha, pipeline.cache_dir / "out", "Jansen, Anna", datetime.now())
    assert raised.value.code == "too_many_pixels"


def test_pillow_globals_are_left_as_they_were(blobs, pipeline):
    before = (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES)
    data = jpeg_bytes(Image.effect_noise((200, 150), 60).convert("RGB"))
    sha = blobs.put(data[: len(data) * 2 // 3])
    assert pipeline.full(sha).partial
    with pytest.raises(ImageError):
        pipeline.full(blobs.put(_png_claiming(100_000, 100_000)))
    assert (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES) == before


def test_truncated_jpeg_is_shown_partially(blobs, tmp_path):
    noise = Image.effect_noise((400, 300), 60).convert("RGB")
    data = jpeg_bytes(noise, quality=90)
    sha = blobs.put(data[: len(data) // 2])
    pipeline = PhotoPipeline(blobs, tmp_path / "cache", preview_size=(200, 200))
    full = pipeline.full(sha)
    assert full.partial is True
    assert (full.width, full.height) == (400, 300)
    assert len(full.data) == 400 * 300 * 3
    preview = pipeline.preview(sha)
    assert preview.partial is True
    complete = pipeline.full(blobs.put(data))
    assert complete.partial is False


def test_corrupt_photo_is_refused_not_crashed(blobs, pipeline):
    sha = blobs.put(b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + b"\x13\x37" * 50)
    with pytest.raises(ImageError) as raised:
        pipeline.full(sha)
    assert raised.value.code == "corrupt"
    with pytest.raises(ImageError) as raised:
        pipeline.preview(sha)
    assert raised.value.code == "corrupt"
    pipeline.prepare(sha)  # noted once, no exception


# -- cache ------------------------------------------------------------------------------------------

def test_prepare_is_idempotent_and_preview_fits_the_screen_size(blobs, tmp_path):
    data = jpeg_bytes(Image.effect_noise((1200, 900), 40).convert("RGB"), quality=90)
    sha = blobs.put(data)
    pipeline = PhotoPipeline(blobs, tmp_path / "cache", preview_size=(400, 300),
                             thumb_size=(60, 60))
    pipeline.prepare(sha)
    preview_file, thumb_file = pipeline.preview_path(sha), pipeline.thumb_path(sha)
    assert preview_file.is_file() and thumb_file.is_file()
    stamps = (preview_file.stat().st_mtime_ns, thumb_file.stat().st_mtime_ns)
    pipeline.prepare(sha)
    assert (preview_file.stat().st_mtime_ns, thumb_file.stat().st_mtime_ns) == stamps
    assert not [p for p in preview_file.parent.iterdir() if p.name.startswith(".tmp")]
    preview = PhotoPipeline(blobs, tmp_path / "cache", preview_size=(400, 300)).preview(sha)
    assert (preview.width, preview.height) == (400, 300)
    assert preview.mode == "RGB" and len(preview.data) == 400 * 300 * 3
    thumb = pipeline.thumbnail(sha)
    assert thumb.width <= 60 and thumb.height <= 60
    with Image.open(preview_file) as cached:
        assert not cached.getexif()


def test_preview_is_made_when_missing(blobs, pipeline):
    sha = blobs.put(jpeg_bytes(upright()))
    assert not pipeline.preview_path(sha).exists()
    assert pipeline.preview(sha) is not None
    assert pipeline.preview_path(sha).is_file()


def test_previews_asked_from_several_threads_at_once(blobs, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    data = jpeg_bytes(Image.effect_noise((600, 450), 40).convert("RGB"))
    good, truncated = blobs.put(data), blobs.put(data[: len(data) // 2])
    cache = tmp_path / "cache"

    def ask(index: int):
        pipeline = PhotoPipeline(blobs, cache, preview_size=(300, 300))
        sha = (good, truncated)[index % 2]
        if index % 3 == 0:
            return sha, pipeline.full(sha).partial
        return sha, pipeline.preview(sha).partial

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(ask, range(24)))
    assert all(partial == (sha == truncated) for sha, partial in results)
    assert not [p for p in (cache / "previews").iterdir() if p.name.startswith(".tmp")]


def test_exif_date_time_original_is_taken(blobs, pipeline):
    sha = blobs.put(jpeg_bytes(upright(), orientation=1, taken="2026:11:24 09:15:42"))
    expected = datetime(2026, 11, 24, 9, 15, 42)
    assert pipeline.full(sha).taken == expected
    assert pipeline.preview(sha).taken == expected
    assert pipeline.info(sha).taken == expected
    assert pipeline.full(blobs.put(jpeg_bytes(upright()))).taken is None


def test_prepare_pending_prepares_stored_photos_by_bytes(blobs, tmp_path, sqlite_url):
    from sqlalchemy.orm import Session

    from workbench.store import database
    from workbench.store.models import (
        Attachment,
        AuthorKind,
        Direction,
        EConsult,
        Message,
        Patient,
    )

    engine = database.make_engine(sqlite_url)
    database.upgrade(engine)
    now = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)
    photo = blobs.put(jpeg_bytes(upright()))
    png_as_jpeg = blobs.put(png_bytes(upright()))
    pdf = blobs.put(b"%PDF-1.4\n%%EOF\n")
    exe = blobs.put(b"MZ" + b"\x00" * 100)
    with Session(engine) as session, session.begin():
        patient = Patient(portal_id="p1", name="Anna Jansen")
        consult = EConsult(portal_id="c1", patient=patient, portal_status="in-progress",
                           received_at=now, last_patient_message_at=now, portal_version="1")
        message = Message(econsult=consult, portal_id="m1", portal_version="1",
                          direction=Direction.IN, author_kind=AuthorKind.PATIENT,
                          author_portal_id="p1", sent_at=now)
        for position, sha in enumerate([photo, png_as_jpeg, pdf, exe, photo, None]):
            session.add(Attachment(message=message, position=position, sha256=sha,
                                   content_type="image/jpeg", title=f"foto{position}.jpg"))
    pipeline = PhotoPipeline(blobs, tmp_path / "cache", preview_size=(32, 32))
    assert pipeline.prepare_pending(engine) == 2
    assert pipeline.preview_path(photo).is_file() and pipeline.preview_path(png_as_jpeg).is_file()
    assert not pipeline.preview_path(pdf).exists() and not pipeline.preview_path(exe).exists()
    assert pipeline.prepare_pending(engine) == 0
    engine.dispose()


# -- HEIC ------------------------------------------------------------------------------------------

def test_heic_from_an_iphone_is_a_photo(blobs, pipeline):
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    buffer = io.BytesIO()
    try:
        upright().save(buffer, "HEIF", quality=95)
    except Exception as exc:  # noqa: BLE001 - libheif built without an HEVC encoder
        pytest.skip(f"pillow-heif cannot write HEIC here: {exc}")
    sha = blobs.put(buffer.getvalue())
    assert sniff(buffer.getvalue())[0] is ImageKind.PHOTO
    full = pipeline.full(sha)
    assert (full.width, full.height) == (W, H)
    assert_upright(full)
    assert_upright(pipeline.preview(sha))


# -- saving for the record --------------------------------------------------------------------------

def test_saved_photo_has_no_exif_is_upright_and_named_after_patient_and_date(blobs, tmp_path):
    data = jpeg_bytes(stored_for(6), orientation=6, taken="2026:11:24 09:15:00", gps=True)
    with Image.open(io.BytesIO(data)) as original:  # the test file really has GPS
        assert original.getexif().get_ifd(0x8825)
    sha = blobs.put(data)
    folder = tmp_path / "his" / "fotos"
    when = datetime(2026, 11, 24, 9, 15)
    first = save_for_his(blobs, sha, folder, "Jansen, Anna", when)
    assert first.name == "Jansen_Anna_2026-11-24_0915.jpg"
    second = save_for_his(blobs, sha, folder, "Jansen, Anna", when)
    assert second.name == "Jansen_Anna_2026-11-24_0915_2.jpg"
    assert first.read_bytes()  # the first is not overwritten
    with Image.open(first) as saved:
        assert saved.format == "JPEG"
        assert not saved.getexif()
        assert not saved.getexif().get_ifd(0x8825)
        assert "exif" not in saved.info and "xmp" not in saved.info
        assert b"PhoneMaker" not in first.read_bytes()
        assert saved.size == (W, H)
        saved_rgb = saved.convert("RGB")
        assert colour_near(saved_rgb.getpixel((2, 2)), RED)
        assert colour_near(saved_rgb.getpixel((W - 3, H - 3)), BLUE)
    assert not [p for p in folder.iterdir() if p.name.startswith(".tmp")]


def test_his_file_name_uses_safe_characters_only(blobs, tmp_path):
    sha = blobs.put(png_bytes(upright()))
    path = save_for_his(blobs, sha, tmp_path, "Çelik-Ödül / ../de Vries:*?",
                        datetime(2026, 1, 2, 3, 4))
    assert path.parent == tmp_path
    assert path.name == "Celik-Odul_de_Vries_2026-01-02_0304.jpg"


def test_photo_save_is_audited_with_the_attachment_id_only(blobs, tmp_path, sqlite_url):
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from workbench.services.images import record_photo_save
    from workbench.services.triage import Actor
    from workbench.store import database
    from workbench.store.models import (
        Attachment,
        AuditEvent,
        AuthorKind,
        Direction,
        EConsult,
        Message,
        Patient,
        Practitioner,
        Role,
    )

    engine = database.make_engine(sqlite_url)
    database.upgrade(engine)
    now = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)
    with Session(engine) as session, session.begin():
        doctor = Practitioner(portal_id="gp1", name="Dr. Bakker", role=Role.GP)
        patient = Patient(portal_id="p1", name="Anna Jansen")
        consult = EConsult(portal_id="c1", patient=patient, portal_status="in-progress",
                           received_at=now, last_patient_message_at=now, portal_version="1")
        message = Message(econsult=consult, portal_id="m1", portal_version="1",
                          direction=Direction.IN, author_kind=AuthorKind.PATIENT,
                          author_portal_id="p1", sent_at=now)
        attachment = Attachment(message=message, position=0, sha256="ab" * 32)
        session.add_all([doctor, attachment])
        session.flush()
        ids = doctor.id, attachment.id, consult.id, patient.id
    record_photo_save(engine, ids[1], Actor(ids[0]), "Jansen_Anna_2026-11-24_0915.jpg",
                      when=now, workstation="ws1")
    with Session(engine) as session:
        event = session.scalars(select(AuditEvent)).one()
        assert (event.event, event.econsult_id, event.patient_id, event.user_id) == \
            ("save_photo", ids[2], ids[3], ids[0])
        assert event.detail == {"attachment": ids[1]}
    engine.dispose()
