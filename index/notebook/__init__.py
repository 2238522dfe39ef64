"""The investigator's notebook: what the user made of a corpus, kept apart from its index.

One SQLite file per corpus in the user's data folder (``location``), versioned with migrations
(``database``), read and changed through ``Notebook`` (``store``). It holds the entity curation
(``curation``: hide, merge, rename, relabel, undo; ``names`` finds the entity a user names), which
the library applies wherever entities are read and to entity queries, and each article's star, tags
and note, which the query fields ``starred:``, ``tag:`` and ``note:`` read. It moves between
machines as a JSON file (``exchange``). Everything is keyed by what survives a re-index, a rebuild,
an engine change and deleting the cache: entity names and labels, article ids (with the hash of the
text a note was made on).
"""
