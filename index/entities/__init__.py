"""Named entities: extraction (spaCy model + rules), normalisation, storage, facets.

Importing this package is cheap: spaCy is imported only when an extractor is loaded
(``extractor.default_extractor``), never by ``index`` or the TUI's start-up.

- ``extractor``: the ``Extractor`` protocol, span merging and the fallback to rules.
- ``spacy_model`` / ``rules`` / ``gazetteer``: the extractors and their data; ``parallel`` runs
  an extractor in worker processes.
- ``labels``: the labels users see. ``normalise``: an article's clean mentions.
  ``canonical``: canonical names and majority labels across the corpus.
- ``annotate``: entities of a few articles without an index (``broadsheet extract``).
- ``store`` / ``phase``: the entity database, facets, and the resumable entity phase.
"""
