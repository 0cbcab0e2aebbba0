from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from laoxiao.accounts.models import User
from laoxiao.accounts.services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = (
        "Issue an API token that acts with the user's role and scope (the secret is printed once), "
        "list a user's tokens (--list) or revoke them (--revoke ID, or --revoke all)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("name", nargs="?", help="what the token is for, e.g. 兴庆区养老服务系统")
        parser.add_argument(
            "--days",
            type=int,
            default=settings.LAOXIAO_API_TOKEN_MAX_DAYS,
            help=f"valid for this many days, 1 to LAOXIAO_API_TOKEN_MAX_DAYS ({settings.LAOXIAO_API_TOKEN_MAX_DAYS})",
        )
        parser.add_argument("--list", action="store_true", help="list the user's tokens")
        parser.add_argument("--revoke", metavar="ID", help="revoke the token with this id, or 'all' of the user's")

    def handle(self, *args: object, username: str, name: str | None, days: int, **options: object) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        tokens = user.api_tokens.order_by("pk")
        if options["list"]:
            for t in tokens:
                state = (
                    f"revoked {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else ("valid" if t.is_valid else "expired")
                )
                self.stdout.write(f"{t.pk}\t{t.name}\texpires {t.expires_at:%Y-%m-%d}\t{state}")
            return
        if revoke := options["revoke"]:
            revoke = str(revoke)
            if revoke != "all" and not (revoke.isdigit() and tokens.filter(pk=int(revoke)).exists()):
                raise CommandError(f"user {username!r} has no token {revoke} (see --list)")
            chosen = tokens.filter(revoked_at=None) if revoke == "all" else tokens.filter(pk=int(revoke))
            for token in chosen:
                api_token_revoke(by=None, token=token)
                self.stdout.write(f"revoked {token.pk} {token.name}")
            return
        if not name:
            raise CommandError("name the token: what it is for")
        try:
            _, key = api_token_create(user=user, name=name, days=days)
        except ValidationError as e:
            raise CommandError(" ".join(e.messages)) from None
        self.stdout.write(key)
