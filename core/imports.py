"""What every CSV import shares: decoding, and the one error that lists every problem in a file."""

from core.errors import DomainError

MSG_NOT_UTF8 = "The file is not UTF-8 text (line {line}). Save it as UTF-8 CSV and try again."


class ImportFileError(DomainError):
    """The file was refused and nothing was written; ``problems`` lists every problem, each with its line."""

    def __init__(self, problems: list[str]):
        super().__init__(
            problems[0] if len(problems) == 1 else f"{len(problems)} problems in the file.",
            code="invalid_file",
            details=problems,
        )
        self.problems = problems


def file_decode(raw: bytes) -> str:
    """Return the file's text (UTF-8, with or without a byte order mark) or refuse it, naming the line."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFileError([MSG_NOT_UTF8.format(line=line)]) from None
