import time

from django.core.management.base import BaseCommand, CommandError

from scorecards.services import scorecards_publish, scorecards_recompute
from surveys.models import Cycle


class Command(BaseCommand):
    help = "Recompute a cycle's scorecards from all its submitted answers, and publish them."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True, help="The cycle's year")
        parser.add_argument(
            "--rescore", action="store_true", help="Also recompute every response's behaviour and role scores"
        )

    def handle(self, *args, cycle, rescore, **options):
        found = Cycle.objects.filter(year=cycle).first()
        if found is None:
            raise CommandError(f"There is no cycle for {cycle}.")
        started = time.monotonic()
        version = scorecards_recompute(cycle_id=found.pk, rescore=rescore)
        scorecard_set = scorecards_publish(cycle_id=found.pk, force=True)
        if scorecard_set is None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Recomputed {cycle}'s aggregates (v{version}) in {time.monotonic() - started:.2f} s; its "
                    "figures are built once fieldwork closes."
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Recomputed {cycle}: {scorecard_set.responses} responses, {scorecard_set.rows.count()} published "
                f"figures (aggregates v{version}) in {time.monotonic() - started:.2f} s."
            )
        )
