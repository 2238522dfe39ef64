"""The labels users see, and how the model's OntoNotes labels map onto them.

OntoNotes splits places three ways (GPE, LOC, FAC) and dates two ways (DATE, TIME); a reader
filtering the sidebar wants one "place" and one "date". Cardinal and ordinal numbers are noise in
an entity list ("two", "first"), so they are dropped.
"""

from __future__ import annotations

from index.models import ENTITY_LABELS

PERSON, ORG, PLACE, GROUP, EVENT, DATE, MONEY, PERCENT, OTHER = ENTITY_LABELS

FROM_ONTONOTES: dict[str, str] = {
    "PERSON": PERSON,
    "ORG": ORG,
    "GPE": PLACE,
    "LOC": PLACE,
    "FAC": PLACE,
    "NORP": GROUP,
    "EVENT": EVENT,
    "DATE": DATE,
    "TIME": DATE,
    "MONEY": MONEY,
    "PERCENT": PERCENT,
    "QUANTITY": OTHER,
    "PRODUCT": OTHER,
    "WORK_OF_ART": OTHER,
    "LAW": OTHER,
    "LANGUAGE": OTHER,
}
"""OntoNotes label -> user label; labels missing here (CARDINAL, ORDINAL) are dropped."""

NUMERIC_LABELS = frozenset({DATE, MONEY, PERCENT})
"""Labels of values rather than names: "May" the month and "May" the person are different entities."""

LABEL_RANK: dict[str, int] = {label: rank for rank, label in enumerate(ENTITY_LABELS)}
"""Tie-break order of the majority vote: the earlier label in ENTITY_LABELS wins a tie."""


def user_label(ontonotes_label: str) -> str | None:
    """The user label for a model label, or None when the mention is to be dropped."""
    return FROM_ONTONOTES.get(ontonotes_label)
