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
            ".venv/bin/python manage.py demo_totp <e-mail> "
            "(or oathtool --totp -b GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ)"
        )
