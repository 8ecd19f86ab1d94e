"""The demo clients: the company, its users and memberships, contracts, leased items and policies."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from backend.accounts.models import User
from backend.clients.identifiers import make_iban, make_regon
from backend.clients.models import Client, ClientMembership
from backend.contracts.models import Contract, InsurancePolicy, LeasedItem, SerialNumber
from backend.core.money import to_money
from backend.demo.invoices import InvoicePlanning
from backend.demo.papers import PaperPlanning
from backend.demo.plan import IdSequence, Plan, add_months, ascii_slug, client_nip, random_money
from backend.demo.vocabulary import (
    BANK_CODES,
    CITIES,
    FIRST_NAMES_F,
    FIRST_NAMES_M,
    FIXED_CLIENT_ADMINS,
    FIXED_CLIENT_LOGINS,
    INDUSTRIES,
    INSURERS,
    INVOICE_WINDOW_DAYS,
    LEGAL_FORMS,
    MACHINES,
    NAME_ENDINGS,
    NAME_STEMS,
    SHARED_EVERY,
    SHOWCASE_INDEXES,
    STREETS,
    SURNAMES,
    TYPE_PREFIX,
    VEHICLES,
    VIN_CHARS,
    VIN_YEAR,
    ZERO,
)


class DemoBuilder(InvoicePlanning, PaperPlanning):
    """Plans the demo data of a chunk of clients, each client from its own random stream."""

    def __init__(self, *, seed: int, today: date, password_hash: str, ids: IdSequence):
        self.seed = seed
        self.today = today
        self.password_hash = password_hash
        self.ids = ids
        self.window_start = today - timedelta(days=INVOICE_WINDOW_DAYS)
        self.showcase_clients: set[int] = set()
        self.login_users: dict[int, User] = {}  # client index -> the printed demo login planned for it

    # --- clients and users ----------------------------------------------------------------------------
    def plan_chunk(self, indexes: list[int], *, skip: set[int] = frozenset()) -> Plan:
        plan = Plan()
        clients: dict[int, Client] = {}
        first_users: dict[int, User] = {}
        for index in indexes:
            if index in skip:
                continue
            rng = random.Random(f"portal-demo:{self.seed}:{index}")
            client = self._client(plan, rng, index)
            clients[index] = client
            users = self._users(plan, rng, index, client)
            first_users[index] = users[0]
            if index in SHOWCASE_INDEXES:
                self.showcase_clients.add(client.pk)
            self._fixed_logins(plan, index, client, clients)
            partner = index - 1
            if index % SHARED_EVERY == SHARED_EVERY - 1 and partner in clients:
                # Some people act for two companies (an owner of both, an external accountant).
                plan.add(self._membership(users[0], clients[partner], is_default=False))
            self._contracts(plan, rng, index, client)
            if index in SHOWCASE_INDEXES:
                self._message_threads(plan, client, author=self.login_users.get(index, users[0]))
        self._balance_confirmations(plan, clients)
        return plan

    def _client(self, plan: Plan, rng: random.Random, index: int) -> Client:
        form, has_krs, _ = rng.choices(LEGAL_FORMS, weights=[w for *_, w in LEGAL_FORMS])[0]
        male = rng.random() < 0.6
        surname = rng.choice(SURNAMES)[0 if male else 1]
        industry = rng.choice(INDUSTRIES)
        if form in {"", "s.c."}:
            first = rng.choice(FIRST_NAMES_M if male else FIRST_NAMES_F)
            name = f"{first} {surname} {industry}" if form == "" else f"{industry} {surname} i Wspólnicy s.c."
        else:
            brand = rng.choice(NAME_STEMS) + rng.choice(NAME_ENDINGS)
            name = f"{brand} {industry} {form}" if rng.random() < 0.6 else f"{brand} {surname} {form}"
        city, postal_prefix, area = rng.choice(CITIES)
        postal = postal_prefix + f"{rng.randrange(10 ** (5 - len(postal_prefix))):0{5 - len(postal_prefix)}d}"
        street = f"ul. {rng.choice(STREETS)} {rng.randint(1, 180)}"
        if rng.random() < 0.35:
            street += f"/{rng.randint(1, 40)}"
        domain = f"{ascii_slug(name.split(' ')[0])}-{index + 1}.pl"
        client = Client(
            pk=self.ids.take(Client),
            name=name,
            nip=client_nip(self.seed, index),
            regon=make_regon(self.seed * 1_000_003 + index + 1),
            krs=f"{rng.randint(1, 999_999):010d}" if has_krs else "",
            registered_street=street,
            registered_postal_code=f"{postal[:2]}-{postal[2:]}",
            registered_city=city,
            email=f"biuro@{domain}",
            phone=f"+48 {area} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            bank_account=make_iban(self.seed * 1_000_003 + index + 1, rng.choice(BANK_CODES)),
        )
        if rng.random() < 0.2:
            other_city, other_prefix, _ = rng.choice(CITIES)
            other_postal = other_prefix + "0" * (5 - len(other_prefix))
            client.correspondence_street = f"ul. {rng.choice(STREETS)} {rng.randint(1, 90)}"
            client.correspondence_postal_code = f"{other_postal[:2]}-{other_postal[2:]}"
            client.correspondence_city = other_city
        plan.add(client)
        return client

    def _user(self, plan: Plan, *, email: str, first: str, last: str, **extra) -> User:
        user = User(
            pk=self.ids.take(User),
            email=email,
            first_name=first,
            last_name=last,
            password=self.password_hash,
            date_joined=timezone.make_aware(datetime(2024, 1, 2, 9, 0)),
            **extra,
        )
        return plan.add(user)

    def _membership(self, user: User, client: Client, *, is_default: bool) -> ClientMembership:
        return ClientMembership(
            pk=self.ids.take(ClientMembership), user=user, client=client, is_default=is_default
        )

    def _users(self, plan: Plan, rng: random.Random, index: int, client: Client) -> list[User]:
        users = []
        seen = set()
        domain = client.email.split("@", 1)[1]
        for _ in range(rng.choices([1, 2, 3], weights=[50, 35, 15])[0]):
            male = rng.random() < 0.5
            first = rng.choice(FIRST_NAMES_M if male else FIRST_NAMES_F)
            last = rng.choice(SURNAMES)[0 if male else 1]
            local = f"{ascii_slug(first)}.{ascii_slug(last)}"
            if local in seen:
                local += str(len(seen) + 1)
            seen.add(local)
            user = self._user(
                plan,
                email=f"{local}@{domain}",
                first=first,
                last=last,
                phone=f"+48 {rng.randint(500, 799)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
                language="en" if rng.random() < 0.08 else "pl",
            )
            membership = self._membership(user, client, is_default=True)
            # Every company has someone who manages its users (Użytkownicy): the first one generated.
            membership.is_admin = not users
            plan.add(membership)
            users.append(user)
        return users

    def _fixed_logins(self, plan: Plan, index: int, client: Client, clients: dict[int, Client]) -> None:
        """Create the printed demo logins with the client of the highest index they belong to."""
        for email, (first, last, indexes) in FIXED_CLIENT_LOGINS.items():
            if index != max(indexes) or any(i not in clients for i in indexes):
                continue
            if User.objects.filter(email=email).exists():
                continue
            user = self._user(plan, email=email, first=first, last=last, phone="+48 600 100 200")
            for position, member_of in enumerate(indexes):
                membership = self._membership(user, clients[member_of], is_default=position == 0)
                membership.is_admin = email in FIXED_CLIENT_ADMINS
                plan.add(membership)
                self.login_users.setdefault(member_of, user)

    # --- contracts, schedules, invoices ---------------------------------------------------------------
    def _contracts(self, plan: Plan, rng: random.Random, index: int, client: Client) -> None:
        for number in range(rng.choices([2, 3, 4, 5, 6, 7], weights=[8, 17, 25, 25, 15, 10])[0]):
            contract_type = rng.choices(list(TYPE_PREFIX), weights=[55, 30, 15])[0]
            currency = rng.choices(["PLN", "EUR", "CHF"], weights=[86, 10, 4])[0]
            months = rng.choice([24, 36, 36, 48, 48, 60])
            start = (self.today - timedelta(days=rng.randint(30, 1_700))).replace(day=1)
            end = add_months(start, months) - timedelta(days=1)
            contract = Contract(
                pk=self.ids.take(Contract),
                client=client,
                number=f"{TYPE_PREFIX[contract_type]}/{start.year}/{self.seed % 100:02d}{index + 1:05d}{number + 1}",
                type=contract_type,
                start_date=start,
                end_date=end,
                net_value=ZERO,
                currency=currency,
                residual_percent=self._residual(rng, contract_type),
                annual_rate=Decimal(rng.randint(55, 99) if currency == "PLN" else rng.randint(25, 49))
                / Decimal(10),
                months=months,
                payment_day=rng.choice([5, 10, 15, 20, 25]),
                status=Contract.Status.ACTIVE if end >= self.today else Contract.Status.CLOSED,
            )
            items = self._items(plan, rng, contract, start)
            contract.net_value = sum((item.net_value for item in items), ZERO)
            if currency != "PLN":
                contract.net_value = to_money(contract.net_value / Decimal("4.3"))
                for item in items:
                    item.net_value = to_money(item.net_value / Decimal("4.3"))
                contract.net_value = sum((item.net_value for item in items), ZERO)
            plan.add(contract)
            self._policy(plan, rng, contract, items)
            self._schedule_and_invoices(plan, rng, client, contract)

    @staticmethod
    def _residual(rng: random.Random, contract_type: str) -> Decimal:
        if contract_type == Contract.Type.OPERATING_LEASE:
            return Decimal(rng.choice([10, 15, 20, 25, 30]))
        if contract_type == Contract.Type.FINANCIAL_LEASE:
            return Decimal(rng.choice([1, 1, 5, 10]))
        return ZERO

    def _items(self, plan: Plan, rng: random.Random, contract: Contract, start: date) -> list[LeasedItem]:
        items = []
        vehicles = rng.random() < 0.7
        for _ in range(rng.choices([1, 2], weights=[85, 15])[0]):
            year = max(2010, start.year - rng.choice([0, 0, 1]))
            if vehicles:
                maker, model, wmi, low, high = rng.choice(VEHICLES)
                item = LeasedItem(
                    pk=self.ids.take(LeasedItem), contract=contract, name=f"{maker} {model}", category=LeasedItem.Category.VEHICLE,
                    manufacturer=maker, production_year=year, net_value=random_money(rng, low, high),
                )  # fmt: skip
                vin = wmi + "".join(rng.choice(VIN_CHARS) for _ in range(6))
                vin += rng.choice("0123456789X") + VIN_YEAR[(year - 2010) % 30] + rng.choice(VIN_CHARS)
                vin += f"{rng.randint(0, 999_999):06d}"
                plan.add(SerialNumber(pk=self.ids.take(SerialNumber), item=item, kind="VIN", value=vin))
                if rng.random() < 0.5:
                    engine = f"{rng.choice('CDFGK')}{rng.choice('ABHLR')}{rng.randint(100_000, 999_999)}"
                    plan.add(
                        SerialNumber(
                            pk=self.ids.take(SerialNumber), item=item, kind="Nr silnika", value=engine
                        )
                    )
            else:
                maker, model, prefix, low, high = rng.choice(MACHINES)
                item = LeasedItem(
                    pk=self.ids.take(LeasedItem), contract=contract, name=f"{model} {maker}", category=LeasedItem.Category.MACHINE,
                    manufacturer=maker, production_year=year, net_value=random_money(rng, low, high, step=1000),
                )  # fmt: skip
                plan.add(
                    SerialNumber(
                        pk=self.ids.take(SerialNumber), item=item, kind="S/N",
                        value=f"{prefix}{rng.choice('ABCDEFGHJK')}{rng.randint(10_000, 99_999)}",
                    )
                )  # fmt: skip
            items.append(item)
        for item in items:
            plan.add(item)
        return items

    def _policy(self, plan: Plan, rng: random.Random, contract: Contract, items: list[LeasedItem]) -> None:
        insurer, code = rng.choice(INSURERS)
        vehicle = items[0].category == LeasedItem.Category.VEHICLE
        anchor = self.today if contract.status == Contract.Status.ACTIVE else contract.end_date
        period_start = contract.start_date.replace(year=anchor.year)
        if period_start > anchor:
            period_start = period_start.replace(year=anchor.year - 1)
        sum_insured = to_money(contract.net_value * Decimal("1.23"))
        plan.add(
            InsurancePolicy(
                pk=self.ids.take(InsurancePolicy),
                contract=contract,
                insurer=insurer,
                number=f"{code}/{period_start.year}/{contract.number.rsplit('/', 1)[1]}",
                scope="OC, AC, NNW, Assistance"
                if vehicle
                else "Mienie w leasingu (all risks), OC działalności",
                # Vehicles are covered in the Green Card countries (the permit to go abroad checks it).
                territorial_scope="europe" if vehicle else "poland",
                sum_insured=sum_insured,
                currency=contract.currency,
                period_start=period_start,
                period_end=add_months(period_start, 12) - timedelta(days=1),
                premium=to_money(sum_insured * Decimal(rng.randint(18, 42)) / Decimal(1000)),
                status=InsurancePolicy.Status.ACTIVE
                if contract.status == Contract.Status.ACTIVE
                else InsurancePolicy.Status.EXPIRED,
            )
        )
