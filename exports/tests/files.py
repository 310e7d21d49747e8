"""The annual report's files as tests build and read them back."""

import csv
import io
import subprocess
from pathlib import Path

from exports.services import export_render
from scorecards.tests.factories import current_rows


def build(cycle, format: str) -> bytes:
    out = io.BytesIO()
    export_render(cycle=cycle, format=format, out=out)
    return out.getvalue()


def csv_records(raw: bytes) -> list[dict]:
    lines = [line for line in raw.decode("utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


def pdf_text(raw: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(raw)
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True)  # noqa: S603, S607
    return result.stdout


def suppressed_keys(cycle) -> set[tuple]:
    return set(
        current_rows(cycle).filter(suppressed=True).values_list("level", "org_code", "kind", "code", "rater_group")
    )
