"""The English month names and the abbreviations news writes them with ("Jan", "Sept")."""

from __future__ import annotations

MONTHS: tuple[tuple[str, ...], ...] = (
    ("January", "Jan"),
    ("February", "Feb"),
    ("March", "Mar"),
    ("April", "Apr"),
    ("May",),
    ("June", "Jun"),
    ("July", "Jul"),
    ("August", "Aug"),
    ("September", "Sep", "Sept"),
    ("October", "Oct"),
    ("November", "Nov"),
    ("December", "Dec"),
)
"""Each month's full name, then its abbreviations, in calendar order."""

MONTH_NAMES: tuple[str, ...] = tuple(names[0] for names in MONTHS)

MONTH_NUMBERS: dict[str, int] = {
    name.lower(): number for number, names in enumerate(MONTHS, start=1) for name in names
}
"""Lower-case name or abbreviation -> month number: "sept" -> 9."""

MONTH = "|".join(MONTH_NAMES + tuple(short for names in MONTHS for short in names[1:]))
"""A regular-expression alternation of every name and abbreviation (case as written, no group)."""
