from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from demo.services import demo_results_ensure
from surveys.services.demo import DEMO_LEAD_EMAIL, demo_cycle_ensure


class Command(BaseCommand):
    help = (
        "Set up the local demo (make run): the demo accounts, last year's published results (synthetic) and "
        "this year's open cycle with the demo lead invited. Safe to run again."
    )

    def handle(self, *args, **options):
        call_command("create_demo_users", stdout=self.stdout)
        call_command("seed_framework", stdout=self.stdout)
        last_year = demo_results_ensure(year=timezone.localdate().year - 1)
        self.stdout.write(
            f"The {last_year.year} appraisal is published with {last_year.responses.count()} synthetic responses."
        )
        cycle, _ = demo_cycle_ensure()
        self.stdout.write(f"The {cycle.year} appraisal is {cycle.state}; {DEMO_LEAD_EMAIL} is invited.")
