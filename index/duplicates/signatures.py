"""What an article's copies are recognised by: the hash of its clean body (exact copies) and a
MinHash signature of its word shingles (near copies), cut into bands for locality-sensitive
hashing. ``datasketch`` computes the signatures; this module alone imports it, and it and numpy
only when there is something to sign or compare (a search that finds the phase up to date loads
neither).

A shingle is ``SHINGLE_WORDS`` consecutive words, case-folded, punctuation dropped: a dropped
sentence, another byline or a paragraph added changes only the shingles it touches.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from datasketch import MinHash

SHINGLE_WORDS = 4
NUM_PERM = 128
SEED = 1
SCHEME = "affine32"
"""The permutations of every signature ever stored: changing either means signing again
(``store.SIGNATURE_VERSION``). ``affine32`` (datasketch 2's default) keeps 32-bit values."""
BANDS, ROWS = 25, 5
"""What ``datasketch.MinHashLSH(threshold=FLOOR, num_perm=NUM_PERM)`` chooses (the test
``test_bands_are_what_datasketch_chooses`` checks): two articles whose signatures agree in all
``ROWS`` rows of any of the ``BANDS`` bands are compared; pairs at the floor are found with a
probability of 1 - (1 - 0.5**5)**25 = 0.55, at 0.6 of 0.87, at 0.7 of 0.99."""

_WORD = re.compile(r"\w+")


def content_hash(body: str) -> str:
    """The same for two clean bodies that differ only in spacing and line breaks."""
    return hashlib.sha256(" ".join(body.split()).encode("utf-8", "surrogatepass")).hexdigest()


def shingles(body: str) -> set[bytes]:
    """The word shingles of a body (one shingle of all its words when it has fewer)."""
    words = _WORD.findall(body.casefold())
    if not words:
        return set()
    last = max(1, len(words) - SHINGLE_WORDS + 1)
    return {" ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8", "surrogatepass") for i in range(last)}


def signature(body: str) -> bytes | None:
    """The MinHash signature of a body's shingles, ``NUM_PERM`` unsigned 32-bit values; None for a
    body without words."""
    words = shingles(body)
    if not words:
        return None
    import numpy as np

    minhash = _minhash()
    minhash.update_batch(words)
    values: np.ndarray = minhash.hashvalues
    return values.astype(np.uint32).tobytes()


def similarity(first: bytes, second: bytes) -> float:
    """The estimated Jaccard similarity of the shingles behind two signatures."""
    import numpy as np

    a = np.frombuffer(first, dtype=np.uint32)
    b = np.frombuffer(second, dtype=np.uint32)
    return float(np.count_nonzero(a == b)) / NUM_PERM


def band_keys(signature: bytes) -> Iterator[int]:
    """One signed 64-bit key per band: two signatures share a key when they agree in that band."""
    width = ROWS * 4
    for band in range(BANDS):
        digest = hashlib.blake2b(
            signature[band * width : (band + 1) * width], digest_size=8, person=band.to_bytes(2, "little")
        ).digest()
        yield int.from_bytes(digest, "little", signed=True)


def _minhash() -> MinHash:
    """An empty MinHash with the shared permutations (drawing them anew costs more than signing)."""
    from datasketch import MinHash

    template = _template()
    return MinHash(num_perm=NUM_PERM, seed=SEED, permutations=template.permutations, scheme=SCHEME)


@lru_cache(maxsize=1)
def _template() -> MinHash:
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
