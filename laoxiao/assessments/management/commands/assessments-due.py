from django.core.management.base import BaseCommand, CommandParser

from laoxiao.assessments.services import reassessments_open_due


class Command(BaseCommand):
    help = "Open routine reassessments for results that expire soon (run daily by the scheduler)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30, help="open requests this many days before expiry")

    def handle(self, *args: object, days: int, **options: object) -> None:
        self.stdout.write(f"{reassessments_open_due(within_days=days)} reassessments requested")
