import getpass
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from laoxiao.accounts.roles import Role
from laoxiao.accounts.services import user_create
from laoxiao.core.models import Area


class Command(BaseCommand):
    help = "Create a user with a role and a scope (an area, organisations, or their own person record)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--area", help="12-digit area code of the user's responsibility")
        parser.add_argument("--organisation", type=int, action="append", default=[], help="facility id (repeatable)")
        parser.add_argument("--name", default="", help="full name shown in the audit trail")
        parser.add_argument("--department", default="")
        parser.add_argument("--password-stdin", action="store_true", help="read the password from standard input")

    def handle(
        self,
        *args: object,
        username: str,
        role: str,
        area: str | None,
        organisation: list[int],
        name: str,
        department: str,
        password_stdin: bool,
        **options: object,
    ) -> None:
        scope_area = None
        if area:
            scope_area = Area.objects.filter(code=area).first()
            if scope_area is None:
                raise CommandError(f"no area {area}; load it first with `laoxiao load-areas`")
        password = sys.stdin.readline().rstrip("\n") if password_stdin else getpass.getpass("password: ")
        try:
            validate_password(password)
            user = user_create(
                username=username,
                password=password,
                role=Role(role),
                area=scope_area,
                organisation_ids=organisation,
                full_name=name,
                department=department,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"created {user.username} ({user.get_role_display()})")
