from django.core.management.base import BaseCommand

from laoxiao.homecare.orders.services import offers_expire, visits_flag_missed


class Command(BaseCommand):
    help = "Pass unanswered offers to the next provider and flag visits never started (run every 5 minutes)."

    def handle(self, *args: object, **options: object) -> None:
        moved, missed = offers_expire(), visits_flag_missed()
        self.stdout.write(f"{moved} offers passed on, {missed} visits flagged missed")
