"""Item-writing lints: form flaws a machine can see in a schema-valid question.

Each rule looks at one question (its texts made plain and tokenised once, in
:class:`Item`) and yields :class:`Finding` values naming the field at fault; the bank
rule (near-duplicates) looks across questions through an inverted index, so the whole
pass stays linear in the size of the bank. A question's ``allow: {CODE: reason}``
silences a finding; an allow without a reason, or for a code that does not fire, is
itself a finding (W350, W351). Everything comes back as a warning; ``check --strict``
makes warnings errors.

The rules and their thresholds follow the NBME Item-Writing Guide (technical flaws),
Haladyna, Downing & Rodriguez (2002) and Wozniak's rules for flashcards; see
``ITEM-QUALITY.md`` and the README's "Lint codes".
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache
from itertools import accumulate, chain
from operator import attrgetter, itemgetter

from .bank import KINDS, AnyQuestion, Bank, Basic, ChoiceQuestion, Cloze, Multi, TrueFalse
from .cloze import CLOZE
from .diagnostics import Diagnostic, Severity

CODES: dict[str, str] = {
    "W301": "'all/none of the above' or a combination option ('A and C')",
    "W302": "the correct option is clearly the longest",
    "W303": "absolute words in some options and not others",
    "W304": "vague frequency words in options",
    "W305": "options of different kinds (numbers among words)",
    "W306": "numeric options shuffled instead of sorted",
    "W307": "an a/an or singular/plural cue in the stem that only the answer fits",
    "W310": "a negative stem word not in bold",
    "W311": "an mcq/multi stem that is not a question",
    "W312": "distinctive stem words repeated in the answer and in no distractor",
    "W313": "the answer's text inside the stem",
    "W320": "a cloze deletion longer than five words",
    "W321": "more than three deletions in one cloze",
    "W322": "a basic answer longer than 25 words",
    "W323": "a basic answer listing three or more items",
    "W330": "a number in the answer or explanation that no quote gives",
    "W331": "a hedged quote turned into a certainty",
    "W332": "no explanation",
    "W340": "a near-duplicate of another question",
    "W350": "an allow without a reason",
    "W351": "an allow for a code that does not fire",
}

LONG_RATIO = 1.5  # W302: answer length ≥ 1.5 × mean distractor length …
LONG_MIN_WORDS = 4  # … and at least this many words
CLOZE_MAX_WORDS = 5  # W320
CLOZE_MAX_DELETIONS = 3  # W321
BASIC_MAX_WORDS = 25  # W322
LIST_MIN_ITEMS = 3  # W323
LIST_ITEM_MAX_WORDS = 4  # W323: longer comma-separated parts are clauses, not items
CUE_MIN_WORDS = 2  # W312: distinctive stem words shared only with the answer (one happens by chance)
DUPLICATE = (4, 5)  # W340: Jaccard ≥ 4/5, kept as a fraction so the index is exact

# -- words ---------------------------------------------------------------------------


def _lazy(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A regex compiled on first use. Most rules run their exact regex only on the few texts
    a cheap test lets through, so importing this module compiles (almost) nothing."""
    return cache(lambda: re.compile(pattern, flags))


_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# A number stands alone: not inside a name such as HER2, T-DM1, c1 or HER-2.
_NUMBER = _lazy(r"\d(?<![\w.,]\d)(?<![^\W\d_]-\d)\d*(?:,\d{3})*(?:\.\d+)?")
_DIGIT = _lazy(r"\d")
_SENTENCE_END = _lazy(r"(?<=[.!?:;])\s+")
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
_STOP = frozenset(_STOP_WORDS.split())
_SUFFIXES = ("ational", "ations", "ation", "ings", "ing", "ies", "ied", "edly", "ed", "es", "s", "ly")


def plain(text: str | None) -> str:
    if not text:
        return ""
    if "*" not in text:
        return text
    from . import markup  # only a text with markup needs the parser

    return markup.plain(text)


# ASCII text, every character but a letter, a digit or an apostrophe made a space: what
# _WORD finds in it is then what str.split() finds (several times faster than the regex),
# but for the rare chunk with an apostrophe, which the regex keeps only between letters.
_ASCII_WORDS = bytes(c if chr(c).isalnum() or c == 39 else 32 for c in range(128)) + b" " * 128


def words(text: str) -> list[str]:
    """The words of a text (letters and digits; hyphens split words)."""
    if not text.isascii():
        return _WORD.findall(text)
    found = text.encode().translate(_ASCII_WORDS).decode().split()
    if "'" in text:
        found = [w for chunk in found for w in ((chunk,) if "'" not in chunk else _WORD.findall(chunk))]
    return found


def has_digit(text: str) -> bool:
    """Whether ``\\d`` finds anything; ASCII text (most text) is searched without a regex."""
    if text.isascii():
        return len(text.encode().translate(None, b"0123456789")) != len(text)
    return _DIGIT().search(text) is not None


def has_any(hints: tuple[str, ...], folded: str) -> bool:
    """A cheap test for a word list — any of them anywhere in a case-folded text, even inside
    a word — to run before the exact (and slower, case-insensitive) word-list regex."""
    for w in hints:  # noqa: SIM110 - a plain loop: no generator on this hot path
        if w in folded:
            return True
    return False


def stem(word: str) -> str:
    """A crude stem: case folded, one common suffix off, at most six letters kept."""
    w = word.casefold()
    if w.endswith(_SUFFIXES) and not w.endswith(("ss", "us", "is")):
        for suffix in _SUFFIXES:
            if w.endswith(suffix) and len(w) - len(suffix) >= 4:
                w = w[: -len(suffix)]
                break
    return w[:6]


