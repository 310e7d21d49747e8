"""Build one file of the annual report synchronously, with the same renderer the export task uses."""

import hashlib
import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exports.models import ExportFormat
from exports.services import export_render
from surveys.models import Cycle


class Command(BaseCommand):
    help = "Write the annual report of a cycle as PDF, XLSX, CSV or respondent-level CSV; print its SHA-256."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True, help="the appraisal year, e.g. 2013")
        parser.add_argument("--format", choices=ExportFormat.values, required=True)
        parser.add_argument("--output", type=Path, required=True, help="the file to write")

    def handle(self, *args, cycle: int, format: str, output: Path, **options):
        found = Cycle.objects.filter(year=cycle).first()
        if found is None:
            raise CommandError(f"There is no appraisal for {cycle}.")
        buffer = io.BytesIO()
        try:
            export_render(cycle=found, format=format, out=buffer)
        except ValueError as error:
            raise CommandError(str(error)) from error
        content = buffer.getvalue()
        output.write_bytes(content)
        digest = hashlib.sha256(content).hexdigest()
        self.stdout.write(f"{digest}  {output}")
