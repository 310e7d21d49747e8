"""Neutralise text for spreadsheets, so that no exported text can run as a formula (OWASP "CSV injection")."""

# A cell starting with one of these is taken as a formula (or the start of one) by Excel, LibreOffice
# and Google Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
SUPPRESSED_MARKER = "[s]"


def is_formula_like(text: str) -> bool:
    """Return whether a spreadsheet could read ``text`` as a formula."""
    return text.startswith(FORMULA_TRIGGERS)


def neutralise(text: str) -> str:
    """Return ``text`` safe for a CSV cell: a leading formula trigger gets a single quote in front (OWASP).

    The quote is visible in the file and in a spreadsheet: that is the point (the text reads as text).
    """
    return "'" + text if is_formula_like(text) else text
