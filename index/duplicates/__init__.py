"""Wire copies: articles whose clean bodies are the same (exact copies) or nearly so (near
copies: a sentence dropped, a paragraph added, another byline), grouped so that a result list
shows a story once.

``phase`` keeps, per article, the hash of its clean body and a MinHash signature of its word
shingles (``signatures``) in the duplicates database (``store``), and the pairs of articles whose
estimated resemblance reaches ``FLOOR``; ``groups`` joins the pairs at a chosen threshold into
groups, and ``collapse`` folds a result list by them.
"""

from index.duplicates.models import DEFAULT_THRESHOLD, FLOOR, Copy, DuplicateGroup, check_threshold

__all__ = ["DEFAULT_THRESHOLD", "FLOOR", "Copy", "DuplicateGroup", "check_threshold"]
