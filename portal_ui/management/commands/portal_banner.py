from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management.base import BaseCommand

DEMO_LOGINS = [
    ("client administrator", "klient@demo.pl"),
    ("client of two companies", "wspolnik@demo.pl"),
    ("fleet manager (some contracts)", "flota@demo.pl"),
    ("accountant (some contracts)", "ksiegowa@demo.pl"),
    ("staff (BOK)", "bok@leasing.example"),
    ("analyst", "analityk@leasing.example"),
    ("admin", "admin@leasing.example"),
]
DEMO_PASSWORD = "Demo-portal-2026"


class Command(BaseCommand):
    help = "Print the portal URL and the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000")

    def handle(self, *args, url: str, **options):
        self.stdout.write(self.style.SUCCESS(f"\nPortal Klienta is running at {url}/"))
        self.stdout.write(f"API docs: {url}/api/docs/   Admin: {url}/admin/")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        width = max(len(role) for role, _ in DEMO_LOGINS)
        for role, email in DEMO_LOGINS:
            self.stdout.write(f"  {role:<{width}}  {email}")
        self.stdout.write(
            "Staff, analyst and admin (and client administrators) confirm with a two-step code: "
            f"{demo_totp_command()} "
            "(or oathtool --totp -b GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ)"
        )


def demo_totp_command() -> str:
    """The command as it works in another terminal: against this portal's database, so with its DATABASE_URL
    (the password left out of the terminal's scroll-back: fill it in)."""
    command = ".venv/bin/python manage.py demo_totp <e-mail>"
    url = settings.DATABASE_URL
    if not url:
        return command
    parts = urlsplit(url)
    if parts.password:
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        netloc = f"{parts.username or ''}:<password>@{host}" + (f":{parts.port}" if parts.port else "")
        url = urlunsplit(parts._replace(netloc=netloc))
    return f"DATABASE_URL='{url}' {command} (the DATABASE_URL the portal was started with)"
