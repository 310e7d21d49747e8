from django.core.management.base import BaseCommand

from core.errors import DomainError
from core.services import COMMAND
from surveys.management.commands._common import cycle_get, domain_error_to_command_error, file_read
from surveys.services import invitations_import


class Command(BaseCommand):
    help = (
        "Import invitations for a cycle from a CSV file with columns email,name,ccg_code,lead_role (CCG leads), or "
        "email,name,rater_group,ccg_code,lead_role,area_team_code (any rater group the cycle asks: ccg_code for "
        "leads and practices, area_team_code for patients, local_government and self). "
        "The whole file is checked first; on any problem nothing is written. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True, metavar="YEAR")
        parser.add_argument("path", metavar="PATH.csv")
        parser.add_argument("--send", action="store_true", help="email the invitations not sent before")

    def handle(self, *args, cycle, path, send, **options):
        cycle_obj = cycle_get(cycle)
        try:
            result = invitations_import(cycle=cycle_obj, raw=file_read(path), send=send, actor=COMMAND)
        except DomainError as exc:
            raise domain_error_to_command_error(exc) from None
        self.stdout.write(
            f"{result.rows} rows: {result.invitations_created} invitations created, "
            f"{result.invitations_unchanged} already there, {result.users_created} accounts created, "
            f"{result.emails_queued} emails queued."
        )
