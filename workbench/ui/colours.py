"""The colours text is drawn in, each with the background it is drawn on, in one place so
that every pair can be checked for contrast (WCAG 2: at least 4.5:1 for text).

Colours are hex strings: stylesheets take them as they are, QColor(name) for brushes.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

MINIMUM_TEXT_CONTRAST = 4.5     # WCAG 2 AA, normal-size text
MINIMUM_GRAPHIC_CONTRAST = 3.0  # WCAG 2 AA, bars and other non-text parts

# -- the light palette's backgrounds that coloured text stands on ------------------------------
BASE = "#ffffff"            # lists, tables, text fields, the thread
ALTERNATE_BASE = "#f7f7f7"  # every other row of a table
WINDOW = "#efefef"          # dialogs and panes (Fusion; Windows' #f0f0f0 is lighter still)
TEXT = "#000000"

# -- hints: placeholders in empty fields, grey explanations ------------------------------------
HINT_TEXT = "#595959"          # on a light palette (7:1 on white; was black at 50%: 4:1 or less)
HINT_TEXT_ON_DARK = "#a6a6a6"  # on a dark palette

# -- coloured text on the palette's backgrounds ------------------------------------------------
ALARM_TEXT = "#b3261e"     # errors, "Not processed", a failed delivery
CAUTION_TEXT = "#8a5a00"   # warnings, a delivery under way
SUCCESS_TEXT = "#2e6b30"   # sent
URGENT_MARK = "#c81e1e"    # the inbox's "!" for an urgent e-consult
ADVICE_MARK = "#a35200"    # the inbox's "!" for urgency advice (dark amber; 220,120,0 was 3.1:1)
PATIENT_AUTHOR = "#1f4e79"  # the name above a message from the patient
PRACTICE_AUTHOR = SUCCESS_TEXT  # the name above a message from the practice
MESSAGE_META = "#555555"   # direction and time beside the name

# -- text on a background of its own -----------------------------------------------------------
HIGHLIGHT_TEXT = "#000000"        # the words that raised urgency advice
HIGHLIGHT_BACKGROUND = "#ffd54f"
WARNING_TEXT = "#5c4400"          # data problems
WARNING_BACKGROUND = "#fff4ce"    # also behind the third-party notice (palette text on it)
WARNING_BORDER = "#e0b000"
BANNER_TEXT = "#ffffff"           # the urgency banner
BANNER_BACKGROUND = ALARM_TEXT
CALL_TEXT = "#5f0b0b"             # "call the patient" line
CALL_BACKGROUND = "#fde7e9"
CALL_BORDER = ALARM_TEXT
PORTAL_TEXT = ALARM_TEXT          # portal unreachable bar
PORTAL_BACKGROUND = "#fdecea"
PORTAL_BORDER = ALARM_TEXT
WAIT_NEAR_BACKGROUND = "#ffd67a"  # the inbox's waiting time near the answer target
WAIT_LATE_BACKGROUND = "#f5a0a0"  # past it
BADGE_TEXT = "#ffffff"            # the letters in a list's badge (the navigation's icons)
BADGE_BACKGROUND = PATIENT_AUTHOR

# -- not text ----------------------------------------------------------------------------------
CHART_BAR = "#2f6690"             # the declarations' time bars

_ON_LIGHT = (BASE, ALTERNATE_BASE, WINDOW)

# Every (text, background) pair the app draws, by name, for the contrast test.
TEXT_PAIRS: tuple[tuple[str, str, str], ...] = (
    *((f"hint on {b}", HINT_TEXT, b) for b in _ON_LIGHT),
    *((f"alarm on {b}", ALARM_TEXT, b) for b in _ON_LIGHT),
    *((f"caution on {b}", CAUTION_TEXT, b) for b in _ON_LIGHT),
    *((f"success on {b}", SUCCESS_TEXT, b) for b in _ON_LIGHT),
    *((f"urgent mark on {b}", URGENT_MARK, b) for b in _ON_LIGHT),
    *((f"advice mark on {b}", ADVICE_MARK, b) for b in _ON_LIGHT),
    *((f"patient author on {b}", PATIENT_AUTHOR, b) for b in _ON_LIGHT),
    *((f"message meta on {b}", MESSAGE_META, b) for b in _ON_LIGHT),
    ("hint on dark", HINT_TEXT_ON_DARK, "#2d2d2d"),
    ("highlighted words", HIGHLIGHT_TEXT, HIGHLIGHT_BACKGROUND),
    ("data problems", WARNING_TEXT, WARNING_BACKGROUND),
    ("third-party notice", TEXT, WARNING_BACKGROUND),
    ("urgency banner", BANNER_TEXT, BANNER_BACKGROUND),
    ("call line", CALL_TEXT, CALL_BACKGROUND),
    ("portal bar", PORTAL_TEXT, PORTAL_BACKGROUND),
    ("waiting near target", TEXT, WAIT_NEAR_BACKGROUND),
    ("waiting late", TEXT, WAIT_LATE_BACKGROUND),
    ("list badge", BADGE_TEXT, BADGE_BACKGROUND),
    ("not processed badge", BADGE_TEXT, ALARM_TEXT),
    ("presence badge, answering", BADGE_TEXT, CAUTION_TEXT),
)

GRAPHIC_PAIRS: tuple[tuple[str, str, str], ...] = (
    ("chart bars", CHART_BAR, BASE),
)


def relative_luminance(colour: QColor | str) -> float:
    """WCAG 2 relative luminance of an opaque sRGB colour (0 black, 1 white)."""
    colour = QColor(colour)

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return (0.2126 * linear(colour.redF()) + 0.7152 * linear(colour.greenF())
            + 0.0722 * linear(colour.blueF()))


def blend(colour: QColor | str, background: QColor | str) -> QColor:
    """What a (half-)transparent colour looks like on an opaque background."""
    front, back = QColor(colour), QColor(background)
    alpha = front.alphaF()
    return QColor.fromRgbF(*(alpha * f + (1 - alpha) * b for f, b in (
        (front.redF(), back.redF()), (front.greenF(), back.greenF()),
        (front.blueF(), back.blueF()))))


def contrast_ratio(text: QColor | str, background: QColor | str) -> float:
    """WCAG 2 contrast ratio (1 to 21) of text drawn on a background."""
    lighter, darker = sorted((relative_luminance(blend(text, background)),
                              relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def hint_colour(text: QColor, *backgrounds: QColor) -> QColor:
    """A grey for hints that is readable on every background given: light or dark palette,
    else the palette's own text colour."""
    for candidate in (HINT_TEXT, HINT_TEXT_ON_DARK):
        if all(contrast_ratio(candidate, b) >= MINIMUM_TEXT_CONTRAST for b in backgrounds):
            return QColor(candidate)
    return QColor(text)