def _learn(word: str) -> tuple[str | None, str | None]:
    """A word's content stem and (for a word of ASCII text) near-duplicate token, stored in
    both per-word caches at once (one case fold, one stop-word test)."""
    w = word.casefold()
    if w in _STOP:
        _CONTENT_STEMS[word] = _ASCII_DUPLICATE_TOKENS[word] = None
        return None, None
    token = None
    if word.isascii():
        token = _ASCII_DUPLICATE_TOKENS[word] = w[:-1] if len(w) > 3 and w.endswith("s") else w
    if (len(word) if word.isalpha() else sum(map(str.isalpha, word))) < 4:
        found = None
    elif w.endswith(_SUFFIXES):
        found = stem(w)  # stem() folds again: a no-op on folded text
    else:
        found = w[:6]  # what stem() keeps of a word without a suffix
    _CONTENT_STEMS[word] = found
    return found, token


class _ContentStems(dict[str, "str | None"]):
    """word as written -> content_stem(word), worked out once per distinct word (a bank
    reuses its vocabulary): ``map(cache.__getitem__, words)`` then runs at C speed."""

    __slots__ = ()

    def __missing__(self, word: str) -> str | None:
        return _learn(word)[0]


class _AsciiDuplicateTokens(dict[str, "str | None"]):
    """word of ASCII text as written -> its near-duplicate token. Folding ASCII text changes
    no word's extent, so such a text's tokens are its words' (found for the other rules)."""

    __slots__ = ()

    def __missing__(self, word: str) -> str | None:
        return _learn(word)[1]


_CONTENT_STEMS = _ContentStems()
_ASCII_DUPLICATE_TOKENS = _AsciiDuplicateTokens()


def content_stem(word: str) -> str | None:
    """The stem of a content word (four or more letters, not a stop word), else None."""
    return _CONTENT_STEMS[word]


def content_stems(text: str) -> dict[str, str]:
    """stem -> first word with it, for the content words of a text."""
    found: dict[str, str] = {}
    for w in words(text):
        s = _CONTENT_STEMS[w]
        if s is not None:
            found.setdefault(s, w)
    return found


@lru_cache(maxsize=1 << 12)
def numbers(text: str) -> tuple[str, ...]:
    """The numbers standing alone in a text, normalised ("2,000" -> "2000")."""
    if not has_digit(text):
        return ()
    return tuple(m.group().replace(",", "") for m in _NUMBER().finditer(text))


def clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


# -- one question, prepared once -------------------------------------------------------


class Finding:
    """A lint that fired on one question, at one of its fields (a ``where`` key)."""

    __slots__ = ("code", "field", "message")

    def __init__(self, code: str, field: str, message: str) -> None:
        self.code = code
        self.field = field
        self.message = message

    def __repr__(self) -> str:
        return f"Finding({self.code!r}, {self.field!r}, {self.message!r})"


def prompt_field(q: AnyQuestion) -> str:
    """The ``where`` key of a question's prompt."""
    return (
        "stem" if isinstance(q, (ChoiceQuestion, Basic)) else "text" if isinstance(q, Cloze) else "statement"
    )


_QUOTE, _TEXT = attrgetter("quote"), attrgetter("text")

# What a question may hold, for the rules that look for a word list or a number; an Item
# starts with every flag set, and screen() clears those its texts rule out.
MAY_ABSOLUTE, MAY_VAGUE, MAY_NEGATIVE, MAY_HEDGE, MAY_OPTION_DIGIT, MAY_STATED_DIGIT = 1, 2, 4, 8, 16, 32
MAY_ALL = 63


