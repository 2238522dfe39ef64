"""The entity labels users see: one entry each, and everything else derived from the entries.

A label's entry says how it is searched (its query field), how the explorer colours it, whether
it names a value rather than a thing, and which of the model's labels become it. The index
schema, the query fields, the sidebar's and the reader's colours and the command line's
``--label`` choice are all read from ``LABELS``, so that a new label is one entry here.

OntoNotes splits places three ways (GPE, LOC, FAC) and dates two ways (DATE, TIME); a reader
filtering the sidebar wants one "place" and one "date". Cardinal and ordinal numbers are noise in
an entity list ("two", "first"), so no label takes them and they are dropped.

The pattern labels (EMAIL, PHONE, URL, ACCOUNT, HANDLE, HASHTAG) come from ``patterns``, never from
the model: each entity is written in one canonical form (an E.164 number, a lower-cased address),
and its query field holds that form as one word, so ``phone:+442079460958`` matches it exactly.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EntityLabel:
    """One kind of entity: its name, its query field, its colour and where the model's labels go."""

    name: str
    """As stored, printed and shown over the sidebar's group: upper case, e.g. ``PERSON``."""

    query_field: str | None = None
    """The field that finds articles mentioning an entity of this label (``person:navalny``);
    None when only ``entity:`` finds it."""

    colour: str | None = None
    """Which of the theme's colours marks it in the sidebar and the reader: ``primary``,
    ``secondary``, ``accent``, ``warning``, ``error``, ``success`` or ``muted`` (the explorer's
    ``$text-<colour>``, so that the marks follow the theme); None keeps the text's colour."""

    numeric: bool = False
    """A value rather than a name: "May" the month and "May" the person are different entities."""

    model_labels: tuple[str, ...] = ()
    """The spaCy model's OntoNotes labels that become this label."""

    exact: bool = False
    """Found by a pattern and written in a canonical form: its query field holds each canonical as
    one word (an address, a number), and a query value is put in that form before it is matched."""


PERSON = "PERSON"
ORG = "ORG"
PLACE = "PLACE"
GROUP = "GROUP"
EVENT = "EVENT"
DATE = "DATE"
MONEY = "MONEY"
PERCENT = "PERCENT"
OTHER = "OTHER"
EMAIL = "EMAIL"
PHONE = "PHONE"
URL = "URL"
ACCOUNT = "ACCOUNT"
HANDLE = "HANDLE"
HASHTAG = "HASHTAG"

LABELS: tuple[EntityLabel, ...] = (
    EntityLabel(PERSON, query_field="person", colour="success", model_labels=("PERSON",)),
    EntityLabel(ORG, query_field="org", colour="primary", model_labels=("ORG",)),
    EntityLabel(PLACE, query_field="place", colour="warning", model_labels=("GPE", "LOC", "FAC")),
    EntityLabel(GROUP, query_field="group", colour="secondary", model_labels=("NORP",)),
    EntityLabel(EVENT, query_field="event", colour="error", model_labels=("EVENT",)),
    EntityLabel(DATE, colour="muted", numeric=True, model_labels=("DATE", "TIME")),
    EntityLabel(MONEY, colour="accent", numeric=True, model_labels=("MONEY",)),
    EntityLabel(PERCENT, colour="accent", numeric=True, model_labels=("PERCENT",)),
    EntityLabel(OTHER, model_labels=("QUANTITY", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE")),
    EntityLabel(EMAIL, query_field="email", colour="secondary", exact=True),
    EntityLabel(PHONE, query_field="phone", colour="secondary", exact=True),
    EntityLabel(URL, query_field="url", colour="primary", exact=True),
    EntityLabel(ACCOUNT, query_field="account", colour="error", exact=True),
    EntityLabel(HANDLE, query_field="handle", colour="success", exact=True),
    EntityLabel(HASHTAG, query_field="hashtag", colour="warning", exact=True),
)
"""Every label, in the order the sidebar lists them; the earlier label also wins a tied vote."""

ENTITY_LABELS: tuple[str, ...] = tuple(label.name for label in LABELS)
"""The label names, in the order of ``LABELS``."""

LABEL_RANK: dict[str, int] = {name: rank for rank, name in enumerate(ENTITY_LABELS)}
"""A label's place in ``LABELS``: the sidebar's order and the tie-break of the majority vote."""

ENTITY_FIELDS: dict[str, str] = {label.name: label.query_field for label in LABELS if label.query_field}
"""Label -> its query field, for the labels that have one; every label also goes into ``entity``."""

NUMERIC_LABELS = frozenset(label.name for label in LABELS if label.numeric)
"""Labels of values rather than names."""

EXACT_FIELDS: dict[str, str] = {
    label.query_field: label.name for label in LABELS if label.exact and label.query_field
}
"""Query field -> its label, for the fields that hold canonical forms as single words."""

FROM_ONTONOTES: dict[str, str] = {model: label.name for label in LABELS for model in label.model_labels}
"""OntoNotes label -> user label; labels missing here (CARDINAL, ORDINAL) are dropped."""


def user_label(ontonotes_label: str) -> str | None:
    """The user label for a model label, or None when the mention is to be dropped."""
    return FROM_ONTONOTES.get(ontonotes_label)
