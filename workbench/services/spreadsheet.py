"""CSV files that practices open in Excel or LibreOffice: semicolons (Dutch locale), UTF-8 with
BOM, and no cell a spreadsheet takes for a formula (CSV injection, OWASP): a name such as
"=HYPERLINK(...)" typed into the portal would otherwise run when the file is opened."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """The cell's text, with a leading ' when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    """Header and rows as CSV text (no BOM: the writer of the file adds it), every cell safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()
