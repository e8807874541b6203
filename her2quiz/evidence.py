"""Quotes and the source texts they come from.

A quote matches its source when both are equal after :func:`normalise`: case folded,
white space and punctuation (Unicode categories P* and Z*) removed, compatibility forms
unified (NFKC). So hard line breaks, run-together words ("afterneoadjuvant") and
typographic quotes in a captured web page do not matter; every letter, digit and symbol
(``+``, ``=``) still must.

Each source text is normalised and indexed once (a slice every STEP characters); a quote
is then found with one dict look-up per character, not a scan of the text, so checking
grows linearly with the number of quotes.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .files import Refused, read_bounded

MAX_SOURCE_BYTES = 16 * 1024 * 1024  # a source text larger than this is refused unread
K = 12  # length of the indexed slices of a normalised text
STEP = 8  # one indexed slice every STEP characters


@lru_cache(maxsize=4096)
def _dropped(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch)[0] in "PZC"


# ASCII white space, punctuation and control characters, for the fast path: bytes.translate
# lowers and drops in one C pass (about 10 times str.lower().translate; W341 normalises every
# quote of a 10,000-question bank: 15 ms -> 2 ms).
_ASCII_LOWER = bytes(c + 32 if 65 <= c <= 90 else c for c in range(256))
_ASCII_DROP_BYTES = bytes(c for c in range(128) if _dropped(chr(c)))


def normalise(text: str) -> str:
    """The form quotes and sources are compared in."""
    if text.isascii():  # NFKC and casefold change nothing else in ASCII
        return text.encode("ascii").translate(_ASCII_LOWER, _ASCII_DROP_BYTES).decode("ascii")
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if not _dropped(ch))


@dataclass
class SourceText:
    """One source's normalised text and a sparse index of its slices."""

    text: str
    index: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def from_text(cls, raw: str) -> SourceText:
        text = normalise(raw)
        index: dict[str, list[int]] = {}
        for start in range(0, max(len(text) - K + 1, 0), STEP):
            index.setdefault(text[start : start + K], []).append(start)
        return cls(text, index)

    def contains(self, quote: str) -> bool:
        """True when the normalised quote occurs in the normalised text."""
        q = normalise(quote)
        if not q:
            return False
        if len(q) < K + STEP:
            return q in self.text
        get = self.index.get
        last = len(q) - K
        # An occurrence at position p has its slices at offsets o with (p + o) % STEP == 0
        # indexed. For each alignment, look up those slices and verify the rarest one's
        # positions: repetitive text cannot make a look-up scan the whole text.
        for alignment in range(STEP):
            best: tuple[int, list[int]] | None = None
            for offset in range(alignment, last + 1, STEP):
                bucket = get(q[offset : offset + K])
                if bucket is None:
                    best = None
                    break
                if best is None or len(bucket) < len(best[1]):
                    best = (offset, bucket)
            if best is None:
                continue
            offset, bucket = best
            for start in bucket:
                begin = start - offset
                if begin >= 0 and self.text.startswith(q, begin):
                    return True
        return False


def unsafe_name(file: str) -> str | None:
    """Why a source's ``file`` may not be used as a name inside the sources folder, or None."""
    if not file or "\x00" in file:
        return "is empty or holds a NUL character"
    path = Path(file)
    if path.is_absolute() or file.startswith(("/", "\\")) or (len(file) > 1 and file[1] == ":"):
        return "is an absolute path; name a file inside the sources folder"
    if ".." in path.parts or ".." in file.replace("\\", "/").split("/"):
        return "climbs out of the sources folder ('..')"
    return None


@dataclass
class Library:
    """The source texts of a bank, read from one folder on first use.

    A file is looked up only inside the folder: a name that is absolute, climbs out with
    ``..`` or is a symbolic link leading out is refused (:meth:`refusal`), never read.
    """

    folder: Path
    _texts: dict[str, SourceText | str | None] = field(default_factory=dict)

    def _entry(self, file: str) -> SourceText | str | None:
        if file not in self._texts:
            reason = unsafe_name(file)
            if reason is None:
                try:
                    raw = read_bounded(self.folder / file, MAX_SOURCE_BYTES, inside=self.folder)
                    self._texts[file] = SourceText.from_text(raw.decode("utf-8-sig"))
                except Refused as e:
                    self._texts[file] = str(e)
                except UnicodeDecodeError as e:
                    self._texts[file] = f"is not UTF-8 (byte {e.start})"
                except OSError:
                    self._texts[file] = None
            else:
                self._texts[file] = reason
        return self._texts[file]

    def get(self, file: str) -> SourceText | None:
        """The indexed text of a source file, or None when it is missing or refused."""
        entry = self._entry(file)
        return entry if isinstance(entry, SourceText) else None

    def refusal(self, file: str) -> str | None:
        """Why ``file`` is refused (an error in the bank), or None (found, or just missing)."""
        entry = self._entry(file)
        return entry if isinstance(entry, str) else None
