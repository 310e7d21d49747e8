from django.core.management.base import BaseCommand, CommandError

from accounts.services import DEMO_PASSWORD, demo_accounts_ensure
from organisations.models import CCG


class Command(BaseCommand):
    help = "Create (or reset) the local demo accounts: a lead, an analyst, an admin and an area team member."

    def handle(self, *args, **options):
        if not CCG.objects.exists():
            raise CommandError("Import the organisations first: python manage.py import_organisations")
        self.stdout.write("Demo accounts (for local use only), all with the password " + DEMO_PASSWORD + ":")
        for account, created in demo_accounts_ensure():
            where = account.ccg_code or account.area_team_code or "NHSCC"
            self.stdout.write(f"  {account.role:<17} {account.email:<26} {where}{'  (created)' if created else ''}")
