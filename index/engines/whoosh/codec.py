"""The Whoosh codec Broadsheet writes segments with.

Whoosh's default codec, except that it does not record each posting block's shortest and longest
document. Gathering those costs one length lookup per posting, about a tenth of indexing time,
and they only let the searcher skip blocks that cannot reach the top hits: with them absent it
assumes the best case, so scores and results are unchanged (``tests/test_store.py`` compares).
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import W3Codec


def writing_codec() -> W3Codec:
    codec = W3Codec()
    codec.length_stats = False
    return codec
