"""Readable text: every text colour against its background at 4.5:1 or more (WCAG 2), the
application palette's text and placeholders too, and a default font of at least 10 points
that follows the system's scaling."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from workbench.ui import colours
from workbench.ui.app import (
    MINIMUM_POINT_SIZE,
    apply_readable_defaults,
    readable_font,
    readable_palette,
)

UI = Path(__file__).resolve().parents[2] / "workbench" / "ui"
Role = QPalette.ColorRole
GROUPS = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled)


def test_the_formula_matches_wcag():
    assert colours.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert colours.contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert colours.contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    # The old amber "!" and the old placeholder (black at half strength) fail.
    assert colours.contrast_ratio(QColor(220, 120, 0), "#ffffff") < 4.5
    assert colours.contrast_ratio(QColor(0, 0, 0, 128), "#ffffff") < 4.5


@pytest.mark.parametrize(("name", "text", "background"), colours.TEXT_PAIRS,
                         ids=[pair[0] for pair in colours.TEXT_PAIRS])
def test_every_text_colour_is_readable_on_its_background(name, text, background):
    assert colours.contrast_ratio(text, background) >= colours.MINIMUM_TEXT_CONTRAST, name


@pytest.mark.parametrize(("name", "colour", "background"), colours.GRAPHIC_PAIRS,
                         ids=[pair[0] for pair in colours.GRAPHIC_PAIRS])
def test_graphics_stand_out_from_their_background(name, colour, background):
    assert colours.contrast_ratio(colour, background) >= colours.MINIMUM_GRAPHIC_CONTRAST, name


def test_the_list_of_pairs_covers_the_colours_text_is_drawn_in():
    named = {value for key, value in vars(colours).items()
             if key.isupper() and isinstance(value, str) and value.startswith("#")}
    used = {c for _name, text, background in colours.TEXT_PAIRS + colours.GRAPHIC_PAIRS
            for c in (text, background)}
    borders = {colours.WARNING_BORDER}  # a border only, no text on it
    assert named - used - borders == set()


def test_no_colour_is_written_out_outside_colours_py():
    """One place for colours, so the pairs above are the ones on screen."""
    hex_colour = re.compile(r"#[0-9a-fA-F]{6}\b|QColor\(\s*\d")
    found = [f"{path.name}:{number}" for path in sorted(UI.glob("*.py"))
             if path.name != "colours.py"
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if not line.lstrip().startswith("#") and hex_colour.search(line)]
    assert found == []


def _assert_readable(palette: QPalette) -> None:
    for group in GROUPS:
        for text in (Role.Text, Role.PlaceholderText, Role.WindowText):
            for background in (Role.Base, Role.Window):
                ratio = colours.contrast_ratio(palette.color(group, text),
                                               palette.color(group, background))
                assert ratio >= colours.MINIMUM_TEXT_CONTRAST, (group, text, background, ratio)


def test_the_application_palette_is_readable(qapp):
    _assert_readable(readable_palette(qapp.palette()))


def test_grey_hints_and_placeholders_of_a_pale_palette_become_readable():
    pale = QPalette(QColor("#efefef"))
    for group in GROUPS:
        pale.setColor(group, Role.Base, QColor("#ffffff"))
        pale.setColor(group, Role.Window, QColor("#f0f0f0"))
        pale.setColor(group, Role.PlaceholderText, QColor("#c8c8c8"))  # about 1.6:1
    pale.setColor(QPalette.ColorGroup.Disabled, Role.WindowText, QColor("#bebebe"))
    pale.setColor(QPalette.ColorGroup.Disabled, Role.Text, QColor("#bebebe"))
    readable = readable_palette(pale)
    _assert_readable(readable)
    assert readable.color(Role.PlaceholderText) == QColor(colours.HINT_TEXT)
    assert readable.color(Role.Text) == pale.color(Role.Text)  # typed text left alone


def test_a_dark_palette_gets_a_light_hint_colour():
    dark = QPalette(QColor("#2d2d2d"))
    for group in GROUPS:
        dark.setColor(group, Role.Base, QColor("#1e1e1e"))
        dark.setColor(group, Role.Text, QColor("#ffffff"))
        dark.setColor(group, Role.WindowText, QColor("#ffffff"))
        dark.setColor(group, Role.PlaceholderText, QColor(255, 255, 255, 60))
    readable = readable_palette(dark)
    _assert_readable(readable)
    assert readable.color(Role.PlaceholderText) == QColor(colours.HINT_TEXT_ON_DARK)


@pytest.mark.parametrize(("points", "expected"), [(8.0, 10.0), (9.0, 10.0), (10.0, 10.0),
                                                   (12.0, 12.0), (13.5, 13.5)])
def test_a_small_platform_font_is_raised_to_ten_points_a_scaled_one_kept(points, expected):
    font = QFont("Sans Serif")
    font.setPointSizeF(points)
    readable = readable_font(font, 96.0)
    assert readable.pointSizeF() == pytest.approx(expected)
    assert readable.pixelSize() == -1  # points, so the system's DPI and scaling apply
    assert readable.family() == font.family()


@pytest.mark.parametrize(("pixels", "dpi", "expected"), [(11, 96.0, 10.0), (12, 144.0, 10.0),
                                                        (20, 96.0, None)])
def test_a_font_given_in_pixels_is_measured_in_points(pixels, dpi, expected):
    font = QFont("Sans Serif")
    font.setPixelSize(pixels)
    readable = readable_font(font, dpi)
    if expected is None:  # 15 points already
        assert readable.pixelSize() == pixels
    else:
        assert readable.pointSizeF() == pytest.approx(expected)


def test_the_application_gets_the_readable_font_and_palette(qapp):
    font, palette = QFont(qapp.font()), QPalette(qapp.palette())
    small = QFont(font)
    small.setPointSizeF(8.0)
    qapp.setFont(small)
    try:
        apply_readable_defaults(qapp)
        assert QApplication.font().pointSizeF() >= MINIMUM_POINT_SIZE
        _assert_readable(QApplication.palette())
    finally:
        qapp.setFont(font)
        qapp.setPalette(palette)
