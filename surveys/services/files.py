"""What the surveys CSV imports share (decoding and the error type come from core.imports)."""

import csv
import io

from core.imports import MSG_NOT_UTF8, ImportFileError, csv_checked, file_decode, length_problem

__all__ = [
    "MSG_MISSING_COLUMNS",
    "MSG_NOT_UTF8",
    "MSG_NO_ROWS",
    "ImportFileError",
    "csv_checked",
    "csv_value_rows",
    "file_decode",
    "length_problem",
]

MSG_MISSING_COLUMNS = "Line 1: missing column(s): {columns}."
MSG_NO_ROWS = "The file has no rows after its header."


def csv_value_rows(
    text: str, *, columns: tuple[str, ...], required: tuple[str, ...]
) -> tuple[list[str], list[tuple[int, dict]]]:
    """Return the header and [(line, {column: stripped value})] of a CSV's non-blank rows (header names
    compared without case or spaces), or refuse the file: a required column missing, a malformed line
    (``csv_checked``), no rows."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportFileError([MSG_MISSING_COLUMNS.format(columns=", ".join(missing))])
    reader.fieldnames = header
    rows = []
    for row in csv_checked(reader):
        values = {c: (row.get(c) or "").strip() for c in columns}
        if any(values.values()):
            rows.append((reader.line_num, values))
    if not rows:
        raise ImportFileError([MSG_NO_ROWS])
    return header, rows
