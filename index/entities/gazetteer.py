"""A small curated list of unambiguous names whose label the small model often gets wrong.

Kept deliberately short and general (world countries, large cities, international bodies, big
companies and online platforms): the model calls platforms people ("Facebook said") and the rules
need names to offer anything when no model is installed. Ambiguous names ("Apple" the fruit,
"Jordan" the person, "Chelsea" the club) are left out on purpose; matching is case-sensitive.
"""

from __future__ import annotations

from index.entities.labels import ORG, PLACE

_COUNTRIES = """
Afghanistan Albania Algeria Angola Argentina Armenia Australia Austria Azerbaijan Bahrain Bangladesh
Belarus Belgium Bolivia Bosnia Botswana Brazil Bulgaria Cambodia Cameroon Canada Chile China Colombia
Croatia Cuba Cyprus Denmark Ecuador Egypt Eritrea Estonia Ethiopia Finland France Germany Ghana Greece
Guatemala Haiti Honduras Hungary Iceland India Indonesia Iran Iraq Ireland Israel Italy Japan Kazakhstan
Kenya Kosovo Kuwait Kyrgyzstan Laos Latvia Lebanon Liberia Libya Lithuania Luxembourg Madagascar Malawi
Malaysia Mali Malta Mexico Moldova Mongolia Montenegro Morocco Mozambique Myanmar Namibia Nepal
Netherlands Nicaragua Niger Nigeria Norway Oman Pakistan Palestine Panama Paraguay Peru Philippines Poland
Portugal Qatar Romania Russia Rwanda Scotland Senegal Serbia Singapore Slovakia Slovenia Somalia Spain
Sudan Sweden Switzerland Syria Taiwan Tajikistan Tanzania Thailand Tunisia Turkey Turkmenistan Uganda
Ukraine Uruguay Uzbekistan Venezuela Vietnam Wales Yemen Zambia Zimbabwe Britain England Europe Africa
Asia
"""
_MULTIWORD_COUNTRIES = (
    "United States",
    "United Kingdom",
    "New Zealand",
    "South Africa",
    "South Korea",
    "North Korea",
    "Saudi Arabia",
    "Sri Lanka",
    "Northern Ireland",
    "Czech Republic",
)
_MULTIWORD_PLACES = (
    "Hong Kong",
    "New York",
    "Los Angeles",
    "San Francisco",
    "Latin America",
    "Middle East",
)
_CITIES = """
London Moscow Berlin Paris Washington Beijing Tokyo Brussels Rome Madrid Kiev Kyiv Delhi Mumbai Baghdad
Tehran Cairo Istanbul Ankara Jerusalem Dublin Edinburgh Glasgow Cardiff Belfast Manchester Liverpool
Birmingham Leeds Sydney Melbourne Toronto Vienna Warsaw Prague Budapest Athens Lisbon Stockholm Oslo
Copenhagen Helsinki Amsterdam Geneva Zurich Frankfurt Munich Milan Shanghai Seoul Bangkok Jakarta
Nairobi Lagos Johannesburg Kabul Islamabad Karachi Damascus Beirut
"""
_ORGS = (
    "Facebook",
    "Twitter",
    "Instagram",
    "YouTube",
    "TikTok",
    "VKontakte",
    "Telegram",
    "WhatsApp",
    "Google",
    "Microsoft",
    "Amazon",
    "Netflix",
    "Spotify",
    "Yahoo",
    "eBay",
    "Nokia",
    "Samsung",
    "Sony",
    "Intel",
    "IBM",
    "Vodafone",
    "Reuters",
    "AFP",
    "BBC",
    "CNN",
    "Interfax",
    "Nato",
    "NATO",
    "UN",
    "EU",
    "Unesco",
    "Unicef",
    "IMF",
    "WTO",
    "OPEC",
    "Opec",
    "Kremlin",
    "Interpol",
    "Europol",
    "FBI",
    "CIA",
    "United Nations",
    "European Union",
    "European Commission",
    "World Bank",
    "Red Cross",
    "Fifa",
    "FIFA",
    "Uefa",
    "UEFA",
    "Ofcom",
    "Greenpeace",
    "Amnesty International",
)

COUNTRIES = frozenset((*_COUNTRIES.split(), *_MULTIWORD_COUNTRIES))
"""Countries and the nations of the UK (and continents): the places national teams are named after."""

GAZETTEER: dict[str, str] = {
    **{name: PLACE for name in (*COUNTRIES, *_MULTIWORD_PLACES, *_CITIES.split())},
    **{name: ORG for name in _ORGS},
}
"""Exact surface form -> user label."""

_FIRST_NAMES = """
Aaron Adam Adrian Ahmed Alan Albert Alex Alexander Alexei Alice Alison Alistair Amanda Amy Andrea Andrew
Andy Angela Ann Anna Anne Anthony Antonio Arnold Barbara Ben Benjamin Bill Bob Brian Bruce Carl Carlos
Carol Caroline Carolina Catherine Charles Charlie Charlotte Chris Christian Christine Christopher Claire
Colin Craig Dan Daniel Darren David Dennis Diana Dmitry Donald Edward Elena Elizabeth Emily Emma Eric Frank
Fred Gary George Gordon Graham Greg Hannah Harry Helen Henry Hugh Ian Irina Isabel Ivan Jack Jacques James
Jane Janet Jason Jean Jennifer Jeremy Jessica Jim Joe John Jonathan Jose Joseph Julia Julian Julie Karen
Kate Katherine Kevin Laura Lee Leonard Linda Lisa Louis Louise Lucy Luis Marc Margaret Maria Mark Martin
Mary Matthew Maurice Michael Michel Michelle Mike Mikhail Natalia Natasha Neil Nicholas Nick Nicola Nikolai
Oleg Oliver Olga Patricia Patrick Paul Pedro Peter Philip Rachel Ray Rebecca Richard Rob Robert Roger Ronald
Rose Ruth Ryan Sally Sam Samuel Sandra Sarah Scott Sean Sergei Simon Sophie Stephen Steve Steven Stuart Susan
Thomas Tim Timothy Tom Tony Vladimir Walter William Yelena Yulia Yuri
"""
FIRST_NAMES = frozenset(_FIRST_NAMES.split())
"""Common given names: a name the model calls a place or an organisation but that starts with one
of these ("Alistair Cragg") votes PERSON."""
