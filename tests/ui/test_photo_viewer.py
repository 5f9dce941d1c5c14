"""Photo viewer: preview first, full resolution at 100%, rotate, browse, compare, save for the HIS."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import QPoint, QPointF, QSize, Qt
from PySide6.QtGui import QWheelEvent
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.services import images
from workbench.services.inbox import AttachmentView
from workbench.store.models import Attachment, AuditEvent
from workbench.ui.photo_viewer import PhotoViewer

FULL = (2400, 1800)
PREVIEW = (800, 600)
RECEIVED = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)


def jpeg(size=FULL, colour=(200, 120, 90), *, taken: str | None = "2025:03:01 10:15:00",
         gps: bool = True) -> bytes:
    picture = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(picture)
    width, height = size
    for step in range(0, width, width // 12):
        draw.rectangle([step, 0, step + width // 48, height], fill=(30, 60, 160))
    draw.ellipse([width // 3, height // 3, width // 2, height // 2], fill=(250, 250, 240))
    exif = Image.Exif()
    exif[0x010F] = "Phone maker"
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken
    if gps:
        exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 5.0, 0.0), 3: "E", 4: (4.0, 53.0, 0.0)})
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=80, exif=exif)
    return out.getvalue()


@pytest.fixture(scope="module")
def big_jpeg() -> bytes:
    return jpeg()


@pytest.fixture
def attachment_ids(synced_engine) -> list[int]:
    with Session(synced_engine) as session:
        return list(session.scalars(select(Attachment.id).order_by(Attachment.id).limit(4)))


@pytest.fixture
def pipeline(ui_context, tmp_path):
    return images.PhotoPipeline(ui_context.blobs, tmp_path / "cache", preview_size=PREVIEW)


@pytest.fixture
def viewer(qtbot, ui_context, pipeline, tmp_path):
    opened = []
    made = PhotoViewer(ui_context, pipeline, export_dir=tmp_path / "his",
                       open_url=opened.append, full_after_idle_ms=None)
    made.opened_urls = opened
    qtbot.addWidget(made)
    made.resize(1000, 760)
    made.show()
    qtbot.waitExposed(made)
    made.activateWindow()
    qtbot.waitUntil(lambda: made.isActiveWindow())
    yield made
    made.close()
    ui_context.tasks.wait_for_done()


def photo(ui_context, attachment_id: int, data: bytes, title: str = "IMG_0001.jpg",
          content_type: str = "image/jpeg", **context) -> AttachmentView:
    sha256 = ui_context.blobs.put(data)
    return AttachmentView(attachment_id, title, content_type, sha256, len(data), None,
                          **context)


def shown(qtbot, viewer) -> None:
    qtbot.waitUntil(lambda: viewer.canvas.has_image() and viewer.canvas.isVisible())


def test_opens_with_the_preview_and_100_percent_brings_the_full_resolution(
        qtbot, viewer, ui_context, big_jpeg, attachment_ids):
    viewer.show_photos([photo(ui_context, attachment_ids[0], big_jpeg)], 0, "J. de Vries",
                       RECEIVED)
    shown(qtbot, viewer)
    canvas = viewer.canvas
    assert canvas.displayed_pixels() == QSize(*PREVIEW)
    assert not canvas.showing_full()
    assert canvas.image_size() == QSize(*FULL)
    assert canvas.zoom() < 0.5  # fitted: the whole photo is in the window
    assert viewer.title_label.text() == "IMG_0001.jpg"
    assert viewer.position_label.text() == "1 of 1"
    assert viewer.taken_label.text() == "taken 01-03-2025 10:15"
    assert "J. de Vries" not in viewer.windowTitle()

    centre = canvas.centre()
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_1)
    assert canvas.zoom() == pytest.approx(1.0)
    qtbot.waitUntil(canvas.showing_full)
    assert canvas.displayed_pixels() == QSize(*FULL)
    assert canvas.centre().x() == pytest.approx(centre.x(), abs=0.01)
    assert canvas.centre().y() == pytest.approx(centre.y(), abs=0.01)

    qtbot.keyClick(viewer, Qt.Key.Key_0)
    assert canvas.zoom() < 0.5 and canvas.is_fitted()


def test_zoom_keys_and_the_wheel_zoom_around_the_cursor(qtbot, viewer, ui_context, big_jpeg,
                                                        attachment_ids):
    viewer.show_photos([photo(ui_context, attachment_ids[0], big_jpeg)], 0, "J. de Vries",
                       RECEIVED)
    shown(qtbot, viewer)
    canvas = viewer.canvas
    fitted = canvas.zoom()
    qtbot.keyClick(viewer, Qt.Key.Key_Plus)
    assert canvas.zoom() > fitted
    qtbot.keyClick(viewer, Qt.Key.Key_Minus)
    assert canvas.zoom() == pytest.approx(fitted)

    canvas.set_zoom(0.5)
    qtbot.waitUntil(canvas.showing_full)  # the preview's pixels are bigger than the screen's
    spot = QPoint(canvas.viewport().width() // 4, canvas.viewport().height() // 4)
    under = canvas.mapToScene(spot)
    wheel = QWheelEvent(QPointF(spot), QPointF(canvas.viewport().mapToGlobal(spot)), QPoint(0, 0),
                        QPoint(0, 120), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    canvas.wheelEvent(wheel)
    assert canvas.zoom() > 0.5
    after = canvas.mapToScene(spot)
    assert after.x() == pytest.approx(under.x(), abs=3)
    assert after.y() == pytest.approx(under.y(), abs=3)


def test_rotating_turns_the_photo(qtbot, viewer, ui_context, big_jpeg, attachment_ids):
    viewer.show_photos([photo(ui_context, attachment_ids[0], big_jpeg)], 0, "J. de Vries",
                       RECEIVED)
    shown(qtbot, viewer)
    canvas = viewer.canvas
    qtbot.keyClick(viewer, Qt.Key.Key_R)
    assert canvas.rotation() == 90
    assert canvas.image_size() == QSize(FULL[1], FULL[0])
    qtbot.keyClick(viewer, Qt.Key.Key_R, Qt.KeyboardModifier.ShiftModifier)
    assert canvas.rotation() == 0
    assert canvas.image_size() == QSize(*FULL)
    viewer.rotate_left_action.trigger()
    assert canvas.rotation() == 270
    assert canvas.image_size() == QSize(FULL[1], FULL[0])


def test_next_and_previous_stop_at_the_ends(qtbot, viewer, ui_context, attachment_ids):
    photos = [photo(ui_context, attachment_ids[n], jpeg((640, 480), (40 * n, 90, 90)),
                    f"foto{n + 1}.jpg") for n in range(3)]
    viewer.show_photos(photos, 1, "J. de Vries", RECEIVED)
    shown(qtbot, viewer)
    assert viewer.position_label.text() == "2 of 3"
    assert viewer.windowTitle() == "Photo 2 of 3"
    viewer.canvas.setFocus()  # the photo has the focus: arrows still browse, not scroll
    qtbot.keyClick(viewer.canvas, Qt.Key.Key_Right)
    assert viewer.title_label.text() == "foto3.jpg"
    assert not viewer.next_action.isEnabled()
    qtbot.keyClick(viewer, Qt.Key.Key_Right)
    assert viewer.position_label.text() == "3 of 3"
    qtbot.keyClick(viewer, Qt.Key.Key_PageUp)
    qtbot.keyClick(viewer, Qt.Key.Key_Left)
    assert viewer.position_label.text() == "1 of 3"
    assert not viewer.previous_action.isEnabled()
    qtbot.keyClick(viewer, Qt.Key.Key_Left)
    assert viewer.title_label.text() == "foto1.jpg"
    shown(qtbot, viewer)
    qtbot.keyClick(viewer, Qt.Key.Key_PageDown)
    assert viewer.title_label.text() == "foto2.jpg"
    shown(qtbot, viewer)
    # a small photo is its own preview: it is at full resolution at once
    assert viewer.canvas.showing_full()


def test_compare_shows_an_earlier_photo_with_linked_zoom_and_pan(qtbot, viewer, ui_context,
                                                                 big_jpeg, attachment_ids):
    now = photo(ui_context, attachment_ids[0], big_jpeg)
    before = [photo(ui_context, attachment_ids[1], jpeg(colour=(90, 200, 90)), "arm.jpg"),
              photo(ui_context, attachment_ids[2], jpeg((1200, 900), (90, 90, 200)), "hand.jpg")]
    viewer.show_photos([now], 0, "J. de Vries", RECEIVED,
                       earlier=[("12-01-2025 Eczema", before)])
    shown(qtbot, viewer)
    assert not viewer.comparing()
    qtbot.keyClick(viewer, Qt.Key.Key_C)
    assert viewer.comparing()
    assert viewer.earlier_combo.count() == 2
    assert viewer.earlier_combo.itemText(0) == "12-01-2025 Eczema – arm.jpg"
    qtbot.waitUntil(viewer.compare_canvas.has_image)

    viewer.canvas.set_zoom(0.8)
    assert viewer.compare_canvas.zoom() == pytest.approx(0.8)
    bar = viewer.canvas.horizontalScrollBar()
    bar.setValue(bar.minimum())
    assert viewer.compare_canvas.centre().x() == pytest.approx(viewer.canvas.centre().x(),
                                                               abs=0.01)
    assert viewer.compare_canvas.centre().x() < 0.4

    # and the other way round
    viewer.compare_canvas.set_zoom(0.6)
    assert viewer.canvas.zoom() == pytest.approx(0.6)

    viewer.earlier_combo.setCurrentIndex(1)
    qtbot.waitUntil(lambda: viewer.compare_canvas.image_size() == QSize(1200, 900))
    qtbot.keyClick(viewer, Qt.Key.Key_C)
    assert not viewer.comparing()


def test_save_for_his_writes_a_jpeg_without_exif_and_logs_it(qtbot, viewer, ui_context,
                                                            big_jpeg, attachment_ids, tmp_path):
    viewer.show_photos([photo(ui_context, attachment_ids[0], big_jpeg)], 0, "J. de Vries",
                       RECEIVED)
    shown(qtbot, viewer)
    with Session(ui_context.engine) as session:
        events_before = session.scalar(select(func.count()).select_from(AuditEvent))
    with qtbot.waitSignal(viewer.saved, timeout=10_000) as saved:
        qtbot.keyClick(viewer, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    attachment_id, name = saved.args
    assert attachment_id == attachment_ids[0]
    files = list((tmp_path / "his").iterdir())
    assert [f.name for f in files] == [name]
    assert name in viewer.statusBar().currentMessage()
    with Image.open(files[0]) as saved_image:
        assert saved_image.format == "JPEG"
        assert saved_image.size == FULL
        assert not saved_image.getexif()
    with Session(ui_context.engine) as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == events_before + 1
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert event.user_id == ui_context.user.id


def test_export_folder_comes_from_the_settings(qtbot, ui_context, pipeline, tmp_path):
    ui_context.settings = ui_context.settings.replace(photo_export_dir=str(tmp_path / "x"))
    made = PhotoViewer(ui_context, pipeline)
    qtbot.addWidget(made)
    assert made.export_dir() == tmp_path / "x"


def test_a_refused_file_is_named_not_shown(qtbot, viewer, ui_context, attachment_ids):
    refused = photo(ui_context, attachment_ids[0], b"MZ\x90\x00 not a photo at all" * 20,
                    "setup.exe", "application/octet-stream")
    viewer.show_photos([refused], 0, "J. de Vries", RECEIVED)
    qtbot.waitUntil(lambda: viewer.note() != "")
    assert viewer.note() == "This file is not a photo and is not shown"
    assert not viewer.canvas.has_image()
    assert not viewer.save_action.isEnabled()
    assert not viewer.open_button.isVisible()


def test_a_document_opens_in_the_system_viewer(qtbot, viewer, ui_context, attachment_ids):
    pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    viewer.show_photos([photo(ui_context, attachment_ids[0], pdf, "brief.pdf",
                              "application/pdf")], 0, "J. de Vries", RECEIVED)
    qtbot.waitUntil(lambda: viewer.open_button.isVisible())
    qtbot.mouseClick(viewer.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(viewer.opened_urls) == 1)
    opened = Path(viewer.opened_urls[0].toLocalFile())
    assert opened.read_bytes() == pdf
    assert opened.suffix == ".pdf"


def test_a_photo_without_a_date_says_so_and_a_cut_off_one_warns(qtbot, viewer, ui_context,
                                                               attachment_ids):
    whole = jpeg((900, 700), taken=None, gps=False)
    viewer.show_photos([photo(ui_context, attachment_ids[0], whole),
                        photo(ui_context, attachment_ids[1], whole[: len(whole) // 2])],
                       0, "J. de Vries", RECEIVED)
    shown(qtbot, viewer)
    assert viewer.taken_label.text() == "date taken unknown"
    assert viewer.note() == ""
    qtbot.keyClick(viewer, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: viewer.note() != "")
    assert viewer.note() == "Only part of this photo could be read"
    assert viewer.canvas.has_image()


def test_full_screen_and_back(qtbot, viewer, ui_context, big_jpeg, attachment_ids):
    viewer.show_photos([photo(ui_context, attachment_ids[0], big_jpeg)], 0, "J. de Vries",
                       RECEIVED)
    qtbot.keyClick(viewer, Qt.Key.Key_F11)
    qtbot.waitUntil(viewer.isFullScreen)
    qtbot.keyClick(viewer, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not viewer.isFullScreen())


def test_a_phone_photo_taken_upright_is_shown_upright(qtbot, viewer, ui_context,
                                                      attachment_ids):
    picture = Image.new("RGB", (1600, 1200), (120, 80, 60))
    exif = Image.Exif()
    exif[0x0112] = 6  # stored on its side; shown turned 90° clockwise
    out = io.BytesIO()
    picture.save(out, "JPEG", exif=exif)
    viewer.show_photos([photo(ui_context, attachment_ids[0], out.getvalue())], 0, "J. de Vries",
                       RECEIVED)
    shown(qtbot, viewer)
    assert viewer.canvas.image_size() == QSize(1200, 1600)
    assert viewer.canvas.displayed_pixels() == QSize(450, 600)  # preview within 800x600
    qtbot.keyClick(viewer, Qt.Key.Key_1)
    qtbot.waitUntil(viewer.canvas.showing_full)
    assert viewer.canvas.displayed_pixels() == QSize(1200, 1600)


def test_dragging_pans_the_photo(qtbot, viewer, ui_context, big_jpeg, attachment_ids):
    viewer.show_photos([photo(ui_context, attachment_ids[0], big_jpeg)], 0, "J. de Vries",
                       RECEIVED)
    shown(qtbot, viewer)
    canvas = viewer.canvas
    canvas.actual_size()
    before = canvas.centre()
    middle = canvas.viewport().rect().center()
    qtbot.mousePress(canvas.viewport(), Qt.MouseButton.LeftButton, pos=middle)
    qtbot.mouseMove(canvas.viewport(), middle - QPoint(120, 60))
    qtbot.mouseRelease(canvas.viewport(), Qt.MouseButton.LeftButton, pos=middle - QPoint(120, 60))
    after = canvas.centre()
    assert after.x() * FULL[0] == pytest.approx(before.x() * FULL[0] + 120, abs=2)
    assert after.y() * FULL[1] == pytest.approx(before.y() * FULL[1] + 60, abs=2)


def test_the_header_says_whose_photo_it_is_and_when_it_was_sent(qtbot, viewer, ui_context,
                                                                 attachment_ids):
    sent = datetime(2025, 3, 2, 14, 5, tzinfo=UTC)
    photos = [photo(ui_context, attachment_ids[0], jpeg((640, 480)), sent_at=sent,
                    patient_birth_date=date(1980, 5, 12)),
              photo(ui_context, attachment_ids[1], jpeg((640, 480)), "foto2.jpg")]
    viewer.show_photos(photos, 0, "J. de Vries", RECEIVED)
    assert viewer.patient_label.text() == "J. de Vries, born 12-05-1980"
    assert viewer.sent_label.text() == f"sent {sent.astimezone():%d-%m-%Y %H:%M}"
    assert viewer.header_text().startswith("J. de Vries, born 12-05-1980 – sent ")
    assert "J. de Vries" not in viewer.windowTitle()  # the taskbar does not name the patient
    qtbot.keyClick(viewer, Qt.Key.Key_Right)
    # a photo without its own sent time: the e-consult's
    assert viewer.sent_label.text() == f"sent {RECEIVED.astimezone():%d-%m-%Y %H:%M}"

    viewer.show_photos(photos[1:], 0, "A. Jansen", RECEIVED, birth_date=date(2001, 1, 2))
    assert viewer.patient_label.text() == "A. Jansen, born 02-01-2001"
    viewer.show_photos(photos[1:], 0, "A. Jansen", RECEIVED)
    assert viewer.patient_label.text() == "A. Jansen, born unknown"


def test_the_consult_detail_gives_each_photo_its_patient_and_sent_time(ui_context,
                                                                       synced_engine):
    with Session(synced_engine) as session:
        first = session.scalars(select(Attachment).order_by(Attachment.id)).first()
        econsult_id = first.message.econsult_id
    detail = ui_context.queries.detail(econsult_id)
    message = next(m for m in detail.messages if m.attachments)
    attachment = message.attachments[0]
    assert attachment.sent_at == message.sent_at
    assert attachment.patient_name == detail.patient_name
    assert attachment.patient_birth_date == detail.patient_birth_date


def test_esc_closes_the_viewer_and_in_full_screen_leaves_full_screen_first(
        qtbot, viewer, ui_context, big_jpeg, attachment_ids):
    viewer.show_photos([photo(ui_context, attachment_ids[0], big_jpeg)], 0, "J. de Vries",
                       RECEIVED)
    qtbot.keyClick(viewer, Qt.Key.Key_F11)
    qtbot.waitUntil(viewer.isFullScreen)
    qtbot.keyClick(viewer, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not viewer.isFullScreen())
    assert viewer.isVisible()
    qtbot.keyClick(viewer, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not viewer.isVisible())


def test_save_for_his_keeps_the_rotation_and_names_the_full_path(qtbot, viewer, ui_context,
                                                                big_jpeg, attachment_ids,
                                                                tmp_path):
    viewer.show_photos([photo(ui_context, attachment_ids[0], big_jpeg)], 0, "J. de Vries",
                       RECEIVED)
    shown(qtbot, viewer)
    qtbot.keyClick(viewer, Qt.Key.Key_R)
    assert viewer.canvas.rotation() == 90
    with qtbot.waitSignal(viewer.saved, timeout=10_000) as saved:
        viewer.save_action.trigger()
    path = tmp_path / "his" / saved.args[1]
    assert str(path) in viewer.statusBar().currentMessage()
    with Image.open(path) as saved_image:
        assert saved_image.size == (FULL[1], FULL[0])
        # turned clockwise: the photo's top-left corner (a blue stripe) is now top-right
        red, _green, blue = saved_image.convert("RGB").getpixel((FULL[1] - 3, 2))
        assert blue > 120 and red < 90
