"""What every CSV import shares: decoding, and the one error that lists every problem in a file."""

import csv

from core.errors import DETAILS_SHOWN, DomainError

MSG_NOT_UTF8 = "The file is not UTF-8 text (line {line}). Save it as UTF-8 CSV and try again."
MSG_NUL = "Line {line}: the file contains a NUL character, which cannot be stored. Remove it and try again."
MSG_TOO_LONG = 'Line {line}, column {column} ("{name}"): {length} characters; this column holds at most {limit}.'
MSG_CSV = "Line {line}: the file cannot be read as CSV ({error}). Check the quoting on this line."
MSG_PROBLEMS = "{count} problems in the file."
MSG_PROBLEMS_MORE = "{count} problems in the file; the first {shown} are listed."
MSG_MORE = "… and {more} more problems ({count} in all)."


class ImportFileError(DomainError):
    """The file was refused and nothing was written.

    ``problems`` lists the first ``DETAILS_SHOWN`` problems, each naming its line, then (if there were more)
    a last line saying how many more; ``details_total`` counts them all.
    """

    def __init__(self, problems: list[str]):
        count = len(problems)
        if count == 1:
            message = problems[0]
        elif count > DETAILS_SHOWN:
            message = MSG_PROBLEMS_MORE.format(count=count, shown=DETAILS_SHOWN)
        else:
            message = MSG_PROBLEMS.format(count=count)
        super().__init__(message, code="invalid_file", details=problems)
        self.problems = list(self.details)
        if count > DETAILS_SHOWN:
            self.problems.append(MSG_MORE.format(more=count - DETAILS_SHOWN, count=count))


def length_problem(*, line: int, column: int, name: str, value: str, limit: int) -> str | None:
    """Return the problem of a value longer than its column holds (naming line and column), or None."""
    if len(value) <= limit:
        return None
    return MSG_TOO_LONG.format(line=line, column=column, name=name, length=len(value), limit=limit)


def file_decode(raw: bytes) -> str:
    """Return the file's text (UTF-8, with or without a byte order mark) or refuse it, naming the line."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFileError([MSG_NOT_UTF8.format(line=line)]) from None
    nul = text.find("\x00")
    if nul >= 0:
        # PostgreSQL text cannot hold it: refuse the file before anything reaches the database.
        raise ImportFileError([MSG_NUL.format(line=text.count("\n", 0, nul) + 1)])
    return text


def csv_checked(reader):
    """Yield the rows of a ``csv`` reader, refusing the file (naming the line) where the csv module cannot read it."""
    try:
        yield from reader
    except csv.Error as exc:
        # The reader has not counted the line it failed on.
        raise ImportFileError([MSG_CSV.format(line=reader.line_num + 1, error=exc)]) from None