class Item:
    """A question's texts, plain (markup removed), and what the rules derive from them:
    made plain once, tokenised once on first use."""

    __slots__ = (
        "_answer_field",
        "_clause",
        "_filled",
        "answer_words",
        "answers",
        "ascii",
        "dels",
        "distractors",
        "explain",
        "may",
        "options_text",
        "prompt",
        "prompt_field",
        "prompt_words",
        "q",
        "quotes",
        "raw_prompt",
        "stated_text",
    )

    def __init__(self, q: AnyQuestion) -> None:
        self.q = q
        self.raw_prompt = raw = q.prompt
        self.prompt = prompt = plain(raw)
        self.explain = explain = plain(q.explain)
        self.quotes = list(map(_QUOTE, q.cite))
        self._clause: str | None = None
        self._filled: str | None = None
        self.distractors: list[str] = []
        self.dels: list[re.Match[str]] = []  # a cloze's deletions: {{c(number)::(answer)::(hint)}}
        self.options_text = ""
        self.may = MAY_ALL  # what screen() has not ruled out for this question
        # The words every question is read for (the near-duplicate test; cue and long-answer
        # rules): stem or statement and answers — for a cloze, its text filled in.
        if isinstance(q, ChoiceQuestion):
            answers, distractors = list(q.answers), list(map(_TEXT, q.distractors))
            text = "\n".join(answers + distractors)  # the options a line each: one test for all
            if "*" in text:
                answers, distractors = list(map(plain, answers)), list(map(plain, distractors))
                text = "\n".join(answers + distractors)
            self.answers, self.distractors, self.options_text = answers, distractors, text
            self.stated_text = explain  # and the answers: options
            self.prompt_field, self._answer_field = "stem", "answers."
            self.prompt_words, self.answer_words = words(prompt), list(map(words, answers))
            self.ascii = prompt.isascii() and (text.isascii() or all(map(str.isascii, answers)))
        elif isinstance(q, Cloze):
            self.dels = list(CLOZE.finditer(raw))  # as cloze.deletions() finds them
            self.answers = [plain(d[2]) for d in self.dels]
            self.prompt_field = self._answer_field = "text"
            # Filling a cloze in and making it plain only take characters away.
            self.stated_text = f"{explain}\n{raw}"
            filled = self.filled
            self.prompt_words, self.answer_words, self.ascii = words(filled), [], filled.isascii()
        else:
            if isinstance(q, Basic):
                self.answers = [answer := plain(q.answer)]
                self.prompt_field, self._answer_field = "stem", "answer"
                self.stated_text = f"{explain}\n{answer}"
            else:
                self.answers = []
                self.prompt_field = self._answer_field = "statement"
                self.stated_text = f"{explain}\n{prompt}" if q.answer else explain
            self.prompt_words, self.answer_words = words(prompt), list(map(words, self.answers))
            self.ascii = prompt.isascii() and all(map(str.isascii, self.answers))

    @classmethod
    def of(cls, q: AnyQuestion) -> Item:
        return cls(q)

    def answer_field(self, i: int) -> str:
        """The ``where`` key of the i-th answer."""
        return f"answers.{i}" if self._answer_field == "answers." else self._answer_field

    def options(self) -> list[tuple[str, str, bool]]:
        """(field, text, correct) for the options of a choice question: answers, then distractors."""
        return [(f"answers.{i}", t, True) for i, t in enumerate(self.answers)] + [
            (f"distractors.{i}", t, False) for i, t in enumerate(self.distractors)
        ]

    @property
    def question_clause(self) -> str:
        """The last sentence of the prompt: where a lead-in such as 'Which is NOT' sits."""
        if self._clause is None:
            parts = [p for p in _SENTENCE_END().split(self.raw_prompt.strip()) if p]
            while len(parts) > 1 and parts[-1].startswith("("):
                parts.pop()  # "(Select all that apply.)" is an instruction, not the question
            self._clause = parts[-1] if parts else ""
        return self._clause

    @property
    def filled(self) -> str:
        """A cloze's text with every deletion filled in by its answer, plain."""
        if self._filled is None:
            raw, at = self.raw_prompt, 0
            pieces: list[str] = []
            for d in self.dels:  # what CLOZE.sub(answer) makes, from the deletions already found
                pieces += (raw[at : d.start()], d[2])
                at = d.end()
            pieces.append(raw[at:])
            self._filled = plain("".join(pieces))
        return self._filled

    @property
    def asserted(self) -> list[tuple[str, str]]:
        """(field, text) the question states as fact: answers, a true statement, a whole cloze."""
        q = self.q
        if isinstance(q, Cloze):
            return [("text", self.filled)]
        if isinstance(q, TrueFalse):
            return [("statement", self.prompt)] if q.answer else []
        return [(self.answer_field(i), t) for i, t in enumerate(self.answers)]


Rule = Callable[[Item], Iterable[Finding]]
RULES: list[tuple[frozenset[str], Rule]] = []  # filled by @rule, in the order the rules are written
CHOICE = ("mcq", "multi")
NONE: tuple[Finding, ...] = ()  # what a rule returns when it does not fire (the common case)


def rule(*kinds: str) -> Callable[[Rule], Rule]:
    """Register a per-question rule for the kinds it applies to (all kinds when none given).

    A rule returns its findings (usually none: most return at a cheap first test)."""

    def register(fn: Rule) -> Rule:
        RULES.append((frozenset(kinds or KINDS), fn))
        return fn

    return register


# -- options (mcq, multi) ------------------------------------------------------------

_ALL_NONE = _lazy(
    r"^\s*(?:all|none|both|neither)\s+(?:of\s+)?(?:the\s+)?(?:above|these|those|preceding|previous|foregoing)"
    r"(?:\s+(?:options|answers|choices|statements))?\s*\.?\s*$",
    re.IGNORECASE,
)
_NUMERAL = r"(?:[A-F]|I{1,3}|IV|VI?)"
_COMBINATION = _lazy(
    rf"^\s*(?i:both\s+|only\s+)?{_NUMERAL}(?:\s*(?:,\s*(?i:and\s+|or\s+)?|(?i:and|or)\s+|[&+/]\s*){_NUMERAL})+"
    r"(?i:\s+only)?\s*\.?\s*$"
)
# How either starts (the first character, whitespace aside, then the first word or two).
_COMBINATION_FIRST = frozenset("aAnNbBoO" + "ABCDEFIV")
_COMBINATION_START = _lazy(rf"\s*(?:(?i:all|none|both|neither|only)\s|{_NUMERAL}\s*(?:[,&+/]|(?i:and|or)\s))")
_ABSOLUTE_WORDS = ("always", "never", "only", "all", "none", "completely")
_ABSOLUTE = _lazy(rf"\b({'|'.join(_ABSOLUTE_WORDS)})\b", re.IGNORECASE)
_ABSOLUTE_EXEMPT = _lazy(
    r"\bonly\s+(?:one|two|three|four|five|once|twice|\d+)\b|\bnot\s+only\b|\ball\s+but\b"
    r"|\bif\s+only\b|\bat\s+all\b|\babove\s+all\b|\bfirst\s+of\s+all\b",
    re.IGNORECASE,
)
_VAGUE_WORDS: tuple[str, ...] = ("often", "usually", "rarely", "sometimes", "frequently", "occasionally")
_VAGUE_WORDS += ("seldom", "commonly", "generally", "typically")
_VAGUE = _lazy(rf"\b({'|'.join(_VAGUE_WORDS)})\b", re.IGNORECASE)


def options_of(item: Item) -> list[tuple[str, str, bool]]:
    return item.options()


