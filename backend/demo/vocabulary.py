"""What the demo data is made of: Polish names, places, leased things, the fixed logins, showcase threads."""

from __future__ import annotations

from decimal import Decimal

from backend.accounts.models import User
from backend.clients.models import Client, ClientMembership
from backend.contracts.models import Contract, InsurancePolicy, LeasedItem, ScheduleRow, SerialNumber
from backend.documents.models import Document
from backend.invoices.models import Compensation, Invoice, InvoiceLine, Payment
from backend.messaging.models import Message, MessageThread

DEMO_PASSWORD = "Demo-portal-2026"  # also printed by portal_ui/management/commands/portal_banner.py
CHUNK_SIZE = 200  # clients per transaction; a multiple of SHARED_EVERY keeps shared users in one chunk
SHARED_EVERY = 8  # every 8th client shares a user with the client before it
INVOICE_WINDOW_DAYS = 3 * 365 + 1
ZERO = Decimal("0.00")

# --- vocabulary ---------------------------------------------------------------------------------------
# fmt: off
FIRST_NAMES_F = [
    'Anna', 'Katarzyna', 'Małgorzata', 'Agnieszka', 'Barbara', 'Ewa', 'Magdalena', 'Joanna', 'Aleksandra',
    'Monika', 'Zofia', 'Natalia', 'Beata', 'Dorota', 'Karolina', 'Justyna',
]
FIRST_NAMES_M = [
    'Piotr', 'Krzysztof', 'Tomasz', 'Andrzej', 'Paweł', 'Michał', 'Marcin', 'Jakub', 'Adam', 'Łukasz',
    'Grzegorz', 'Mateusz', 'Wojciech', 'Marek', 'Rafał', 'Dariusz',
]
SURNAMES = [
    ('Nowak', 'Nowak'), ('Kowalski', 'Kowalska'), ('Wiśniewski', 'Wiśniewska'), ('Wójcik', 'Wójcik'),
    ('Kowalczyk', 'Kowalczyk'), ('Kamiński', 'Kamińska'), ('Lewandowski', 'Lewandowska'),
    ('Zieliński', 'Zielińska'), ('Szymański', 'Szymańska'), ('Woźniak', 'Woźniak'),
    ('Dąbrowski', 'Dąbrowska'), ('Kozłowski', 'Kozłowska'), ('Jankowski', 'Jankowska'), ('Mazur', 'Mazur'),
    ('Krawczyk', 'Krawczyk'), ('Piotrowski', 'Piotrowska'), ('Grabowski', 'Grabowska'),
    ('Pawłowski', 'Pawłowska'), ('Michalski', 'Michalska'), ('Król', 'Król'), ('Wieczorek', 'Wieczorek'),
    ('Jabłoński', 'Jabłońska'),
]
NAME_STEMS = [
    'Trans', 'Bud', 'Agro', 'Mebl', 'Stal', 'Eko', 'Med', 'Info', 'Auto', 'Pol', 'Drew', 'Term', 'Logi',
    'Inter', 'Hydro', 'Elektro', 'Tech', 'Kom', 'Geo', 'Mar', 'Euro', 'Prim', 'Fer', 'Sil',
]
NAME_ENDINGS = [
    '-Pol', 'ex', 'max', 'tech', 'mar', 'bud', 'trans', 'serwis', 'net', 'land', 'kom', 'met',
]
INDUSTRIES = [
    'Transport', 'Logistyka', 'Budownictwo', 'Usługi Medyczne', 'Produkcja', 'Handel', 'Spedycja', 'Meble',
    'Rolnictwo', 'Instalacje', 'Poligrafia', 'Serwis Maszyn', 'Catering', 'Ogrodnictwo',
]
LEGAL_FORMS = [
    ('sp. z o.o.', True, 50), ('S.A.', True, 6), ('sp. j.', True, 10), ('sp. k.', True, 8),
    ('s.c.', False, 8), ('', False, 18),
]
CITIES = [
    ('Warszawa', '0', 22), ('Kraków', '3', 12), ('Łódź', '9', 42), ('Wrocław', '5', 71),
    ('Poznań', '6', 61), ('Gdańsk', '80', 58), ('Szczecin', '7', 91), ('Bydgoszcz', '85', 52),
    ('Lublin', '20', 81), ('Białystok', '15', 85), ('Katowice', '40', 32), ('Gdynia', '81', 58),
    ('Częstochowa', '42', 34), ('Radom', '26', 48), ('Toruń', '87', 56), ('Rzeszów', '35', 17),
    ('Kielce', '25', 41), ('Olsztyn', '10', 89), ('Opole', '45', 77), ('Zielona Góra', '65', 68),
]
STREETS = [
    'Marszałkowska', 'Długa', 'Polna', 'Leśna', 'Słoneczna', 'Krótka', 'Szkolna', 'Ogrodowa', 'Lipowa',
    'Brzozowa', 'Kwiatowa', 'Kościuszki', 'Mickiewicza', 'Sienkiewicza', 'Piłsudskiego', 'Kolejowa',
    'Przemysłowa', 'Fabryczna', 'Składowa', 'Jana Pawła II', 'Warszawska', 'Poznańska', 'Grunwaldzka',
    'Żeromskiego', 'Reymonta', 'Wrzosowa', 'Okrężna', 'Graniczna', 'Łąkowa',
]
BANK_CODES = [
    '10201026', '10501038', '11402004', '12401037', '10901014', '11602202', '19401076', '10202892',
]
VEHICLES = [  # manufacturer, model, WMI, net value range (PLN)
    ('Skoda', 'Octavia Combi 2.0 TDI', 'TMB', 95000, 140000),
    ('Toyota', 'Corolla 1.8 Hybrid', 'SB1', 90000, 125000),
    ('Volkswagen', 'Passat Variant 2.0 TDI', 'WVW', 130000, 180000),
    ('Ford', 'Transit Custom 2.0 EcoBlue', 'WF0', 140000, 190000),
    ('Renault', 'Master 2.3 dCi', 'VF1', 150000, 200000),
    ('Mercedes-Benz', 'Sprinter 317 CDI', 'W1V', 190000, 260000),
    ('Volvo', 'FH 500 4x2 ciągnik siodłowy', 'YV2', 420000, 560000),
    ('MAN', 'TGX 18.510 ciągnik siodłowy', 'WMA', 410000, 540000),
    ('Scania', 'R 450 ciągnik siodłowy', 'XLE', 430000, 580000),
    ('BMW', 'X3 xDrive20d', 'WBA', 210000, 280000), ('Audi', 'A4 Avant 40 TDI', 'WAU', 180000, 240000),
    ('Iveco', 'Daily 35S16', 'ZCF', 130000, 170000),
]
MACHINES = [  # manufacturer, model, serial prefix, net value range (PLN)
    ('Caterpillar', 'Koparka gąsienicowa 320', 'CAT0320', 520000, 760000),
    ('JCB', 'Koparko-ładowarka 3CX', 'JCB3CX', 330000, 420000),
    ('Komatsu', 'Ładowarka kołowa WA320', 'KMTWA', 450000, 610000),
    ('Linde', 'Wózek widłowy H30D', 'H2X', 95000, 140000),
    ('Trumpf', 'Wycinarka laserowa TruLaser 3030', 'TL3030', 900000, 1400000),
    ('DMG Mori', 'Centrum obróbcze CMX 600 V', 'CMX', 600000, 820000),
    ('Haas', 'Frezarka CNC VF-2', 'HVF2', 280000, 360000),
    ('Claas', 'Ciągnik rolniczy Arion 430', 'CLA430', 380000, 470000),
    ('John Deere', 'Ciągnik 6R 150', '1L06R', 520000, 640000),
    ('Atlas Copco', 'Sprężarka GA 37', 'AIF', 85000, 120000),
]
INSURERS = [
    ('PZU SA', 'PZU'), ('TUiR Warta S.A.', 'WAR'), ('Allianz Polska S.A.', 'ALZ'),
    ('STU Ergo Hestia S.A.', 'EHS'), ('Generali T.U. S.A.', 'GEN'), ('Uniqa TU S.A.', 'UNQ'),
]
VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'
VIN_YEAR = 'ABCDEFGHJKLMNPRSTVWXY123456789'  # model-year letters from 2010
TYPE_PREFIX = {
    Contract.Type.OPERATING_LEASE: 'UL',
    Contract.Type.FINANCIAL_LEASE: 'LF',
    Contract.Type.LOAN: 'UP',
}
# fmt: on

