from django.core.management.base import BaseCommand

from core.errors import DomainError
from surveys.management.commands._common import cycle_get, domain_error_to_command_error, file_read
from surveys.services import responses_import


class Command(BaseCommand):
    help = (
        "Import a contractor's submitted responses for a cycle from CSV: email, optional submitted_at, then one "
        "column per question code (5..1, DK or empty; text for comments). On any problem nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True, metavar="YEAR")
        parser.add_argument("path", metavar="PATH.csv")

    def handle(self, *args, cycle, path, **options):
        cycle_obj = cycle_get(cycle)
        try:
            result = responses_import(cycle=cycle_obj, raw=file_read(path))
        except DomainError as exc:
            raise domain_error_to_command_error(exc) from None
        self.stdout.write(f"Imported {result.responses} submitted responses with {result.answers} answers.")
