"""The malloc arena cap that keeps a long pull's memory flat (glibc only)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from workbench import heap

GLIBC = sys.platform.startswith("linux") and "glibc" in " ".join(
    __import__("platform").libc_ver()).lower()


@pytest.mark.skipif(not GLIBC, reason="glibc's mallopt")
def test_the_cap_is_applied_in_a_fresh_process():
    out = subprocess.run([sys.executable, "-c",
                          "from workbench.heap import limit_malloc_arenas as f; print(f())"],
                         capture_output=True, text=True, check=True,
                         env={"PATH": "/usr/bin:/bin"}).stdout
    assert out.strip() == "True"


def test_an_explicit_setting_wins(monkeypatch):
    monkeypatch.setenv("MALLOC_ARENA_MAX", "8")
    assert heap.limit_malloc_arenas() is False


def test_other_systems_are_left_alone(monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    assert heap.limit_malloc_arenas() is False
