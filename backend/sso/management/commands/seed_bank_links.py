from django.core.management.base import BaseCommand

from backend.sso.seed import seed_bank_links


class Command(BaseCommand):
    help = "Link the demo bank customers (BANK-0001, BANK-0002) to the demo client users."

    def handle(self, *args, **options):
        self.stdout.write(f"Bank customer links: {seed_bank_links()}")