@rule(*CHOICE)
def combination_options(item: Item) -> Iterable[Finding]:
    """W301: 'all of the above', 'none of the above', 'A and C', 'I, II and III'."""
    for text in item.answers + item.distractors:
        first = text[:1]
        if (first in _COMBINATION_FIRST or first.isspace()) and _COMBINATION_START().match(text):
            break
    else:
        return NONE  # no option starts the way either can
    found = []
    all_none, combination = _ALL_NONE(), _COMBINATION()
    for f, text, _ in item.options():
        if all_none.match(text) or combination.match(text):
            found.append(
                Finding(
                    "W301",
                    f,
                    f"option '{clip(text)}' is an all/none-of-the-above or combination option; "
                    "it rewards partial knowledge — write a standalone option (or use kind: multi)",
                )
            )
    return found


@rule(*CHOICE)
def longest_answer(item: Item) -> Iterable[Finding]:
    """W302: the correct option(s) clearly longer than the distractors."""
    answers, distractors = item.answers, item.distractors
    if not distractors:
        return NONE
    mean_right = sum(map(len, answers)) / len(answers)
    mean_wrong = sum(map(len, distractors)) / len(distractors)
    if mean_right < LONG_RATIO * mean_wrong:
        return NONE
    if sum(map(len, item.answer_words)) / len(answers) < LONG_MIN_WORDS:
        return NONE
    if isinstance(item.q, Multi):
        message = (
            f"the answers are clearly longer than the distractors (a mean of {mean_right:.0f} chars vs "
            f"{mean_wrong:.0f}); shorten them or lengthen the distractors"
        )
    elif len(answers[0]) > max(map(len, distractors)):
        message = (
            f"the answer is the longest option ({len(answers[0])} chars vs a mean of {mean_wrong:.0f} for "
            "the distractors); shorten it or lengthen the distractors"
        )
    else:
        return NONE
    return [Finding("W302", "answers.0", message)]


def absolute_words(text: str) -> list[str]:
    if not has_any(_ABSOLUTE_WORDS, text.casefold()):
        return []
    return [m.group(1).lower() for m in _ABSOLUTE().finditer(_ABSOLUTE_EXEMPT().sub(" ", text))]


@rule(*CHOICE)
def absolute_options(item: Item) -> Iterable[Finding]:
    """W303: always/never/only/all/none/completely in some options and not in others."""
    if not item.may & MAY_ABSOLUTE:
        return NONE
    found = [(f, t, correct, absolute_words(t)) for f, t, correct in item.options()]
    marked = [x for x in found if x[3]]
    if not marked or len(marked) == len(found):
        return NONE
    f, text, correct, hits = marked[0]
    who = "the answer" if correct else "distractor"
    others = f" (and {len(marked) - 1} other option{'s' * (len(marked) > 2)})" if len(marked) > 1 else ""
    return [
        Finding(
            "W303",
            f,
            f"{who} '{clip(text)}' says '{hits[0]}'{others} and the other options do not; absolute words "
            "cue test-wise students — state the fact without them",
        )
    ]


@rule(*CHOICE)
def vague_options(item: Item) -> Iterable[Finding]:
    """W304: often/usually/rarely… in options: their meaning varies from reader to reader."""
    if not item.may & MAY_VAGUE:
        return NONE
    for f, text, _ in item.options():
        m = _VAGUE().search(text) if has_any(_VAGUE_WORDS, text.casefold()) else None
        if m:
            return [
                Finding(
                    "W304",
                    f,
                    f"option '{clip(text)}' uses the vague frequency word '{m.group(1).lower()}'; "
                    "readers disagree on what it means — give the figure or drop it",
                )
            ]
    return NONE


def is_numeric(text: str) -> bool:
    return has_digit(text) and _NUMBER().search(text) is not None


@rule(*CHOICE)
def mixed_kinds(item: Item) -> Iterable[Finding]:
    """W305: a number among words (or a word among numbers)."""
    if not item.may & MAY_OPTION_DIGIT:
        return NONE  # no option has a number
    options = item.options()
    numeric = [o for o in options if is_numeric(o[1])]
    if not numeric or len(numeric) == len(options):
        return NONE
    odd = numeric if len(numeric) <= len(options) / 2 else [o for o in options if not is_numeric(o[1])]
    f, text, _ = odd[0]
    rest = len(options) - len(odd)
    has = "has a number and" if is_numeric(text) else "has no number and"
    do = "do not" if is_numeric(text) else "do"
    return [
        Finding(
            "W305",
            f,
            f"option '{clip(text)}' {has} {rest} of the {len(options)} options {do}; make the options "
            "the same kind (all numbers or all words)",
        )
    ]


@rule(*CHOICE)
def shuffled_numbers(item: Item) -> Iterable[Finding]:
    """W306: all options numeric and `order: shuffle`."""
    q = item.q
    assert isinstance(q, ChoiceQuestion)
    if q.order != "shuffle" or (item.options_text and not item.may & MAY_OPTION_DIGIT):
        return NONE  # sorted, or no option (so not every one) has a number
    if all(is_numeric(t) for _, t, _ in item.options()):
        return [
            Finding(
                "W306",
                "order" if "order" in q.where else "stem",
                "the options are numbers but are shuffled; add `order: sorted` so they print in their "
                "natural order",
            )
        ]
    return NONE


_AN_EXCEPTIONS = _lazy(r"^(?:hour|honest|honou?r|heir)", re.IGNORECASE)
_A_EXCEPTIONS = _lazy(r"^(?:uni|use|usu|ur[aeiou]|eu|one|once|ubiq)", re.IGNORECASE)
_SINGULAR_VERBS = frozenset({"is", "was", "has", "does"})
_PLURAL_VERBS = frozenset({"are", "were", "have", "do"})


