from django.core.management.base import BaseCommand

from core.errors import DomainError
from core.services import COMMAND
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
        parser.add_argument(
            "--replace-drafts",
            action="store_true",
            help="Replace the answers a lead saved on the web (but did not submit) with the file's; without it, "
            "the file check names each such lead and nothing is written.",
        )

    def handle(self, *args, cycle, path, replace_drafts, **options):
        cycle_obj = cycle_get(cycle)
        try:
            result = responses_import(
                cycle=cycle_obj, raw=file_read(path), replace_drafts=replace_drafts, actor=COMMAND
            )
        except DomainError as exc:
            raise domain_error_to_command_error(exc) from None
        self.stdout.write(f"Imported {result.responses} submitted responses with {result.answers} answers.")
