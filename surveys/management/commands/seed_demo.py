from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Set up the local demo (make run): the demo accounts. Safe to run again."

    def handle(self, *args, **options):
        call_command("create_demo_users", stdout=self.stdout)
