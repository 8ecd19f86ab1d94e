import time

from django.core.management.base import BaseCommand

from backend.demo.second_factor import DEMO_TOTP_KEY_BASE32, seed_demo_second_factor
from backend.demo.seed import seed_demo
from backend.demo.showcase_requests import seed_demo_history, seed_demo_requests
from backend.demo.vocabulary import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Create deterministic demo data: Polish clients with users, contracts, schedules, three years of "
        "invoices and payments, documents, and the fixed demo logins. Running it again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=40, help="number of client companies (default 40)")
        parser.add_argument(
            "--seed", type=int, default=1, help="random seed; same seed, same data (default 1)"
        )

    def handle(self, *args, clients: int, seed: int, verbosity: int, **options):
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            if verbosity > 1:
                self.stdout.write(f"  {done}/{total} clients ({time.monotonic() - started:.0f} s)")

        result = seed_demo(clients=clients, seed=seed, progress=progress)
        # Through the request services (engine, history, outbox), so the staff workspace has work to show.
        requests_made = seed_demo_requests()
        # Weeks of decided requests of the other companies: the dashboard's charts have a history to draw.
        history_made = seed_demo_history()
        # Demo staff and client administrators need a second factor: the published demo key (never in production).
        two_factor = seed_demo_second_factor()
        if two_factor:
            self.stdout.write(
                f"Two-step login codes for {', '.join(two_factor)}: manage.py demo_totp <e-mail> "
                f"(or oathtool --totp -b {DEMO_TOTP_KEY_BASE32})."
            )
        if requests_made:
            self.stdout.write(f"Created {requests_made} requests of klient@demo.pl for the staff workspace.")
        if history_made:
            self.stdout.write(f"Created {history_made} decided requests of other companies over eight weeks.")
        elapsed = time.monotonic() - started
        if result.created_clients == 0:
            self.stdout.write(f"Demo data (seed {seed}, {clients} clients) already present: nothing to do.")
            return
        invoices = result.counts.get("invoices.Invoice", 0)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {result.created_clients} clients, {invoices} invoices "
                f"({result.skipped_clients} clients already present) in {elapsed:.1f} s. "
                f"Demo password: {DEMO_PASSWORD}"
            )
        )
        if verbosity > 1:
            for label, count in sorted(result.counts.items()):
                self.stdout.write(f"  {label}: {count}")
