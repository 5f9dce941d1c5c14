"""Attachment photos without Qt: type by bytes, safe decoding, cached previews, saving for the HIS.

The type of an attachment is decided by its first bytes, never by its name or declared content
type. JPEG, PNG and HEIC/HEIF are photos; PDF is a document the UI offers to open in the
system's viewer; anything else is refused with a reason.

Decoding is defensive: the pixel count is checked from the header before any pixel is decoded
(decompression bombs), truncated files are shown as far as they decode (`partial=True`), files
that cannot be read at all raise `ImageError("corrupt")`. EXIF orientation is always applied.

Speed: `PhotoPipeline.prepare` (run after each pull, two photos at a time) makes a screen-size
preview with a reduced JPEG decode (`Image.draft`) and one resize, and the thumbnail from that
preview, both cached on disk by sha256, so opening a photo only decodes a small JPEG; `full`
decodes the original for zooming and is meant to run off the GUI thread. On PostgreSQL the
previews are shared through the database too (a PreviewStore), so a second workstation does
not decode the photo again.
"""

from __future__ import annotations

import enum
import io
import json
import logging
import os
import re
import socket
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image, ImageFile

from workbench.store.blobs import BlobStore

if TYPE_CHECKING:
    from workbench.store.shared_blobs import PreviewStore

try:  # HEIC/HEIF from iPhones; a well-kept Pillow plugin.
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIF_SUPPORTED = True
except ImportError:  # pragma: no cover - the dependency is declared; only a broken install
    HEIF_SUPPORTED = False

MAX_PIXELS = 80_000_000
"""Larger images are refused from their header, before decoding (decompression bombs)."""

PREPARE_WORKERS = 2
"""Photos prepared at once after a pull: a small pool, so the GUI keeps a core of its own."""

log = logging.getLogger(__name__)

HEAD_BYTES = 4096  # enough of the start of a file to tell its type

EXIF_ORIENTATION = 0x0112
EXIF_IFD = 0x8769
EXIF_DATETIME_ORIGINAL = 0x9003
EXIF_DATETIME_DIGITIZED = 0x9004
EXIF_OFFSET_TIME_ORIGINAL = 0x9011

_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

_PIL_FORMATS = {"image/jpeg": ["JPEG"], "image/png": ["PNG"], "image/heic": ["HEIF"],
                "image/heif": ["HEIF"]}



