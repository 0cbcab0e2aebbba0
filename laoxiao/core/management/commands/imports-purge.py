from django.core.management.base import BaseCommand

from laoxiao.core.importing import imports_purge


class Command(BaseCommand):
    help = "Delete uploaded import files older than LAOXIAO_IMPORT_KEEP_DAYS (run daily by the scheduler)."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(f"{imports_purge()} uploaded files deleted")
