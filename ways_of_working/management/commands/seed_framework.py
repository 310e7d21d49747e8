from django.core.management.base import BaseCommand

from ways_of_working.services import framework_seed


class Command(BaseCommand):
    help = "Create or update the Ways of Working framework: behaviours, roles and statements. Safe to run again."

    def handle(self, *args, **options):
        result = framework_seed()
        self.stdout.write(
            f"Framework: {result.behaviours} behaviours, {result.roles} roles, {result.statements} statements "
            f"({result.created} created, {result.updated} updated)."
        )