def article_fits(article: str, option: str) -> bool | None:
    """Whether 'a'/'an' reads right before the option; None when it cannot be told."""
    first = words(option)[:1]
    if not first:
        return None
    w = first[0]
    if w.lower() in ("a", "an"):
        return False  # the option carries its own article: the stem's doubles it
    if not w[0].isalpha() or (w.isupper() and len(w) > 1):
        return None  # numbers and acronyms: depends on how they are read
    vowel = (w[0].lower() in "aeiou" and not _A_EXCEPTIONS().match(w)) or bool(_AN_EXCEPTIONS().match(w))
    return vowel == (article == "an")


def plural(option: str) -> bool | None:
    ws = words(option)
    if not ws:
        return None
    if " and " in f" {option.lower()} ":
        return True
    last = ws[-1].lower()
    if not last.isalpha():
        return None
    return last.endswith("s") and not last.endswith(("ss", "us", "is"))


Fits = Callable[[str], bool | None]


def stem_cue(stem: str) -> tuple[str, Fits] | None:
    """The cue an incomplete stem ends with (a/an, is/are), and whether an option fits it."""
    if stem.endswith("?"):
        return None
    tail = words(stem)[-1:]
    last = tail[0].lower() if tail else ""
    if last in ("a", "an"):
        return f"'{tail[0]}'", lambda text: article_fits(last, text)
    if last in _SINGULAR_VERBS or last in _PLURAL_VERBS:
        wanted = last in _PLURAL_VERBS

        def agrees(text: str) -> bool | None:
            p = plural(text)
            return None if p is None else p == wanted

        return f"the {'plural' if wanted else 'singular'} '{tail[0]}'", agrees
    return None


@rule(*CHOICE)
def grammatical_cue(item: Item) -> Iterable[Finding]:
    """W307: the stem ends with a/an or is/are, and only the answer agrees with it."""
    found = stem_cue(item.prompt.rstrip())
    if found is None:
        return NONE
    cue, fits = found
    if all(fits(t) is True for t in item.answers) and all(fits(t) is False for t in item.distractors):
        return [
            Finding(
                "W307",
                "stem",
                f"the stem ends with {cue}, which only the answer fits; end the stem before it "
                "or make every option fit it",
            )
        ]
    return NONE


# -- stems ------------------------------------------------------------------------------

_NEGATIVE_WORDS = ("not", "except", "least", "false")
# A hyphenated word ("false-negative", "not-for-profit") is not a lead-in.
_NEGATIVE = _lazy(r"(?<![\w-])(not|except|least|false)(?![\w-])", re.IGNORECASE)
_NEGATIVE_EXEMPT = _lazy(
    r"\bat\s+least\b|\bnot\s+only\b|\bwhether\s+or\s+not\b|\bif\s+not\b|\bnot\s+least\b"
    r"|\btrue\s+or\s+false\b|\bfalse\s+(?:positive|negative)s?\b",
    re.IGNORECASE,
)


def negatives_not_bold(text: str, *, capitals_only: bool) -> list[str]:
    """Negative lead-in words of ``text`` outside **bold** (exempt phrases skipped)."""
    found: list[str] = []
    if not has_any(_NEGATIVE_WORDS, text.casefold()):
        return found
    from . import markup

    for span in markup.parse(text):
        if span.bold:
            continue
        body = _NEGATIVE_EXEMPT().sub(lambda m: " " * len(m.group()), span.text)
        for m in _NEGATIVE().finditer(body):
            word = m.group(1)
            if not capitals_only or word.isupper():
                found.append(word)
    return found


@rule()
def negative_stem(item: Item) -> Iterable[Finding]:
    """W310: NOT/EXCEPT/LEAST/FALSE in the question clause, not in bold.

    In a true/false statement or a cloze there is no lead-in and 'not' is ordinary prose;
    only a negative written in capitals (meant as emphasis) must then be bold."""
    if not item.may & MAY_NEGATIVE:
        return NONE
    if isinstance(item.q, (ChoiceQuestion, Basic)):
        hits = negatives_not_bold(item.question_clause, capitals_only=False)
    else:
        hits = negatives_not_bold(item.raw_prompt, capitals_only=True)
    if not hits:
        return NONE
    word = hits[0]
    return [
        Finding(
            "W310",
            item.prompt_field,
            f"the negative '{word}' is not in bold; write **{word.upper()}** so no reader misses it "
            "(or ask the question positively)",
        )
    ]


@rule(*CHOICE)
def not_a_question(item: Item) -> Iterable[Finding]:
    """W311: the stem should be a question a student can answer with the options covered
    (an instruction after it, such as "(Choose two.)", may follow)."""
    raw = item.raw_prompt.strip()
    if raw.endswith("?") and "(" not in raw and "*" not in raw:
        return NONE  # its last sentence ends with '?', and no instruction or markup follows
    if plain(item.question_clause).rstrip().rstrip("\"'”’)]").endswith("?"):
        return NONE
    return [
        Finding(
            "W311",
            "stem",
            "the stem is not a question (it does not end with '?'); ask a complete question that can "
            "be answered with the options covered",
        )
    ]