class _TruncationGuard:
    """Pillow's LOAD_TRUNCATED_IMAGES is a module global. It is switched on only around the
    retry of a decode that failed, and only while none of our strict decodes runs (a
    readers-writer lock that lets a waiting retry go first), so a strict decode never
    silently pads a truncated file and two retries never undo each other's setting."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._strict = 0
        self._tolerant = False
        self._waiting = 0

    @contextmanager
    def strict(self) -> Iterator[None]:
        with self._condition:
            self._condition.wait_for(lambda: not self._tolerant and not self._waiting)
            self._strict += 1
        try:
            yield
        finally:
            with self._condition:
                self._strict -= 1
                self._condition.notify_all()

    @contextmanager
    def tolerant(self) -> Iterator[None]:
        with self._condition:
            self._waiting += 1
            self._condition.wait_for(lambda: not self._tolerant and not self._strict)
            self._waiting -= 1
            self._tolerant = True
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = True
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous
            with self._condition:
                self._tolerant = False
                self._condition.notify_all()


_TRUNCATION = _TruncationGuard()


class ImageKind(str, enum.Enum):
    PHOTO = "photo"
    DOCUMENT = "document"
    REFUSED = "refused"


class ImageError(Exception):
    """A photo that cannot be shown; `code` tells the UI which message to show:
    "not_a_photo" (refused or other type), "too_many_pixels" (decompression bomb),
    "corrupt" (cannot be read), "missing" (bytes not stored). `detail` is a short English
    reason for logs (never patient data)."""

    def __init__(self, code: str, detail: str | None = None) -> None:
        super().__init__(code if detail is None else f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class DecodedImage:
    """Pixels for the UI: row-major 8-bit RGB or RGBA, `width * len(mode)` bytes a row."""

    width: int
    height: int
    mode: str  # "RGB" or "RGBA"
    data: bytes
    partial: bool = False  # a truncated file, shown as far as it decodes
    taken: datetime | None = None  # EXIF DateTimeOriginal (camera's local time if no offset)
    orientation_applied: int = 1  # the EXIF orientation (1-8) the pixels were turned by

    @property
    def bytes_per_line(self) -> int:
        return self.width * len(self.mode)


@dataclass(frozen=True)
class PhotoInfo:
    """A cheap header read. Width and height as shown (EXIF orientation taken into account);
    None for documents and refused types."""

    kind: ImageKind
    mime: str | None
    width: int | None = None
    height: int | None = None
    taken: datetime | None = None


# -- type by bytes ---------------------------------------------------------------------------------

_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs",
                b"mif1", b"msf1", b"mif2", b"miaf"}
_NOT_HEIF_BRANDS = {b"avif", b"avis"}  # same container, another codec: not supported here


def _ftyp_brands(data: bytes) -> tuple[bytes, set[bytes]] | None:
    if len(data) < 12 or data[4:8] != b"ftyp":
        return None
    box_size = int.from_bytes(data[0:4], "big")
    end = min(len(data), max(box_size, 16))
    major = data[8:12]
    compatible = {data[i:i + 4] for i in range(16, end - 3, 4)}
    return major, compatible


def sniff(data: bytes) -> tuple[ImageKind, str | None]:
    """(kind, mime) from the first bytes of a file; the name and declared type are ignored."""
    if data.startswith(b"\xff\xd8\xff"):
        return ImageKind.PHOTO, "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return ImageKind.PHOTO, "image/png"
    brands = _ftyp_brands(data)
    if brands is not None:
        major, compatible = brands
        if major in _NOT_HEIF_BRANDS:
            return ImageKind.REFUSED, "image/avif"
        if major in (b"heic", b"heix", b"heim", b"heis"):
            return ImageKind.PHOTO, "image/heic"
        if major in _HEIF_BRANDS or compatible & _HEIF_BRANDS - {b"miaf"}:
            if compatible & _NOT_HEIF_BRANDS:
                return ImageKind.REFUSED, "image/avif"
            heic = major in (b"hevc", b"hevx") or compatible & {b"heic", b"heix"}
            return ImageKind.PHOTO, "image/heic" if heic else "image/heif"
        return ImageKind.REFUSED, "video/mp4"  # ISO media of another kind: a video
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF-"):
        return ImageKind.DOCUMENT, "application/pdf"
    if data.startswith(b"MZ"):
        return ImageKind.REFUSED, "application/x-msdownload"
    if data.startswith(b"\x7fELF"):
        return ImageKind.REFUSED, "application/x-executable"
    if data[:4] in (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe",
                    b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe"):
        return ImageKind.REFUSED, "application/x-mach-binary"
    if data.startswith(b"#!"):
        return ImageKind.REFUSED, "text/x-shellscript"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return ImageKind.REFUSED, "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ImageKind.REFUSED, "image/webp"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return ImageKind.REFUSED, "image/tiff"
    if data.startswith(b"PK\x03\x04"):
        return ImageKind.REFUSED, "application/zip"
    return ImageKind.REFUSED, None


def _refusal_detail(kind: ImageKind, mime: str | None) -> str:
    if kind is ImageKind.DOCUMENT:
        return f"a document ({mime}), not a photo"
    if mime in ("application/x-msdownload", "application/x-executable",
                "application/x-mach-binary", "text/x-shellscript"):
        return f"an executable program ({mime})"
    if mime is not None:
        return f"unsupported type {mime}"
    return "unknown type"


# -- decoding --------------------------------------------------------------------------------------

def _read_head(blobs: BlobStore, sha256: str) -> bytes:
    try:
        with open(blobs.path(sha256), "rb") as handle:
            return handle.read(HEAD_BYTES)
    except (FileNotFoundError, NotADirectoryError):
        raise ImageError("missing", "attachment bytes are not stored") from None


def _photo_mime(blobs: BlobStore, sha256: str) -> str:
    kind, mime = sniff(_read_head(blobs, sha256))
    if kind is not ImageKind.PHOTO or mime is None:
        raise ImageError("not_a_photo", _refusal_detail(kind, mime))
    if mime in ("image/heic", "image/heif") and not HEIF_SUPPORTED:  # pragma: no cover
        raise ImageError("not_a_photo", "HEIC support is not installed")
    return mime


def _open_checked(blobs: BlobStore, sha256: str, mime: str) -> ImageFile.ImageFile:
    """Open (header only) and refuse too many pixels before anything is decoded."""
    try:
        image = Image.open(blobs.path(sha256), formats=_PIL_FORMATS[mime])
    except Image.DecompressionBombError as exc:  # Pillow's own, larger limit
        raise ImageError("too_many_pixels", str(exc)) from None
    except FileNotFoundError:
        raise ImageError("missing", "attachment bytes are not stored") from None
    except Exception as exc:  # noqa: BLE001 - any parser failure means an unreadable header
        raise ImageError("corrupt", f"header: {type(exc).__name__}") from None
    width, height = image.size
    if width <= 0 or height <= 0:
        image.close()
        raise ImageError("corrupt", "zero size")
    if width * height > MAX_PIXELS:
        image.close()
        raise ImageError("too_many_pixels", f"{width}x{height}")
    return image


def _orientation(image: Image.Image) -> int:
    original = image.info.get("original_orientation")  # pillow-heif: libheif already turned it
    if original is not None:
        return 1
    try:
        value = image.getexif().get(EXIF_ORIENTATION, 1)
    except Exception:  # noqa: BLE001 - broken EXIF: show as stored
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _heif_orientation(image: Image.Image) -> int:
    value = image.info.get("original_orientation")
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _taken(image: Image.Image) -> datetime | None:
    try:
        ifd = image.getexif().get_ifd(EXIF_IFD)
    except Exception:  # noqa: BLE001
        return None
    raw = ifd.get(EXIF_DATETIME_ORIGINAL) or ifd.get(EXIF_DATETIME_DIGITIZED)
    if not isinstance(raw, str):
        return None
    try:
        moment = datetime.strptime(raw.strip().rstrip("\x00")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = ifd.get(EXIF_OFFSET_TIME_ORIGINAL)
    match = re.fullmatch(r"([+-])(\d\d):(\d\d)", offset.strip("\x00 ")) \
        if isinstance(offset, str) else None
    if match:
        delta = timedelta(hours=int(match[2]), minutes=int(match[3]))
        moment = moment.replace(tzinfo=timezone(delta if match[1] == "+" else -delta))
    return moment


def _display_mode(image: Image.Image) -> Image.Image:
    """8-bit RGB, or RGBA when the image has transparency."""
    if image.mode in ("RGB", "RGBA"):
        return image
    if image.mode in ("LA", "PA") or (image.mode in ("P", "L", "RGB")
                                      and "transparency" in image.info):
        return image.convert("RGBA")
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.point(lambda value: value / 256).convert("L")
    return image.convert("RGB")


def _flatten(image: Image.Image) -> Image.Image:
    """RGB for JPEG: transparency on white."""
    if image.mode != "RGBA":
        return image.convert("RGB") if image.mode != "RGB" else image
    background = Image.new("RGB", image.size, (255, 255, 255))
    background.paste(image, mask=image.getchannel("A"))
    return background


@dataclass
class _Decoded:
    image: Image.Image  # display mode, orientation applied
    orientation: int
    taken: datetime | None
    partial: bool
    icc_profile: bytes | None


def _target_size(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    scale = min(box[0] / size[0], box[1] / size[1], 1.0)
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _decode(blobs: BlobStore, sha256: str, box: tuple[int, int] | None = None) -> _Decoded:
    """Decode a stored photo, reduced to fit `box` (display orientation) when given, with the
    EXIF orientation applied. A decode that fails is retried once with Pillow's truncated-image
    tolerance: what decodes then is returned with `partial=True`."""
    mime = _photo_mime(blobs, sha256)

    def attempt(tolerant: bool) -> _Decoded:
        image = _open_checked(blobs, sha256, mime)
        try:
            turn = _orientation(image)  # 1 for HEIF: libheif has turned it already
            orientation = _heif_orientation(image) if image.format == "HEIF" else turn
            taken = _taken(image)
            icc = image.info.get("icc_profile")
            stored_target = None
            if box is not None:
                stored_box = (box[1], box[0]) if turn >= 5 else box
                stored_target = _target_size(image.size, stored_box)
                if image.format in ("JPEG", "MPO"):
                    image.draft("RGB", stored_target)  # reduced DCT decode: 1/2, 1/4, 1/8
            with _TRUNCATION.tolerant() if tolerant else _TRUNCATION.strict():
                image.load()
            result = _display_mode(image)
            if stored_target is not None and result.size != stored_target:
                result = result.resize(stored_target, Image.Resampling.LANCZOS)
            if turn in _TRANSPOSE:
                result = result.transpose(_TRANSPOSE[turn])
            if result is image:
                result = image.copy()  # detached from the file
            return _Decoded(result, orientation, taken, tolerant,
                            icc if isinstance(icc, bytes) else None)
        finally:
            image.close()

    try:
        return attempt(tolerant=False)
    except ImageError:
        raise
    except MemoryError:
        raise ImageError("too_many_pixels", "out of memory") from None
    except Exception as exc:  # noqa: BLE001 - truncated or damaged pixel data: try what decodes
        first_failure = type(exc).__name__
    try:
        return attempt(tolerant=True)
    except ImageError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise ImageError("corrupt", f"pixels: {first_failure}, then {type(exc).__name__}") \
            from None


def _to_decoded(image: Image.Image, *, partial: bool, taken: datetime | None,
                orientation: int) -> DecodedImage:
    image = _display_mode(image)
    return DecodedImage(width=image.width, height=image.height, mode=image.mode,
                        data=image.tobytes(), partial=partial, taken=taken,
                        orientation_applied=orientation)


# -- cache -----------------------------------------------------------------------------------------

def _write_atomic(path: Path, write: Callable[[io.BufferedWriter], None]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        try:
            os.replace(tmp, path)
        except PermissionError:
            # Windows: another thread has the same cache file open; it made the same bytes.
            if not path.is_file():
                raise
            Path(tmp).unlink(missing_ok=True)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _cache_note(decoded: _Decoded) -> bytes:
    return json.dumps({"v": 1, "orientation": decoded.orientation, "partial": decoded.partial,
                       "taken": decoded.taken.isoformat() if decoded.taken else None}).encode()


def _jpeg(image: Image.Image, *, quality: int, comment: bytes) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, comment=comment)
    return buffer.getvalue()


_NO_PREVIEW = "no-preview"  # the marker's variant in the shared store: its reason code


def _is_sha256(value: str) -> bool:
    return bool(re.fullmatch(r"[0-9a-f]{64}", value or ""))


class PhotoPipeline:
    """Thumbnails and screen-size previews of stored photos, cached on disk by sha256.

    `cache_dir/thumbs/<sha>.jpg` and `cache_dir/previews/<sha>.jpg` hold the pixels (EXIF
    orientation applied, no EXIF); a JPEG comment holds the orientation, `taken` and `partial`.
    Attachments that have no preview (documents, refused types, bombs, unreadable files) get a
    small marker in `cache_dir/no_preview/<sha>` with the reason code, so a pull does not look at
    them again. With `shared` (PostgreSQL) all three are also kept in the database, and taken
    from there before anything is decoded. Thread-safe: the worker's `prepare` and the UI's
    reads may run at once."""

    def __init__(self, blobs: BlobStore, cache_dir: Path, *,
                 preview_size: tuple[int, int] = (1920, 1080),
                 thumb_size: tuple[int, int] = (240, 240),
                 shared: PreviewStore | None = None) -> None:
        self.blobs = blobs
        self.cache_dir = Path(cache_dir)
        self.preview_size = preview_size
        self.thumb_size = thumb_size
        self.shared = shared
        # Shared variants are named by size: pipelines with other sizes never mix them up.
        self._thumb_variant = "thumb-{}x{}".format(*thumb_size)
        self._preview_variant = "preview-{}x{}".format(*preview_size)

    # -- paths -----------------------------------------------------------------------------------
    def thumb_path(self, sha256: str) -> Path:
        return self.cache_dir / "thumbs" / f"{self._checked(sha256)}.jpg"

    def preview_path(self, sha256: str) -> Path:
        return self.cache_dir / "previews" / f"{self._checked(sha256)}.jpg"

    def _marker_path(self, sha256: str) -> Path:
        return self.cache_dir / "no_preview" / self._checked(sha256)

    @staticmethod
    def _checked(sha256: str) -> str:
        if not _is_sha256(sha256):
            raise ImageError("missing", "not a sha256")
        return sha256

    # -- making ----------------------------------------------------------------------------------
    def prepare(self, sha256: str) -> None:
        """Make the thumbnail and the preview (no-op when present). Non-photos: nothing cached.
        Raises ImageError("missing") when the bytes are not stored; other refusals are noted
        in the marker and not raised (the UI learns them from `preview`)."""
        preview, thumb = self.preview_path(sha256), self.thumb_path(sha256)
        if (preview.is_file() and thumb.is_file()) or self._marker_path(sha256).is_file():
            return
        if self._take_shared(sha256):
            return
        try:
            decoded = _decode(self.blobs, sha256, self.preview_size)
        except ImageError as exc:
            if exc.code == "missing":
                raise
            code = exc.code.encode()
        else:
            code = None
        if code is not None:
            self._keep(sha256, {_NO_PREVIEW: code})
            return
        note = _cache_note(decoded)
        image = _flatten(decoded.image)
        # From the preview, not the original: an integer box reduction (`reducing_gap`) first,
        # then LANCZOS over a few pixels only; a full LANCZOS here cost as much as the decode.
        thumbnail = image.resize(_target_size(image.size, self.thumb_size),
                                 Image.Resampling.LANCZOS, reducing_gap=2.0) \
            if image.width > self.thumb_size[0] or image.height > self.thumb_size[1] \
            else image
        self._keep(sha256, {
            self._thumb_variant: _jpeg(thumbnail, quality=85, comment=note),
            self._preview_variant: _jpeg(image, quality=88, comment=note)})

    def _files(self, sha256: str) -> dict[str, Path]:
        return {self._thumb_variant: self.thumb_path(sha256),
                self._preview_variant: self.preview_path(sha256),
                _NO_PREVIEW: self._marker_path(sha256)}

    def _write_cache(self, sha256: str, variants: dict[str, bytes]) -> None:
        files = self._files(sha256)
        for variant, data in variants.items():
            _write_atomic(files[variant], lambda handle, data=data: handle.write(data))

    def _keep(self, sha256: str, made: dict[str, bytes]) -> None:
        """Into the cache on disk, and into the shared store when there is one."""
        self._write_cache(sha256, made)
        if self.shared is not None:
            try:
                self.shared.put(sha256, made)
            except Exception as exc:  # noqa: BLE001 - shown from the cache all the same
                log.warning("previews of %s not shared: %s", sha256, type(exc).__name__)

    def _take_shared(self, sha256: str) -> bool:
        """Another workstation made them already: copy them into the cache on disk."""
        if self.shared is None:
            return False
        try:
            found = self.shared.get(sha256, self._files(sha256))
        except Exception as exc:  # noqa: BLE001 - made here instead
            log.warning("shared previews of %s not read: %s", sha256, type(exc).__name__)
            return False
        if _NO_PREVIEW in found:
            found = {_NO_PREVIEW: found[_NO_PREVIEW]}
        elif not {self._thumb_variant, self._preview_variant} <= found.keys():
            return False
        self._write_cache(sha256, found)
        return True

    def prepare_pending(self, engine, limit: int | None = None, *,
                        workers: int = PREPARE_WORKERS) -> int:
        """Prepare every stored photo attachment (newest first) that has no cached preview;
        returns how many were prepared. The app calls it in a worker after each pull. Photos
        are prepared `workers` at a time: Pillow decodes, resizes and encodes without the GIL,
        so two cores make previews nearly twice as fast."""
        from sqlalchemy import func, select
        from sqlalchemy.orm import Session

        from workbench.store.models import Attachment

        with Session(engine) as session:
            rows = session.execute(
                select(Attachment.sha256, func.max(Attachment.id).label("newest"))
                .where(Attachment.sha256.is_not(None))
                .group_by(Attachment.sha256)
                .order_by(func.max(Attachment.id).desc())).all()
        wanted = [sha256 for sha256, _newest in rows if _is_sha256(sha256)
                  and not self.preview_path(sha256).is_file()
                  and not self._marker_path(sha256).is_file()]
        return self.prepare_many(wanted, limit=limit, workers=workers)

    def prepare_many(self, sha256s: Iterable[str], *, limit: int | None = None,
                     workers: int = PREPARE_WORKERS) -> int:
        """Prepare these attachments in order, `workers` at a time; returns how many photos
        got a preview (at most `limit`). Unknown or vanished bytes are skipped."""

        def one(sha256: str) -> bool:
            if self.preview_path(sha256).is_file() or self._marker_path(sha256).is_file():
                return False
            if not self.blobs.has(sha256):  # after the cheap checks: it may ask the database
                return False
            try:
                self.prepare(sha256)  # for non-photos: writes the marker only
            except ImageError:  # "missing": the bytes went away meanwhile
                return False
            return self.preview_path(sha256).is_file()

        pending = iter(dict.fromkeys(sha256s))  # each once, even when asked twice
        prepared = 0
        with ThreadPoolExecutor(max(1, workers), thread_name_prefix="previews") as pool:
            running: set = set()
            while True:
                # Never more in flight than the limit still allows: no work is thrown away.
                room = workers if limit is None else min(workers, limit - prepared)
                while len(running) < room:
                    sha256 = next(pending, None)
                    if sha256 is None:
                        break
                    running.add(pool.submit(one, sha256))
                if not running:
                    return prepared
                done, running = wait(running, return_when=FIRST_COMPLETED)
                prepared += sum(future.result() for future in done)
                if limit is not None and prepared >= limit:
                    wait(running)
                    return prepared + sum(future.result() for future in running)

    # -- reading ---------------------------------------------------------------------------------
    def thumbnail(self, sha256: str) -> DecodedImage | None:
        return self._cached(sha256, self.thumb_path(sha256))

    def preview(self, sha256: str) -> DecodedImage | None:
        """The screen-size image: from the cache (made now if missing). None when the
        attachment is not a photo; ImageError for bombs, unreadable or missing photos."""
        return self._cached(sha256, self.preview_path(sha256))

    def _cached(self, sha256: str, path: Path) -> DecodedImage | None:
        for _ in range(2):
            marker = self._marker_path(sha256)
            if marker.is_file():
                code = marker.read_text(encoding="ascii", errors="replace").strip()
                if code == "not_a_photo":
                    return None
                raise ImageError(code or "corrupt", "noted when preparing")
            try:
                with Image.open(path, formats=["JPEG"]) as image:
                    image.load()
                    raw_note = image.info.get("comment", b"{}")
                    note = json.loads(raw_note) if raw_note else {}
                    taken = note.get("taken")
                    return _to_decoded(image, partial=bool(note.get("partial")),
                                       taken=datetime.fromisoformat(taken) if taken else None,
                                       orientation=int(note.get("orientation", 1)))
            except FileNotFoundError:
                pass
            except Exception:  # noqa: BLE001 - a damaged cache file: make it again
                path.unlink(missing_ok=True)
            self.prepare(sha256)
        raise ImageError("corrupt", "cache could not be written")

    def full(self, sha256: str) -> DecodedImage:
        """The full resolution, orientation applied (call it off the GUI thread)."""
        decoded = _decode(self.blobs, sha256)
        return _to_decoded(decoded.image, partial=decoded.partial, taken=decoded.taken,
                           orientation=decoded.orientation)

    def info(self, sha256: str) -> PhotoInfo:
        """Kind and type by bytes; for photos the size as shown and when taken (header only)."""
        kind, mime = sniff(_read_head(self.blobs, sha256))
        if kind is not ImageKind.PHOTO or mime is None:
            return PhotoInfo(kind, mime)
        try:
            image = Image.open(self.blobs.path(sha256), formats=_PIL_FORMATS[mime])
        except Image.DecompressionBombError:
            return PhotoInfo(kind, mime)  # too large to even read the header safely
        except Exception as exc:  # noqa: BLE001
            raise ImageError("corrupt", f"header: {type(exc).__name__}") from None
        with image:
            width, height = image.size
            if _orientation(image) >= 5:
                width, height = height, width
            return PhotoInfo(kind, mime, width, height, _taken(image))


# -- saving for the record -------------------------------------------------------------------------

def _safe_name_part(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9-]+", "_", ascii_text).strip("_-")[:80].strip("_-")


def his_file_stem(patient_name: str, moment: datetime) -> str:
    """`Jansen_Anna_2026-11-24_0915`: safe characters only; aware times in local time."""
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    name = _safe_name_part(patient_name) or "patient"
    return f"{name}_{moment:%Y-%m-%d_%H%M}"


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Convert from the embedded colour profile to sRGB, so the profile need not travel."""
    if not icc_profile:
        return image
    try:
        from PIL import ImageCms

        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"),
                                         outputMode="RGB") or image
    except Exception:  # noqa: BLE001 - an odd profile: keep the pixels as they are
        return image


