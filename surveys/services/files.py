"""What the surveys CSV imports share (decoding and the error type come from core.imports)."""

from core.imports import MSG_NOT_UTF8, ImportFileError, csv_checked, file_decode, length_problem

__all__ = [
    "MSG_MISSING_COLUMNS",
    "MSG_NOT_UTF8",
    "MSG_NO_ROWS",
    "ImportFileError",
    "csv_checked",
    "file_decode",
    "length_problem",
]

MSG_MISSING_COLUMNS = "Line 1: missing column(s): {columns}."
MSG_NO_ROWS = "The file has no rows after its header."
