from django.core.management.base import BaseCommand, CommandError

from accounts.services import api_token_issue
from core.errors import DomainError
from core.services import COMMAND


class Command(BaseCommand):
    help = "Print the API token of a user, for scripts: send it as 'Authorization: Token <token>'."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--rotate", action="store_true", help="Replace the existing token with a new one")

    def handle(self, *args, email, rotate, **options):
        try:
            self.stdout.write(api_token_issue(email=email, rotate=rotate, actor=COMMAND))
        except DomainError as exc:
            raise CommandError(exc.message) from None
