"""E-consult triage workbench for Dutch GP practices."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("workbench")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0"
