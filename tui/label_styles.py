"""The entity labels' colours as the CSS of a widget's component classes, one rule per label.

The sidebar's headings and the reader's marks colour a label alike because both are written from
the label's entry in ``index.entities.labels.LABELS``: a theme colour, used as ``$text-<colour>``.
"""

from __future__ import annotations

from collections.abc import Callable

from index.entities.labels import LABELS


def label_components(component: Callable[[str], str]) -> set[str]:
    """The component class of every label (``component`` names one from a label)."""
    return {component(label.name) for label in LABELS}


def label_rules(component: Callable[[str], str], declarations: str = "") -> list[str]:
    """A nested CSS rule per label giving its component class its colour and ``declarations``."""
    rules = []
    for label in LABELS:
        colour = f"color: $text-{label.colour}; " if label.colour else ""
        rules.append(f"    & > .{component(label.name)} {{ {colour}{declarations}}}")
    return rules
