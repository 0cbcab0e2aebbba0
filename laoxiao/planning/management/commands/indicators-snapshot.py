import datetime as dt

from django.core.management.base import BaseCommand, CommandParser

from laoxiao.planning.services import indicators_snapshot, plans_sync


class Command(BaseCommand):
    help = "Compute every indicator for every area of each plan and store the values (run monthly)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", type=dt.date.fromisoformat, default=None, help="date of the snapshot")

    def handle(self, *args: object, on: dt.date | None, **options: object) -> None:
        plans_sync()
        self.stdout.write(f"{indicators_snapshot(on=on)} values stored")
