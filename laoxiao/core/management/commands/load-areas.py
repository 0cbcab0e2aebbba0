from django.core.management.base import BaseCommand, CommandError, CommandParser

from laoxiao.core.services import areas_load
from laoxiao.planning.services import plans_sync


class Command(BaseCommand):
    help = "Load a province, city, county or township (by code prefix) from the national 2023 division table."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("prefix", help="code prefix, e.g. 64 (宁夏), 6401 (银川市), 500114 (黔江区)")

    def handle(self, *args: object, prefix: str, **options: object) -> None:
        try:
            count = areas_load(prefix=prefix)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if count == 0:
            raise CommandError(f"no area has a code starting with {prefix}")
        self.stdout.write(f"loaded {count} areas under {prefix}; {plans_sync()} shipped plans loaded")