@rule(*CHOICE)
def repeated_word(item: Item) -> Iterable[Finding]:
    """W312: a content word of the stem that the answer repeats and no distractor has."""
    stems = _CONTENT_STEMS.__getitem__
    in_stem = set(map(stems, item.prompt_words))
    in_stem.discard(None)
    if len(in_stem) < CUE_MIN_WORDS:
        return NONE
    wrong: set[str | None] | None = None
    for i, answer_words in enumerate(item.answer_words):
        answer = in_stem.intersection(map(stems, answer_words))
        if len(answer) < CUE_MIN_WORDS:
            continue
        if wrong is None:
            wrong = set(chain.from_iterable(map(stems, words(d)) for d in item.distractors))
        shared = [w for s, w in content_stems(item.prompt).items() if s in answer and s not in wrong]
        if len(shared) >= CUE_MIN_WORDS:
            listed = ", ".join(f"'{w}'" for w in shared)
            verb, noun = ("is", "word") if len(shared) == 1 else ("are", "words")
            return [
                Finding(
                    "W312",
                    item.answer_field(i),
                    f"the stem's {listed} {verb} repeated in the answer and in no distractor; reword the "
                    f"answer or use the {noun} in a distractor too",
                )
            ]
    return NONE


def token_text(text: str) -> str:
    return " " + " ".join(w.casefold() for w in words(text)) + " "


@rule(*CHOICE, "basic")
def answer_in_stem(item: Item) -> Iterable[Finding]:
    """W313: the answer itself is written in the stem."""
    low = item.prompt.casefold()
    for i, answer_words in enumerate(item.answer_words):
        if not answer_words or answer_words[0].casefold() not in low:
            continue  # a cheap test: the answer's first word is not even in the stem
        text = item.answers[i]
        tokens, stem_tokens = token_text(text), token_text(item.prompt)
        if tokens.strip() and tokens in stem_tokens:
            return [
                Finding(
                    "W313",
                    item.answer_field(i),
                    f"the answer '{clip(text)}' is written in the stem; reword the stem so it does not give "
                    "the answer away",
                )
            ]
    return NONE


# -- flashcards (minimum information principle) -----------------------------------------


@rule("cloze")
def cloze_deletions(item: Item) -> Iterable[Finding]:
    """W320, W321: short deletions, few per cloze."""
    found = []
    dels = item.dels
    for d, answer in zip(dels, item.answers, strict=True):
        n = len(answer.split())
        if n > CLOZE_MAX_WORDS:
            found.append(
                Finding(
                    "W320",
                    "text",
                    f"deletion c{int(d[1])} '{clip(answer)}' is {n} words; delete at most "
                    f"{CLOZE_MAX_WORDS} — the key term — and leave the rest as context",
                )
            )
    if len(dels) > CLOZE_MAX_DELETIONS:
        found.append(
            Finding(
                "W321",
                "text",
                f"the cloze has {len(dels)} deletions; keep at most {CLOZE_MAX_DELETIONS} "
                "(split it into several questions)",
            )
        )
    return found


_LIST_SPLIT = _lazy(r"\s*(?<!\d)[,;]\s*|\s*[,;](?!\d)\s*|\s+(?:and|or)\s+|\s*\n\s*(?:[-•*]\s*)?")


def list_items(text: str) -> list[str]:
    """The parts of a list answer ('A, B and C'); [] when a part is a clause, not an item."""
    if not has_any((",", ";", "\n", "and", "or"), text):
        return []  # nothing to split at
    parts = [p for p in _LIST_SPLIT().split(text.strip().rstrip(".")) if p.strip()]
    if len(parts) < LIST_MIN_ITEMS or any(len(p.split()) > LIST_ITEM_MAX_WORDS for p in parts):
        return []
    return parts


@rule("basic")
def basic_answer(item: Item) -> Iterable[Finding]:
    """W322, W323: one short answer per card."""
    found = []
    text = item.answers[0]
    n = len(text.split())
    if n > BASIC_MAX_WORDS:
        found.append(
            Finding(
                "W322",
                "answer",
                f"the answer is {n} words; keep it under {BASIC_MAX_WORDS + 1} (one fact per card: move "
                "the rest to explain)",
            )
        )
    parts = list_items(text)
    if parts:
        found.append(
            Finding(
                "W323",
                "answer",
                f"the answer lists {len(parts)} items; a list is hard to recall as one card — ask it as a "
                "multi, or one cloze deletion per item",
            )
        )
    return found


# -- evidence ----------------------------------------------------------------------------

_HEDGE_HINTS = ("may", "might", "could", "potential", "possib", "suggest", "some", "preliminary")
_HEDGE_IN_QUOTE = _lazy(
    r"\b(?:may(?!\s+\d)|might|could|potentially|potential(?=\s+[a-z])(?!\s+(?:of|and|or|in|for|to|is|was)\b)"
    r"|suggest\w*|possibility|possibly|(?<!when\s)(?<!where\s)(?<!if\s)(?<!as\s)possible"
    r"|some\s+experts|preliminary)\b",
    re.IGNORECASE,
)
_HEDGE = _lazy(
    r"\b(?:may|might|could|can|potential\w*|suggest\w*|possib\w*|propos\w*|hypothes\w*|some\s+experts"
    r"|preliminary|likely|unlikely|appears?|seems?|believed?|uncertain|unknown|unclear|speculat\w*"
    r"|not\s+(?:yet\s+)?(?:established|proven|known))\b",
    re.IGNORECASE,
)


@rule()
def unsupported_numbers(item: Item) -> Iterable[Finding]:
    """W330: every number the question asserts or explains is in one of its quotes."""
    if not item.may & (MAY_STATED_DIGIT | MAY_OPTION_DIGIT):
        return NONE  # a number needs a digit (a choice question states its answers: options)
    stated = [
        (f, found) for f, text in [*item.asserted, ("explain", item.explain)] if (found := numbers(text))
    ]
    if not stated:
        return NONE
    quoted = {n for quote in item.quotes for n in numbers(quote)}
    seen: set[str] = set()
    findings = []
    for f, found in stated:
        missing = [n for n in found if n not in quoted and n not in seen]
        if missing:
            seen.update(missing)
            listed = ", ".join(missing)
            findings.append(
                Finding(
                    "W330",
                    f,
                    f"{'number' if len(missing) == 1 else 'numbers'} {listed} in the "
                    f"{_field_name(f)} {'is' if len(missing) == 1 else 'are'} in none of the question's "
                    "quotes; quote the passage that gives it, or correct it",
                )
            )
    return findings


