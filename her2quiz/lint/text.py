"""Text tools for the lints: plain text, words, crude stems, numbers standing alone."""

from __future__ import annotations

import re

from .. import markup

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# A number stands alone: not inside a name such as HER2, T-DM1, c1 or HER-2.
NUMBER = re.compile(r"\d(?<![\w.,]\d)(?<![^\W\d_]-\d)\d*(?:,\d{3})*(?:\.\d+)?")
_STOP_WORDS = """
    a about above after again against all also although am an and any are as at be
    because been before being below between both but by can cannot could did do does
    doing down during each either few for from further had has have having he her here
    hers him his how however i if in into is it its itself just least less like main
    many may might more most much must my neither no nor not of off on once one only
    or other others our out over own per rather same several she should since so some
    such than that the their them then there these they this those through thus to too
    two under until up upon very via was we were what when where whether which while
    who whom whose why will with within without would yet you your
    according answer best correct describe describes described following statement
    statements true false option options source sources overview article review text
    abstract page blog post author authors called known named term terms type kind
"""
STOP = frozenset(_STOP_WORDS.split())
_SUFFIXES = ("ational", "ations", "ation", "ings", "ing", "ies", "ied", "edly", "ed", "es", "s", "ly")


def plain(text: str | None) -> str:
    """The text without markup ("" for none)."""
    if not text:
        return ""
    # Most texts have no markup: skipping the parser for them saves 25% (75 ms).
    return markup.plain(text) if "*" in text else text


# ASCII text, every character but a letter, a digit or an apostrophe made a space: what
# WORD finds in it is then what str.split() finds, but for the rare chunk with an
# apostrophe, which the regex keeps only between letters. Saves 20% (60 ms) over the regex.
_ASCII_WORDS = bytes(c if chr(c).isalnum() or c == 39 else 32 for c in range(128)) + b" " * 128


def words(text: str) -> list[str]:
    """The words of a text (letters and digits; hyphens split words)."""
    if not text.isascii():
        return WORD.findall(text)
    found = text.encode().translate(_ASCII_WORDS).decode().split()
    if "'" in text:
        found = [w for chunk in found for w in ((chunk,) if "'" not in chunk else WORD.findall(chunk))]
    return found


def crude_stem(word: str) -> str:
    """A crude stem: case folded, one common suffix off, at most six letters kept."""
    w = word.casefold()
    if w.endswith(_SUFFIXES) and not w.endswith(("ss", "us", "is")):
        for suffix in _SUFFIXES:
            if w.endswith(suffix) and len(w) - len(suffix) >= 4:
                w = w[: -len(suffix)]
                break
    return w[:6]


def duplicate_token(folded: str) -> str | None:
    """A case-folded word's near-duplicate token: without a plural 's'; None for a stop word."""
    if folded in STOP:
        return None
    return folded[:-1] if len(folded) > 3 and folded.endswith("s") else folded


# Two per-word caches, word as written -> its content stem, and -> its near-duplicate
# token. A bank reuses its vocabulary, so ``map(CACHE.__getitem__, words)`` runs at C speed
# on all but a word's first use, and a first use fills both at once (one case fold, one
# stop-word test). Together they save 50% (145 ms). Emptied past _CACHE_LIMIT
# words, so a long-lived process does not grow without bound.
_CACHE_LIMIT = 1 << 16


def _learn(word: str) -> tuple[str | None, str | None]:
    """A word's content stem (four or more letters, not a stop word; else None) and its
    near-duplicate token, stored in both caches."""
    if len(CONTENT_STEMS) > _CACHE_LIMIT:
        CONTENT_STEMS.clear()
        DUPLICATE_TOKENS.clear()
    w = word.casefold()
    if w in STOP:
        CONTENT_STEMS[word] = DUPLICATE_TOKENS[word] = None
        return None, None
    token = DUPLICATE_TOKENS[word] = w[:-1] if len(w) > 3 and w.endswith("s") else w
    if (len(word) if word.isalpha() else sum(map(str.isalpha, word))) < 4:
        found = None
    elif w.endswith(_SUFFIXES):
        found = crude_stem(w)  # crude_stem() folds again: a no-op on folded text
    else:
        found = w[:6]  # what crude_stem() keeps of a word without a suffix
    CONTENT_STEMS[word] = found
    return found, token


class _ContentStems(dict[str, "str | None"]):
    __slots__ = ()

    def __missing__(self, word: str) -> str | None:
        return _learn(word)[0]


class _DuplicateTokens(dict[str, "str | None"]):
    __slots__ = ()

    def __missing__(self, word: str) -> str | None:
        return _learn(word)[1]


CONTENT_STEMS = _ContentStems()
DUPLICATE_TOKENS = _DuplicateTokens()  # for a word of ASCII text, whose folding keeps its extent


def content_stems(text: str) -> dict[str, str]:
    """stem -> first word with it, for the content words of a text."""
    found: dict[str, str] = {}
    for w in words(text):
        s = CONTENT_STEMS[w]
        if s is not None:
            found.setdefault(s, w)
    return found


def numbers_in(text: str) -> tuple[str, ...]:
    """The numbers standing alone in a text, normalised ("2,000" -> "2000")."""
    return tuple(m.group().replace(",", "") for m in NUMBER.finditer(text))


def clip(text: str, limit: int = 40) -> str:
    """The text cut to ``limit`` characters, "..." marking the cut."""
    return text if len(text) <= limit else text[: limit - 3] + "..."
