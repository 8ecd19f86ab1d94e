from django.core.management.base import BaseCommand, CommandError

from backend.demo.second_factor import DEMO_TOTP_KEY_BASE32, current_demo_code


class Command(BaseCommand):
    help = "Print the current two-step login code of a demo login (staff, analyst, admin; demo only)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="e.g. bok@leasing.example")

    def handle(self, *args, email: str, **options):
        code = current_demo_code(email)
        if code is None:
            raise CommandError(f"{email} has no demo two-step login (run manage.py seed_demo first).")
        self.stdout.write(code)
        if options["verbosity"] > 1:
            self.stdout.write(f"Same as: oathtool --totp -b {DEMO_TOTP_KEY_BASE32}")