FIXED_CLIENT_LOGINS = {
    # email: (first, last, indexes of the clients the user acts for)
    "klient@demo.pl": ("Katarzyna", "Demo", (0,)),
    "wspolnik@demo.pl": ("Wojciech", "Wspólnik", (0, 1)),
}
# The main demo login administers its company's users (Użytkownicy), so it logs in with a second factor.
FIXED_CLIENT_ADMINS = frozenset({"klient@demo.pl"})
# Colleagues of klient@demo.pl in the client of index 0, limited by role and to some of its contracts
# (backend/demo/roles.py): email: (first, last, role, which half of its contracts in number order).
FIXED_ROLE_LOGINS = {
    "flota@demo.pl": ("Filip", "Flotowy", ClientMembership.Role.FLEET_MANAGER, "first"),
    "ksiegowa@demo.pl": ("Krystyna", "Księgowa", ClientMembership.Role.ACCOUNTANT, "second"),
}
FIXED_STAFF_LOGINS = [
    # email, first, last, role, Django admin access, superuser
    ("bok@leasing.example", "Beata", "Obsługowa", User.Role.STAFF, False, False),
    ("analityk@leasing.example", "Adam", "Procesowy", User.Role.ANALYST, False, False),
    ("admin@leasing.example", "Irena", "Administratorska", User.Role.ADMIN, True, True),
]

