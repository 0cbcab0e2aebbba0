from django.core.management.base import BaseCommand

from laoxiao.core.importing import imports_purge
from laoxiao.core.once import form_tokens_purge


class Command(BaseCommand):
    help = "Daily: delete uploaded import files older than LAOXIAO_IMPORT_KEEP_DAYS and form tokens older than a day."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(f"{imports_purge()} uploaded files deleted, {form_tokens_purge()} form tokens")
