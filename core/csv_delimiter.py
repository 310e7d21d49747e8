"""Tell a person whose "CSV" file is not comma-separated what it is separated by, before any import reads it.

Spreadsheets set to a European locale save "CSV" with semicolons; others save tab-separated text.
Without this the import reports every column as missing, which does not say what to do.
"""

MSG_WRONG_DELIMITER = (
    "This file uses {name} to separate its columns, not commas. Save it as comma-separated values (CSV) and "
    "upload it again."
)
_OTHERS = {";": "semicolons", "\t": "tabs", "|": "vertical bars (|)"}


def csv_delimiter_problem(raw: bytes) -> str | None:
    """Return what to tell the uploader if the file's header is separated by something other than commas."""
    header = raw[:4096].decode("utf-8-sig", errors="replace").splitlines()[:1]
    if not header:
        return None
    header = header[0]
    counts = {delimiter: header.count(delimiter) for delimiter in _OTHERS}
    found, count = max(counts.items(), key=lambda item: item[1])
    if count and header.count(",") < count:
        return MSG_WRONG_DELIMITER.format(name=_OTHERS[found])
    return None
