import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from laoxiao.demo.generator import DemoError, Generator


class Command(BaseCommand):
    help = "Build a demo city: areas, population statistics, facilities and individual people."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--city", default="yinchuan")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="share of the real population to create as individual people (1: all; above 1, up to 10, a load test)",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--on", type=dt.date.fromisoformat, default=None, help="reference date (default today)")

    def handle(self, *args: object, city: str, scale: float, seed: int, on: dt.date | None, **options: object) -> None:
        started = time.perf_counter()
        try:  # a bad scale or city is a message, not a traceback
            generator = Generator(city=city, scale=scale, seed=seed, today=on, log=lambda line: self.stdout.write(line))
            counts = generator.run()
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        for key, value in sorted(counts.items()):
            self.stdout.write(f"{key}: {value}")
        self.stdout.write(f"generated in {time.perf_counter() - started:.1f} s")