def _field_name(f: str) -> str:
    if f.startswith("answers") or f == "answer":
        return "answer"
    return {"text": "cloze text", "explain": "explanation"}.get(f, f)


@rule()
def hedge_dropped(item: Item) -> Iterable[Finding]:
    """W331: the quote hedges (may, suggest, some experts…), the question does not."""
    if not item.may & MAY_HEDGE:
        return NONE
    for quote in item.quotes:
        m = _HEDGE_IN_QUOTE().search(quote) if has_any(_HEDGE_HINTS, quote.casefold()) else None
        if m:
            break
    else:
        return NONE
    hedge = _HEDGE()
    if any(hedge.search(t) for t in [item.prompt, item.explain, *item.answers]):
        return NONE
    return [
        Finding(
            "W331",
            item.prompt_field,
            f"the quote hedges ('{m.group().lower()}') but the question states it as certain; keep a "
            "hedge (may, suggests, some experts …) in the question, answer or explanation",
        )
    ]


@rule()
def no_explanation(item: Item) -> Iterable[Finding]:
    """W332: every question explains its answer."""
    if item.explain.strip():
        return NONE
    return [
        Finding("W332", "", "the question has no explanation; add `explain:` saying why the answer is right")
    ]


_BY_KIND: dict[str, tuple[Rule, ...]] = {k: tuple(fn for kinds, fn in RULES if k in kinds) for k in KINDS}


def lint_question(item: Item) -> list[Finding]:
    """Every per-question finding, before allows are applied."""
    found: list[Finding] = []
    for fn in _BY_KIND[item.q.kind]:
        hits = fn(item)
        if hits:
            found += hits
    return found


_OPTION_HINTS = {**dict.fromkeys(_ABSOLUTE_WORDS, MAY_ABSOLUTE), **dict.fromkeys(_VAGUE_WORDS, MAY_VAGUE)}


def screen(items: list[Item]) -> None:
    """Rule out, for a block of questions at once, the word lists and numbers they do not
    hold: one ``str.find`` per word over the block's texts joined instead of a test per
    question — most questions hold none, and a rule then stops at its first line."""
    may = [0] * len(items)
    options = [item.options_text for item in items]
    _mark(may, options, _OPTION_HINTS, fold=True)
    _mark(may, [item.raw_prompt for item in items], dict.fromkeys(_NEGATIVE_WORDS, MAY_NEGATIVE), fold=True)
    _mark(may, ["\n".join(item.quotes) for item in items], dict.fromkeys(_HEDGE_HINTS, MAY_HEDGE), fold=True)
    _mark_digits(may, options, MAY_OPTION_DIGIT)
    _mark_digits(may, [item.stated_text for item in items], MAY_STATED_DIGIT)
    for item, flags in zip(items, may, strict=True):
        item.may = flags


def _mark_digits(may: list[int], texts: list[str], flag: int) -> None:
    """Set flag in may[i] when ``\\d`` finds a digit in texts[i]."""
    if not _mark(may, texts, dict.fromkeys("0123456789", flag)):
        for i, text in enumerate(texts):  # \d finds more than ASCII digits: test those texts alone
            if not text.isascii() and _DIGIT().search(text):
                may[i] |= flag


def _mark(may: list[int], texts: list[str], needles: dict[str, int], *, fold: bool = False) -> bool:
    """Set needles[n] in may[i] when texts[i] (case-folded if fold) holds the substring n.
    Whether the texts are all ASCII."""
    big = "\x00".join(texts)  # no needle holds the separator, so none is found across two texts
    ascii = big.isascii()
    if fold and ascii:
        big = big.lower()  # what casefold() makes of ASCII, and of the same length
    elif fold:
        texts = [text.casefold() for text in texts]
        big = "\x00".join(texts)
    starts = list(accumulate([len(text) + 1 for text in texts]))  # where each next text starts
    for needle, flag in needles.items():
        at = big.find(needle)
        while at >= 0:
            i = bisect_right(starts, at)
            may[i] |= flag
            at = big.find(needle, starts[i])  # on at the next text
    return ascii


# -- the bank: near-duplicates ----------------------------------------------------------

# Asked "the same way": a stem question (whatever its options), a statement, a cloze.
_FAMILY = {"mcq": "stem", "multi": "stem", "basic": "stem", "truefalse": "statement", "cloze": "cloze"}


def _duplicate_token(word: str) -> str | None:
    """A case-folded word without a plural 's'; None for a stop word."""
    if word in _STOP:
        return None
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def duplicate_tokens(item: Item) -> frozenset[str]:
    """The words a question asks with: stem and answers (a statement; a cloze filled in)."""
    if item.ascii:
        ws = chain(item.prompt_words, *item.answer_words)
        return frozenset(filter(None, map(_ASCII_DUPLICATE_TOKENS.__getitem__, ws)))
    text = item.filled if isinstance(item.q, Cloze) else " ".join([item.prompt, *item.answers])
    return frozenset(filter(None, map(_duplicate_token, _WORD.findall(text.casefold()))))


def near_duplicates(items: list[Item]) -> dict[int, Finding]:
    """W340 at the later of two near-duplicate questions (see :func:`duplicates`)."""
    return duplicates([item.q for item in items], [duplicate_tokens(item) for item in items])


