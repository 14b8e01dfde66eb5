"""Name normalisation: the comparable parts of a name.

Diacritics and case are dropped, hyphens split, and the Spanish particles of a compound surname
("de", "del", "y", ...) removed, so "García-López", "Garcia Lopez" and "García de López" all
give the parts ("garcia", "lopez"). Placeholder names that hospitals give newborns ("Baby Girl
Rivera", "Infant", "Unknown") are detected so they never drive an automatic match.
"""

from __future__ import annotations

import re
import unicodedata

PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "e", "da", "do", "dos", "van", "von"})
PLACEHOLDER_WORDS = frozenset({
    "baby", "babyboy", "babygirl", "infant", "newborn", "unknown", "unk", "unnamed", "nb",
    "boy", "girl", "twin", "test", "doe",
})
_NOT_LETTER = re.compile(r"[^a-z ]+")


def fold(text: str) -> str:
    """Lower case, no diacritics, punctuation and hyphens as spaces, single-spaced."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_LETTER.sub(" ", bare).split())


def parts(text: str) -> tuple[str, ...]:
    """The comparable parts of a name: folded words, particles dropped (unless nothing else)."""
    words = fold(text).split()
    kept = tuple(w for w in words if w not in PARTICLES)
    return kept or tuple(words)


def joined(text: str) -> str:
    return " ".join(parts(text))


def is_placeholder(given: str) -> bool:
    """A given name that stands in for an unknown one ("Baby Girl", "Infant", "Unknown", "")."""
    words = parts(given)
    return not words or all(w in PLACEHOLDER_WORDS for w in words)


def digits(text: str) -> str:
    """The last ten digits of a phone number (a leading US country code dropped)."""
    only = "".join(c for c in text if c.isdigit())
    return only[-10:]