_ROTATE_CLOCKWISE = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180,
                     270: Image.Transpose.ROTATE_90}


def save_for_his(blobs: BlobStore, sha256: str, folder: Path, patient_name: str,
                 taken_or_received: datetime, rotation: int = 0) -> Path:
    """'Opslaan voor HIS': the photo as a JPEG (quality 90), orientation applied, with no EXIF
    (location, camera, times), XMP, comments or colour profile; named after the patient and
    the date, with `_2`, `_3`... when the name is taken. The folder is made if missing. A
    truncated photo is saved as far as it decodes (the viewer shows it as partial).
    `rotation` (0, 90, 180 or 270 degrees clockwise) is the turn the user gave it on screen."""
    decoded = _decode(blobs, sha256)
    image = _flatten(_to_srgb(decoded.image, decoded.icc_profile))
    if rotation % 360 in _ROTATE_CLOCKWISE:
        image = image.transpose(_ROTATE_CLOCKWISE[rotation % 360])
    clean = Image.frombytes("RGB", image.size, image.tobytes())  # pixels only, no info at all
    buffer = io.BytesIO()
    clean.save(buffer, "JPEG", quality=90, optimize=True)
    payload = buffer.getvalue()

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stem = his_file_stem(patient_name, taken_or_received)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".jpg")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        for counter in range(1, 10_000):
            target = folder / (f"{stem}.jpg" if counter == 1 else f"{stem}_{counter}.jpg")
            if target.exists():
                continue
            try:
                os.link(tmp, target)  # fails if the name was taken meanwhile: never overwrite
            except FileExistsError:
                continue
            except OSError:  # no hard links on this file system (some network shares)
                if target.exists():
                    continue
                os.rename(tmp, target)  # on Windows this, too, refuses an existing name
                return target
            return target
        raise OSError("no free file name")
    finally:
        Path(tmp).unlink(missing_ok=True)


