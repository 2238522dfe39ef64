"""A query cut to fit in a dialog: however long it is, the dialog keeps room for its box and keys
on an 80x24 terminal."""

QUERY_SHOWN = 100
"""The characters of a query that a dialog shows: at most three lines of a 72-column dialog."""


def shortened(text: str, limit: int = QUERY_SHOWN) -> str:
    """``text`` if it has at most ``limit`` characters, else its first ones and "…" in ``limit``."""
    return text if len(text) <= limit else f"{text[: limit - 1].rstrip()}…"
