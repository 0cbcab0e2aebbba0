import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from laoxiao.homecare.beds.services import care_plan_orders
from laoxiao.homecare.providers.services import statements_build


class Command(BaseCommand):
    help = (
        "Month turn (run on the 1st): build every provider's statement for the month just ended and make the "
        "new month's orders from the home care beds' service plans."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--statements", help="the month to settle, YYYY-MM (default: last month)")
        parser.add_argument("--orders", help="the month to make care-plan orders for, YYYY-MM (default: this month)")

    def handle(self, *args: object, statements: str | None, orders: str | None, **options: object) -> None:
        today = timezone.localdate()
        last = statements or f"{today.replace(day=1) - dt.timedelta(days=1):%Y-%m}"
        try:
            built = statements_build(by=None, month=last)
            made = care_plan_orders(month=orders or f"{today:%Y-%m}")
        except (ValidationError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{built} statements built for {last}; {made} care-plan orders made")
