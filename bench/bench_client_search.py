"""Customer service's client search (/staff/clients/?q=) on the reads data set (bench 3's database).

One query per handle a caller reads out, taken from the data set itself (a client's NIP typed with dashes,
an invoice, contract and VIN number as printed, a user's phone with the "+48" prefix, an e-mail, a
company name and a user's first and last name without Polish letters, the tail of a contract number, and
a miss), each timed through the selector (`search_clients_for_staff`) and through the page
(`/staff/clients/?q=`, a logged-in customer service user, full middleware): p50/p95 and SQL statements. Run by bench_reads for each database it
seeds; `measure` also runs alone on any portal database (`SQLITE_PATH=… python -c …`).
"""

from __future__ import annotations

import tempfile
import time

REPEATS = 7


def sample_queries() -> dict[str, str]:
    """One query per handle, picked deterministically from the data set (the lowest ids)."""
    from backend.accounts.models import User
    from backend.clients.models import Client
    from backend.contracts.models import Contract, SerialNumber
    from backend.core.text_search import BASE_LETTERS, POLISH_LETTERS
    from backend.invoices.models import Invoice

    client = Client.objects.exclude(phone="").order_by("pk").first()
    invoice = Invoice.objects.order_by("-pk").values_list("number", flat=True).first()
    contract = Contract.objects.order_by("pk").values_list("number", flat=True).first()
    vin = SerialNumber.objects.order_by("pk").values_list("value", flat=True).first()
    user = User.objects.filter(role=User.Role.CLIENT).exclude(phone="").order_by("pk").first()
    nip = client.nip
    plain = str.maketrans(POLISH_LETTERS, BASE_LETTERS)
    queries = {
        "nip": f"{nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}",
        "invoice_number": invoice,
        "contract_number": contract,
        "contract_tail": contract.rsplit("/", 1)[-1],
        "vin": vin.lower(),
        "user_phone": "+48 " + "".join(ch for ch in user.phone if ch.isdigit())[-9:],
        "e_mail": user.email,
        "company_name": client.name.split()[0].translate(plain),
        "person_name": f"{user.first_name} {user.last_name}".lower().translate(plain),
        "miss": "Nieistniejąca Firma",
    }
    return queries


def measure(env: dict[str, str]) -> dict:
    """Run in a fresh process configured for `env`: time each handle's search, selector and page."""
    from bench.common import setup_django

    with tempfile.TemporaryDirectory(prefix="bench-client-search-") as var_dir:
        setup_django({"PORTAL_VAR_DIR": var_dir, **env})
        from django.db import connection
        from django.test import Client as PageClient

        from backend.accounts.models import User
        from backend.accounts.second_factor import VERIFIED_SESSION_KEY
        from backend.requests_app.staff_client_search import search_clients_for_staff
        from bench.common import QueryCounter, percentiles

        staff = User.objects.filter(role=User.Role.STAFF, is_active=True).order_by("pk").first()
        page = PageClient()
        page.force_login(staff)
        session = page.session
        session[VERIFIED_SESSION_KEY] = "totp"  # as after the code step: staff give a second factor
        session.save()
        figures: dict = {"queries": {}, "selector": {}, "page": {}, "sql_statements": {}, "found": {}}
        for label, query in sample_queries().items():
            figures["queries"][label] = query
            figures["found"][label] = len(search_clients_for_staff(query=query))
            page.get("/staff/clients/", {"q": query})  # warm the session, templates and the page cache
            selector, pages, statements = [], [], 0
            for _ in range(REPEATS):
                with QueryCounter(connection) as counted:
                    started = time.perf_counter()
                    search_clients_for_staff(query=query)
                    selector.append((time.perf_counter() - started) * 1000)
                statements = counted.count
                started = time.perf_counter()
                response = page.get("/staff/clients/", {"q": query})
                pages.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    figures.setdefault("errors", []).append(f"{label} → {response.status_code}")
            figures["selector"][label] = percentiles(selector)
            figures["page"][label] = percentiles(pages)
            figures["sql_statements"][label] = statements
        slowest = max(figures["page"].items(), key=lambda item: item[1]["p95_ms"])
        figures["slowest_page_p95"] = f"{slowest[0]} {slowest[1]['p95_ms']:.1f} ms"
        return figures
