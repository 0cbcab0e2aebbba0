import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from laoxiao.accounts.models import User
from laoxiao.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Issue an API token that acts with the user's role and scope; the secret is printed once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("name", help="what the token is for, e.g. 兴庆区养老服务系统")
        parser.add_argument("--days", type=int, default=365, help="valid for this many days (0: no expiry)")

    def handle(self, *args: object, username: str, name: str, days: int, **options: object) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        expires = timezone.now() + dt.timedelta(days=days) if days else None
        _, key = api_token_create(user=user, name=name, expires_at=expires)
        self.stdout.write(key)
