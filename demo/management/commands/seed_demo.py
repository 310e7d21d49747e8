from django.core.management import call_command
from django.core.management.base import BaseCommand

from demo.services import DEMO_LEAD_EMAIL, demo_fieldwork_ensure, demo_results_ensure

# The real years: 2013's appraisal (published) and 2014's (in fieldwork), with 2013's organisations.
PUBLISHED_YEAR, OPEN_YEAR = 2013, 2014


class Command(BaseCommand):
    help = (
        "Set up the local demo (make run): the demo accounts, 2013's published results (synthetic) and "
        "2014's open cycle with every CCG's three leads invited and fieldwork under way. Safe to run again."
    )

    def handle(self, *args, **options):
        call_command("create_demo_users", stdout=self.stdout)
        call_command("seed_framework", stdout=self.stdout)
        last_year = demo_results_ensure(year=PUBLISHED_YEAR)
        self.stdout.write(
            f"The {last_year.year} appraisal is published with {last_year.responses.count()} synthetic responses."
        )
        cycle = demo_fieldwork_ensure(year=OPEN_YEAR)
        submitted = cycle.invitations.filter(submitted_at__isnull=False).count()
        self.stdout.write(
            f"The {cycle.year} appraisal is {cycle.state}: {cycle.invitations.count()} leads invited, "
            f"{submitted} submitted; {DEMO_LEAD_EMAIL} is invited."
        )
