from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.services import COMMAND
from organisations.services import DEFAULT_CSV, OrganisationImportError, organisations_import


class Command(BaseCommand):
    help = "Upsert regions, area teams and CCGs from a CSV file (default: the bundled 2013 list). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_CSV), help="CSV file in the ccgs_2013.csv format")

    def handle(self, *args, path, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            result = organisations_import(raw=file.read_bytes(), actor=COMMAND)
        except OrganisationImportError as exc:
            raise CommandError("Nothing was imported.\n" + "\n".join(exc.problems)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.regions} regions, {result.area_teams} area teams, {result.ccgs} CCGs "
                f"({result.created} created, {result.updated} updated)."
            )
        )
