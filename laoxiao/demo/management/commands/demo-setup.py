from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from laoxiao.demo.accounts import demo_accounts_ensure
from laoxiao.people.models import Person


class Command(BaseCommand):
    help = "Make the demo ready: generate the city once, then create and print one account per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--city", default="yinchuan")
        parser.add_argument("--scale", type=float, default=0.05)

    def handle(self, *args: object, city: str, scale: float, **options: object) -> None:
        if Person.objects.exists():
            self.stdout.write("demo data already present; reusing it")
        else:
            call_command("demo-data", city=city, scale=scale, seed=1, stdout=self.stdout)
        self.stdout.write("\nDemo accounts (user name / password / role):")
        for username, password, role in demo_accounts_ensure():
            self.stdout.write(f"  {username:<20} {password:<16} {role}")
