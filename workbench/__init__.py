"""E-consult triage workbench for Dutch GP practices."""

# The one version: pyproject.toml reads it from here (setuptools' dynamic version), and
# `workbench --version` and the About box show it without reading the installed metadata,
# which costs start-up time.
__version__ = "0.1.0"
