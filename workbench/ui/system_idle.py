"""How long the whole desktop has gone without keyboard or mouse, where the system says so:
someone typing in the HIS beside Workbench is at the desk, and Workbench should not lock."""

from __future__ import annotations

import sys


def system_idle_seconds() -> float | None:
    """Seconds since the last input anywhere on the desktop; None where the system does not
    report it (then only Workbench's own input counts)."""
    if sys.platform != "win32":
        return None
    import ctypes
    from ctypes import wintypes

    class LastInputInfo(ctypes.Structure):
        _fields_ = [("cbSize", wintypes.UINT), ("dwTime", wintypes.DWORD)]

    info = LastInputInfo()
    info.cbSize = ctypes.sizeof(LastInputInfo)
    if not ctypes.windll.user32.GetLastInputInfo(ctypes.byref(info)):  # type: ignore[attr-defined]
        return None
    now = ctypes.windll.kernel32.GetTickCount()  # type: ignore[attr-defined]
    # Both are milliseconds since start-up in 32 bits: the difference wraps like they do.
    return ((now - info.dwTime) & 0xFFFFFFFF) / 1000.0
