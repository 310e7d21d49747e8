from django.core.management.base import BaseCommand

from core.errors import DomainError
from core.services import COMMAND
from surveys.management.commands._common import date_parse, domain_error_to_command_error
from surveys.services import cycle_create


class Command(BaseCommand):
    help = "Create a draft cycle for YEAR, its questionnaire copied from the latest earlier cycle (or the default)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--opens", type=date_parse, help="opening date, YYYY-MM-DD")
        parser.add_argument("--closes", type=date_parse, help="closing date, YYYY-MM-DD")

    def handle(self, *args, year, opens, closes, **options):
        try:
            cycle = cycle_create(year=year, opens_on=opens, closes_on=closes, actor=COMMAND)
        except DomainError as exc:
            raise domain_error_to_command_error(exc) from None
        questions = cycle.questionnaire.questions.count()
        self.stdout.write(f"Created the {cycle.year} cycle (draft) with {questions} questions.")