def record_photo_save(engine, attachment_id: int, actor, path_name: str | None = None, *,
                      when: datetime | None = None, workstation: str | None = None) -> None:
    """Audit 'Opslaan voor HIS' (NEN 7513): event "save_photo" on the attachment's e-consult
    and patient, detail {"attachment": id}. The file name holds the patient's name, so it is
    not written to the log (`path_name` is accepted for the caller's convenience only)."""
    from sqlalchemy.orm import Session

    from workbench.services.triage import AuditAction, TriageError, record_audit
    from workbench.store.models import Attachment, Practitioner

    del path_name
    with Session(engine) as session, session.begin():
        for practitioner_id in {actor.user_id, actor.responsible}:
            if session.get(Practitioner, practitioner_id) is None:
                raise TriageError("unknown_user")
        attachment = session.get(Attachment, attachment_id)
        if attachment is None:
            raise ImageError("missing", "no such attachment")
        consult = attachment.message.econsult
        record_audit(session, consult, actor, AuditAction.SAVE_PHOTO,
                     when or datetime.now(UTC), {"attachment": attachment.id},
                     workstation or socket.gethostname())


__all__ = [
    "MAX_PIXELS",
    "DecodedImage",
    "ImageError",
    "ImageKind",
    "PhotoInfo",
    "PhotoPipeline",
    "his_file_stem",
    "record_photo_save",
    "save_for_his",
    "sniff",
]
