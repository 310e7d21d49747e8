from django.core.management.base import BaseCommand

from core.errors import DomainError
from core.services import COMMAND
from surveys.management.commands._common import cycle_get, domain_error_to_command_error
from surveys.models import CycleState
from surveys.services import cycle_set_state


class Command(BaseCommand):
    help = "Move the YEAR cycle to STATE (draft → open → closed → published; closed → open reopens)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("state", choices=CycleState.values)

    def handle(self, *args, year, state, **options):
        cycle = cycle_get(year)
        before = cycle.state
        try:
            cycle = cycle_set_state(cycle=cycle, state=state, actor=COMMAND)
        except DomainError as exc:
            raise domain_error_to_command_error(exc) from None
        if before == cycle.state:
            self.stdout.write(f"The {year} cycle is already {cycle.state}.")
        else:
            self.stdout.write(f"The {year} cycle is now {cycle.state} (was {before}).")
