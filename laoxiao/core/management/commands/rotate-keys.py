from django.core.management.base import BaseCommand

from laoxiao.core.rotation import keys_rotate


class Command(BaseCommand):
    help = "Re-encrypt ID numbers and phones with the first (current) SM4 and hash keys."

    def handle(self, *args: object, **options: object) -> None:
        changed = keys_rotate(log=lambda line: self.stdout.write(line))
        self.stdout.write(f"{changed} records re-encrypted")
