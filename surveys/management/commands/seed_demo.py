from django.core.management import call_command
from django.core.management.base import BaseCommand

from surveys.services.demo import DEMO_LEAD_EMAIL, demo_cycle_ensure


class Command(BaseCommand):
    help = "Set up the local demo (make run): the demo accounts, the framework and an open cycle. Safe to run again."

    def handle(self, *args, **options):
        call_command("create_demo_users", stdout=self.stdout)
        call_command("seed_framework", stdout=self.stdout)
        cycle, _ = demo_cycle_ensure()
        self.stdout.write(
            f"The {cycle.year} appraisal is {cycle.state}; {DEMO_LEAD_EMAIL} is invited "
            f"(API: /api/v1/cycles/{cycle.year}/my-response/)."
        )
