from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from backend.demo.second_factor import DEMO_TOTP_KEY_BASE32, current_demo_code


class Command(BaseCommand):
    help = "Print the current two-step login code of a demo login (staff, analyst, admin; demo only)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="e.g. bok@leasing.example")

    def handle(self, *args, email: str, **options):
        database = connections[DEFAULT_DB_ALIAS]
        if database.vendor == "sqlite" and not Path(database.settings_dict["NAME"]).exists():
            raise CommandError(_not_migrated())  # and no empty SQLite file left behind by asking
        try:
            code = current_demo_code(
                email,
                on_wait=lambda seconds: self.stderr.write(
                    f"This half minute's code was used; waiting {seconds:.0f} s for the next one."
                ),
            )
        except DatabaseError as exc:  # no such table: another database than the portal's, never migrated
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            raise CommandError(f"{_not_migrated()} ({type(exc).__name__}: {first_line})") from exc
        if code is None:
            raise CommandError(f"{email} has no demo two-step login (run manage.py seed_demo first).")
        self.stdout.write(code)
        if options["verbosity"] > 1:
            self.stdout.write(f"Same as: oathtool --totp -b {DEMO_TOTP_KEY_BASE32}")


def _not_migrated() -> str:
    if settings.DATABASE_URL:
        return (
            "This database has no portal tables: DATABASE_URL must be the one the portal was started with "
            "(make run migrates and seeds it)."
        )
    return (
        "The embedded database has no portal data yet: start the portal with make run first; if it runs on "
        "PostgreSQL, run this command with the same DATABASE_URL (make run's banner shows it)."
    )
