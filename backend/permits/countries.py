"""Countries a client may name in a permit request: ISO 3166-1 alpha-2 codes with Polish and English names,
and the countries each territorial scope of an insurance policy covers.

Which of them the company allows is not decided here: that list is a rule of the DMN table
bpmn/dmn/vehicle_abroad_permit.dmn, kept by analysts.
"""

from __future__ import annotations

from django.utils.translation import get_language

# code → (Polish, English); the form lists them by the Polish name.
COUNTRIES: dict[str, tuple[str, str]] = {
    "AL": ("Albania", "Albania"),
    "AD": ("Andora", "Andorra"),
    "AT": ("Austria", "Austria"),
    "BY": ("Białoruś", "Belarus"),
    "BE": ("Belgia", "Belgium"),
    "BA": ("Bośnia i Hercegowina", "Bosnia and Herzegovina"),
    "BG": ("Bułgaria", "Bulgaria"),
    "HR": ("Chorwacja", "Croatia"),
    "CY": ("Cypr", "Cyprus"),
    "ME": ("Czarnogóra", "Montenegro"),
    "CZ": ("Czechy", "Czechia"),
    "DK": ("Dania", "Denmark"),
    "EE": ("Estonia", "Estonia"),
    "FI": ("Finlandia", "Finland"),
    "FR": ("Francja", "France"),
    "GR": ("Grecja", "Greece"),
    "ES": ("Hiszpania", "Spain"),
    "NL": ("Holandia", "Netherlands"),
    "IE": ("Irlandia", "Ireland"),
    "IS": ("Islandia", "Iceland"),
    "LI": ("Liechtenstein", "Liechtenstein"),
    "LT": ("Litwa", "Lithuania"),
    "LU": ("Luksemburg", "Luxembourg"),
    "LV": ("Łotwa", "Latvia"),
    "MK": ("Macedonia Północna", "North Macedonia"),
    "MT": ("Malta", "Malta"),
    "MD": ("Mołdawia", "Moldova"),
    "MC": ("Monako", "Monaco"),
    "DE": ("Niemcy", "Germany"),
    "NO": ("Norwegia", "Norway"),
    "PT": ("Portugalia", "Portugal"),
    "RU": ("Rosja", "Russia"),
    "RO": ("Rumunia", "Romania"),
    "SM": ("San Marino", "San Marino"),
    "RS": ("Serbia", "Serbia"),
    "SK": ("Słowacja", "Slovakia"),
    "SI": ("Słowenia", "Slovenia"),
    "CH": ("Szwajcaria", "Switzerland"),
    "SE": ("Szwecja", "Sweden"),
    "TR": ("Turcja", "Türkiye"),
    "UA": ("Ukraina", "Ukraine"),
    "VA": ("Watykan", "Vatican City"),
    "HU": ("Węgry", "Hungary"),
    "GB": ("Wielka Brytania", "United Kingdom"),
    "IT": ("Włochy", "Italy"),
}

EU_EEA = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
        "IS",
        "LI",
        "NO",
        "CH",
    ]
)
# The Green Card system's European members (without Russia and Belarus, suspended in 2022).
GREEN_CARD_EUROPE = EU_EEA | frozenset(
    ["AL", "AD", "BA", "ME", "MK", "MD", "MC", "RS", "SM", "TR", "UA", "VA", "GB"]
)


class TerritorialScope:
    """The territorial scope of a vehicle's insurance policy (InsurancePolicy.territorial_scope)."""

    POLAND = "poland"
    EU_EEA = "eu_eea"
    EUROPE = "europe"


SCOPE_COUNTRIES: dict[str, frozenset[str]] = {
    TerritorialScope.POLAND: frozenset({"PL"}),
    TerritorialScope.EU_EEA: EU_EEA,
    TerritorialScope.EUROPE: GREEN_CARD_EUROPE,
}


def country_name(code: str, language: str | None = None) -> str:
    names = COUNTRIES.get(code)
    if names is None:
        return code
    language = language or get_language() or "pl"
    return names[1] if language.startswith("en") else names[0]


# Polish letters sort right after their base letter (Ł after L, Ś after S).
_POLISH_ORDER = str.maketrans(
    {c: b + "~" for c, b in zip("ĄĆĘŁŃÓŚŹŻąćęłńóśźż", "ACELNOSZZacelnoszz", strict=True)}
)


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, name) in the alphabetical order of the names in the language."""
    pairs = [(code, country_name(code, language)) for code in COUNTRIES]
    return sorted(pairs, key=lambda c: c[1].translate(_POLISH_ORDER))