SAVE_ORDER = [
    User, Client, ClientMembership, Contract, LeasedItem, SerialNumber, InsurancePolicy, ScheduleRow,
    Invoice, InvoiceLine, Payment, Compensation, Document, MessageThread, Message,
]  # fmt: skip
# The clients of the printed demo logins get what a random client may lack, so no screen opens empty
# for them: message threads (one closed by a final answer) and compensation notes.
SHOWCASE_INDEXES = frozenset(i for _, _, indexes in FIXED_CLIENT_LOGINS.values() for i in indexes)
SHOWCASE_COMPENSATED_INSTALLMENTS = (4, 13)  # paid installments settled by compensation instead
SHOWCASE_STAFF_EMAIL = "bok@leasing.example"
# days ago, subject, category, with a contract, messages: (days ago, hh:mm, from staff, final, body)
SHOWCASE_THREADS = [
    (
        40, "Korekta adresu na fakturze", MessageThread.Category.INVOICES, True,
        [
            (40, "09:12", False, False,
             "Dzień dobry, na ostatniej fakturze jest nasz stary adres siedziby. "
             "Proszę o korektę i wysyłanie kolejnych faktur na nowy adres."),
            (39, "11:40", True, False,
             "Dzień dobry, dziękujemy za informację. Sprawdzamy dane w rejestrze i wrócimy z odpowiedzią."),
            (37, "14:05", True, True,
             "Adres został zaktualizowany: kolejne faktury będą już miały nowy adres siedziby. Stary adres na "
             "wystawionej fakturze nie wpływa na jej ważność ani na odliczenie VAT; gdyby mimo to potrzebowali "
             "Państwo faktury korygującej, prosimy napisać o tym w nowej wiadomości."),
        ],
    ),
    (
        6, "Zmiana dnia płatności raty", MessageThread.Category.SCHEDULE, True,
        [
            (6, "08:30", False, False,
             "Czy możemy przesunąć termin płatności rat z 5. na 20. dzień miesiąca? "
             "Wpływy od naszych kontrahentów przychodzą w połowie miesiąca."),
        ],
    ),
    (
        15, "Polisa na kolejny rok", MessageThread.Category.INSURANCE, False,
        [
            (15, "13:20", False, False, "Kiedy otrzymamy polisę na kolejny okres ubezpieczenia?"),
            (14, "10:02", True, False,
             "Polisę wystawi ubezpieczyciel na 14 dni przed końcem obecnego okresu; "
             "pojawi się w zakładce Polisy."),
            (2, "16:45", False, False, "Dziękuję. Czy zakres ochrony pozostanie taki sam?"),
            (1, "09:10", True, False,
             "Tak, zakres (AC, OC, NNW) i suma ubezpieczenia pozostają bez zmian; zmieni się tylko składka."),
        ],
    ),
]  # fmt: skip