def duplicates(questions: Sequence[AnyQuestion], sets: list[frozenset[str]]) -> dict[int, Finding]:
    """W340 at the later of two questions whose token sets have Jaccard ≥ 4/5.

    Prefix filtering (Bayardo et al., "Scaling up all pairs similarity search"): with each
    set's tokens sorted rarest first, two sets that reach the threshold share a token among
    the first |x| - ⌈t·|x|⌉ + 1 of each (t = 4/5, in integers). Only those prefixes are
    indexed, so a question is compared only with the few that share one of its rarest
    words: linear in practice, exact in result. (Any fixed order of the tokens would be
    exact; rarest first keeps the candidates few. A question whose prefix holds only words
    no other question has can match none and is skipped.)
    """
    num, den = DUPLICATE
    df: Counter[str] = Counter(chain.from_iterable(sets))
    order = sorted(df.items(), key=itemgetter(1))
    rank = {tok: r for r, (tok, _) in enumerate(order)}.__getitem__
    unique = sum(1 for _, n in order if n == 1)  # tokens ranked below this are in one set only
    indexes: dict[str, dict[int, list[int]]] = {family: {} for family in _FAMILY.values()}
    family = [indexes[_FAMILY[q.kind]] for q in questions]
    found: dict[int, Finding] = {}
    for i, tokens in enumerate(sets):
        size = len(tokens)
        if not size:
            continue
        prefix = sorted(map(rank, tokens))[: size - -(-num * size // den) + 1]
        if prefix[-1] < unique:
            continue
        index = family[i]
        postings = [p for r in prefix if (p := index.get(r)) is not None]
        if postings:
            low, high = -(-num * size // den), den * size // num  # the sizes that can reach 4/5
            best: tuple[float, int] | None = None
            for j in postings[0] if len(postings) == 1 else sorted(set(chain.from_iterable(postings))):
                other = sets[j]
                if not low <= len(other) <= high:
                    continue  # sizes too different for the threshold
                shared = len(tokens & other)
                union = size + len(other) - shared
                if den * shared >= num * union and (best is None or shared / union > best[0]):
                    best = (shared / union, j)
            if best is not None:
                first = questions[best[1]]
                found[i] = Finding(
                    "W340",
                    prompt_field(questions[i]),
                    f"near-duplicate of question '{first.id}' (line {first.line}): {best[0]:.0%} of the "
                    "words of stem and answer are shared; ask another fact, or the same fact another way",
                )
        for r in prefix:
            posting = index.get(r)
            if posting is None:
                index[r] = [i]
            else:
                posting.append(i)
    return found


# -- allows, and the pass over a bank ------------------------------------------------------


class LintResult:
    """The warnings of a bank, and how many findings each code had silenced by an allow."""

    __slots__ = ("allowed", "diagnostics")

    def __init__(self, diagnostics: list[Diagnostic], allowed: Counter[str]) -> None:
        self.diagnostics = diagnostics
        self.allowed = allowed


def apply_allows(q: AnyQuestion, findings: list[Finding]) -> tuple[list[Finding], Counter[str]]:
    """Drop the findings an allow silences; add W350/W351 for allows that are wrong."""
    fired = {f.code for f in findings}
    kept = [f for f in findings if f.code not in q.allow]
    silenced = Counter(f.code for f in findings if f.code in q.allow)
    for code, reason in q.allow.items():
        where = f"allow.{code}" if f"allow.{code}" in q.where else "allow"
        if code not in CODES or code in ("W350", "W351"):
            kept.append(Finding("W351", where, f"allow {code} is not a lint code; lint codes are W301-W340"))
        elif code not in fired:
            kept.append(
                Finding(
                    "W351",
                    where,
                    f"allow {code} is unused: {code} ({CODES[code]}) does not fire on this question; "
                    "remove it",
                )
            )
        elif not reason.strip():
            message = f"allow {code} has no reason; say why the warning does not apply here"
            kept.append(Finding("W350", where, message))
    return kept, silenced


_BLOCK = 256  # questions screened at once
_CACHE_WORDS = 1 << 16  # the per-word caches are emptied past this many words (a long-lived process)


def lint(bank: Bank, *, display: str) -> LintResult:
    """Every lint over the bank, allows applied, as warnings in file order."""
    if len(_CONTENT_STEMS) > _CACHE_WORDS:
        _CONTENT_STEMS.clear()
        _ASCII_DUPLICATE_TOKENS.clear()
    questions = bank.questions
    findings_at: dict[int, list[Finding]] = {}
    sets: list[frozenset[str]] = []
    for start in range(0, len(questions), _BLOCK):  # a block's texts are read while at hand
        block = [Item(q) for q in questions[start : start + _BLOCK]]
        screen(block)
        for i, item in enumerate(block, start):
            findings = lint_question(item)
            if findings:
                findings_at[i] = findings
            sets.append(duplicate_tokens(item))
    for i, finding in duplicates(questions, sets).items():
        findings_at.setdefault(i, []).append(finding)
    diagnostics: list[Diagnostic] = []
    allowed: Counter[str] = Counter()
    for i, q in enumerate(questions):
        findings = findings_at.get(i, [])
        if not findings and not q.allow:
            continue  # the common case: nothing to report, nothing to silence
        kept, silenced = apply_allows(q, findings)
        allowed.update(silenced)
        for f in kept:
            line, column = q.position(f.field)
            diagnostics.append(Diagnostic(display, line, column, f.code, f.message, Severity.WARNING))
    return LintResult(diagnostics, allowed)


def lint_bank(bank: Bank, *, display: str) -> list[Diagnostic]:
    """The lint warnings of a valid bank (``check`` adds them to its diagnostics)."""
    return lint(bank, display=display).diagnostics
