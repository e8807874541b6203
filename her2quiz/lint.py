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
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from . import markup
from .bank import KINDS, AnyQuestion, Bank, Basic, ChoiceQuestion, Cloze, Multi, TrueFalse
from .cloze import CLOZE, deletions
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

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# A number stands alone: not inside a name such as HER2, T-DM1, c1 or HER-2.
_NUMBER = re.compile(r"\d(?<![\w.,]\d)(?<![^\W\d_]-\d)\d*(?:,\d{3})*(?:\.\d+)?")
_DIGIT = re.compile(r"\d")
_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+")
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
    return markup.plain(text) if "*" in text else text


def words(text: str) -> list[str]:
    """The words of a text (letters and digits; hyphens split words)."""
    return _WORD.findall(text)


@lru_cache(maxsize=1 << 14)
def folded(text: str) -> str:
    return text.casefold()


def hint(*words: str) -> Callable[[str], bool]:
    """A cheap test for a word list — any of them anywhere in the text, even inside a word —
    to run before the exact (and slower, case-insensitive) word-list regex."""
    pattern = re.compile("|".join(map(re.escape, words)))
    return lambda text: pattern.search(folded(text)) is not None


def stem(word: str) -> str:
    """A crude stem: case folded, one common suffix off, at most six letters kept."""
    w = word.casefold()
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 4 and not w.endswith(("ss", "us", "is")):
            w = w[: -len(suffix)]
            break
    return w[:6]


@lru_cache(maxsize=1 << 16)
def content_stem(word: str) -> str | None:
    """The stem of a content word (four or more letters, not a stop word), else None."""
    if sum(c.isalpha() for c in word) < 4 or word.casefold() in _STOP:
        return None
    return stem(word)


def content_stems(text: str) -> dict[str, str]:
    """stem -> first word with it, for the content words of a text."""
    found: dict[str, str] = {}
    for w in words(text):
        s = content_stem(w)
        if s is not None:
            found.setdefault(s, w)
    return found


@lru_cache(maxsize=1 << 12)
def numbers(text: str) -> tuple[str, ...]:
    """The numbers standing alone in a text, normalised ("2,000" -> "2000")."""
    if not _DIGIT.search(text):
        return ()
    return tuple(m.group().replace(",", "") for m in _NUMBER.finditer(text))


def clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


# -- one question, prepared once -------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """A lint that fired on one question, at one of its fields (a ``where`` key)."""

    code: str
    field: str
    message: str


@dataclass
class Item:
    """A question's texts, plain (markup removed) and tokenised on first use."""

    q: AnyQuestion
    prompt_field: str
    prompt: str
    answers: list[tuple[str, str]]  # (field, plain text)
    distractors: list[tuple[str, str]]
    explain: str
    quotes: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, q: AnyQuestion) -> Item:
        answers: list[tuple[str, str]] = []
        distractors: list[tuple[str, str]] = []
        if isinstance(q, ChoiceQuestion):
            answers = [(f"answers.{i}", plain(a)) for i, a in enumerate(q.answers)]
            distractors = [(f"distractors.{i}", plain(d.text)) for i, d in enumerate(q.distractors)]
            prompt_field = "stem"
        elif isinstance(q, Basic):
            answers = [("answer", plain(q.answer))]
            prompt_field = "stem"
        elif isinstance(q, Cloze):
            answers = [("text", plain(d.answer)) for d in deletions(q.text)]
            prompt_field = "text"
        else:
            prompt_field = "statement"
        prompt = plain(q.prompt)
        return cls(q, prompt_field, prompt, answers, distractors, plain(q.explain), [c.quote for c in q.cite])

    @cached_property
    def question_clause(self) -> str:
        """The last sentence of the prompt: where a lead-in such as 'Which is NOT' sits."""
        parts = [p for p in _SENTENCE_END.split(self.q.prompt.strip()) if p]
        while len(parts) > 1 and parts[-1].startswith("("):
            parts.pop()  # "(Select all that apply.)" is an instruction, not the question
        return parts[-1] if parts else ""

    @cached_property
    def asserted(self) -> list[tuple[str, str]]:
        """(field, text) the question states as fact: answers, a true statement, a whole cloze."""
        q = self.q
        if isinstance(q, Cloze):
            return [("text", plain(CLOZE.sub(lambda m: m.group(2), q.text)))]
        if isinstance(q, TrueFalse):
            return [("statement", self.prompt)] if q.answer else []
        return list(self.answers)


Rule = Callable[[Item], Iterable[Finding]]
RULES: list[tuple[frozenset[str], Rule]] = []  # filled by @rule, in the order the rules are written
CHOICE = ("mcq", "multi")

# -- options (mcq, multi) ------------------------------------------------------------

_ALL_NONE = re.compile(
    r"^\s*(?:all|none|both|neither)\s+(?:of\s+)?(?:the\s+)?(?:above|these|those|preceding|previous|foregoing)"
    r"(?:\s+(?:options|answers|choices|statements))?\s*\.?\s*$",
    re.IGNORECASE,
)
_NUMERAL = r"(?:[A-F]|I{1,3}|IV|VI?)"
_COMBINATION = re.compile(
    rf"^\s*(?i:both\s+|only\s+)?{_NUMERAL}(?:\s*(?:,\s*(?i:and\s+|or\s+)?|(?i:and|or)\s+|[&+/]\s*){_NUMERAL})+"
    r"(?i:\s+only)?\s*\.?\s*$"
)
_ABSOLUTE_WORDS = frozenset({"always", "never", "only", "all", "none", "completely"})
_ABSOLUTE_HINT = hint(*_ABSOLUTE_WORDS)
_ABSOLUTE = re.compile(rf"\b({'|'.join(_ABSOLUTE_WORDS)})\b", re.IGNORECASE)
_ABSOLUTE_EXEMPT = re.compile(
    r"\bonly\s+(?:one|two|three|four|five|once|twice|\d+)\b|\bnot\s+only\b|\ball\s+but\b"
    r"|\bif\s+only\b|\bat\s+all\b|\babove\s+all\b|\bfirst\s+of\s+all\b",
    re.IGNORECASE,
)
_VAGUE_WORDS: tuple[str, ...] = ("often", "usually", "rarely", "sometimes", "frequently", "occasionally")
_VAGUE_WORDS += ("seldom", "commonly", "generally", "typically")
_VAGUE_HINT = hint(*_VAGUE_WORDS)
_VAGUE = re.compile(rf"\b({'|'.join(_VAGUE_WORDS)})\b", re.IGNORECASE)


def options_of(item: Item) -> list[tuple[str, str, bool]]:
    return [(f, t, True) for f, t in item.answers] + [(f, t, False) for f, t in item.distractors]


def rule(*kinds: str) -> Callable[[Rule], Rule]:
    """Register a per-question rule for the kinds it applies to (all kinds when none given)."""

    def register(fn: Rule) -> Rule:
        RULES.append((frozenset(kinds or KINDS), fn))
        return fn

    return register


@rule(*CHOICE)
def combination_options(item: Item) -> Iterator[Finding]:
    """W301: 'all of the above', 'none of the above', 'A and C', 'I, II and III'."""
    for f, text, _ in options_of(item):
        if _ALL_NONE.match(text) or _COMBINATION.match(text):
            yield Finding(
                "W301",
                f,
                f"option '{clip(text)}' is an all/none-of-the-above or combination option; "
                "it rewards partial knowledge — write a standalone option (or use kind: multi)",
            )


@rule(*CHOICE)
def longest_answer(item: Item) -> Iterator[Finding]:
    """W302: the correct option(s) clearly longer than the distractors."""
    if not item.distractors:
        return
    right = [len(t) for _, t in item.answers]
    wrong = [len(t) for _, t in item.distractors]
    mean_right, mean_wrong = sum(right) / len(right), sum(wrong) / len(wrong)
    mean_words = sum(len(words(t)) for _, t in item.answers) / len(item.answers)
    if mean_words < LONG_MIN_WORDS or mean_right < LONG_RATIO * mean_wrong:
        return
    if isinstance(item.q, Multi):
        yield Finding(
            "W302",
            "answers.0",
            f"the answers are clearly longer than the distractors (a mean of {mean_right:.0f} chars vs "
            f"{mean_wrong:.0f}); shorten them or lengthen the distractors",
        )
    elif right[0] > max(wrong):
        yield Finding(
            "W302",
            "answers.0",
            f"the answer is the longest option ({right[0]} chars vs a mean of {mean_wrong:.0f} for the "
            "distractors); shorten it or lengthen the distractors",
        )


def absolute_words(text: str) -> list[str]:
    if not _ABSOLUTE_HINT(text):
        return []
    return [m.group(1).lower() for m in _ABSOLUTE.finditer(_ABSOLUTE_EXEMPT.sub(" ", text))]


@rule(*CHOICE)
def absolute_options(item: Item) -> Iterator[Finding]:
    """W303: always/never/only/all/none/completely in some options and not in others."""
    found = [(f, t, correct, absolute_words(t)) for f, t, correct in options_of(item)]
    marked = [x for x in found if x[3]]
    if not marked or len(marked) == len(found):
        return
    f, text, correct, hits = marked[0]
    who = "the answer" if correct else "distractor"
    others = f" (and {len(marked) - 1} other option{'s' * (len(marked) > 2)})" if len(marked) > 1 else ""
    yield Finding(
        "W303",
        f,
        f"{who} '{clip(text)}' says '{hits[0]}'{others} and the other options do not; absolute words "
        "cue test-wise students — state the fact without them",
    )


@rule(*CHOICE)
def vague_options(item: Item) -> Iterator[Finding]:
    """W304: often/usually/rarely… in options: their meaning varies from reader to reader."""
    for f, text, _ in options_of(item):
        m = _VAGUE.search(text) if _VAGUE_HINT(text) else None
        if m:
            yield Finding(
                "W304",
                f,
                f"option '{clip(text)}' uses the vague frequency word '{m.group(1).lower()}'; "
                "readers disagree on what it means — give the figure or drop it",
            )
            return


def is_numeric(text: str) -> bool:
    return bool(_DIGIT.search(text) and _NUMBER.search(text))


@rule(*CHOICE)
def mixed_kinds(item: Item) -> Iterator[Finding]:
    """W305: a number among words (or a word among numbers)."""
    options = options_of(item)
    numeric = [o for o in options if is_numeric(o[1])]
    if not numeric or len(numeric) == len(options):
        return
    odd = numeric if len(numeric) <= len(options) / 2 else [o for o in options if not is_numeric(o[1])]
    f, text, _ = odd[0]
    rest = len(options) - len(odd)
    has = "has a number and" if is_numeric(text) else "has no number and"
    do = "do not" if is_numeric(text) else "do"
    yield Finding(
        "W305",
        f,
        f"option '{clip(text)}' {has} {rest} of the {len(options)} options {do}; make the options "
        "the same kind (all numbers or all words)",
    )


@rule(*CHOICE)
def shuffled_numbers(item: Item) -> Iterator[Finding]:
    """W306: all options numeric and `order: shuffle`."""
    q = item.q
    assert isinstance(q, ChoiceQuestion)
    if q.order == "shuffle" and all(is_numeric(t) for _, t, _ in options_of(item)):
        yield Finding(
            "W306",
            "order" if "order" in q.where else "stem",
            "the options are numbers but are shuffled; add `order: sorted` so they print in their "
            "natural order",
        )


_AN_EXCEPTIONS = re.compile(r"^(?:hour|honest|honou?r|heir)", re.IGNORECASE)
_A_EXCEPTIONS = re.compile(r"^(?:uni|use|usu|ur[aeiou]|eu|one|once|ubiq)", re.IGNORECASE)
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
    vowel = (w[0].lower() in "aeiou" and not _A_EXCEPTIONS.match(w)) or bool(_AN_EXCEPTIONS.match(w))
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
def grammatical_cue(item: Item) -> Iterator[Finding]:
    """W307: the stem ends with a/an or is/are, and only the answer agrees with it."""
    found = stem_cue(item.prompt.rstrip())
    if found is None:
        return
    cue, fits = found
    if all(fits(t) is True for _, t in item.answers) and all(fits(t) is False for _, t in item.distractors):
        yield Finding(
            "W307",
            "stem",
            f"the stem ends with {cue}, which only the answer fits; end the stem before it "
            "or make every option fit it",
        )


# -- stems ------------------------------------------------------------------------------

_NEGATIVE_WORDS = ("not", "except", "least", "false")
_NEGATIVE_HINT = hint(*_NEGATIVE_WORDS)
# A hyphenated word ("false-negative", "not-for-profit") is not a lead-in.
_NEGATIVE = re.compile(r"(?<![\w-])(not|except|least|false)(?![\w-])", re.IGNORECASE)
_NEGATIVE_EXEMPT = re.compile(
    r"\bat\s+least\b|\bnot\s+only\b|\bwhether\s+or\s+not\b|\bif\s+not\b|\bnot\s+least\b"
    r"|\btrue\s+or\s+false\b|\bfalse\s+(?:positive|negative)s?\b",
    re.IGNORECASE,
)


def negatives_not_bold(text: str, *, capitals_only: bool) -> list[str]:
    """Negative lead-in words of ``text`` outside **bold** (exempt phrases skipped)."""
    found: list[str] = []
    if not _NEGATIVE_HINT(text):
        return found
    for span in markup.parse(text):
        if span.bold:
            continue
        body = _NEGATIVE_EXEMPT.sub(lambda m: " " * len(m.group()), span.text)
        for m in _NEGATIVE.finditer(body):
            word = m.group(1)
            if not capitals_only or word.isupper():
                found.append(word)
    return found


@rule()
def negative_stem(item: Item) -> Iterator[Finding]:
    """W310: NOT/EXCEPT/LEAST/FALSE in the question clause, not in bold.

    In a true/false statement or a cloze there is no lead-in and 'not' is ordinary prose;
    only a negative written in capitals (meant as emphasis) must then be bold."""
    if not _NEGATIVE_HINT(item.q.prompt):
        return
    if isinstance(item.q, (ChoiceQuestion, Basic)):
        hits = negatives_not_bold(item.question_clause, capitals_only=False)
    else:
        hits = negatives_not_bold(item.q.prompt, capitals_only=True)
    if hits:
        word = hits[0]
        yield Finding(
            "W310",
            item.prompt_field,
            f"the negative '{word}' is not in bold; write **{word.upper()}** so no reader misses it "
            "(or ask the question positively)",
        )


@rule(*CHOICE)
def not_a_question(item: Item) -> Iterator[Finding]:
    """W311: the stem should be a question a student can answer with the options covered
    (an instruction after it, such as "(Choose two.)", may follow)."""
    if not plain(item.question_clause).rstrip().rstrip("\"'”’)]").endswith("?"):
        yield Finding(
            "W311",
            "stem",
            "the stem is not a question (it does not end with '?'); ask a complete question that can "
            "be answered with the options covered",
        )


@rule(*CHOICE)
def repeated_word(item: Item) -> Iterator[Finding]:
    """W312: a content word of the stem that the answer repeats and no distractor has."""
    stem_words = content_stems(item.prompt)
    wrong: set[str] | None = None
    for f, text in item.answers:
        answer = content_stems(text)
        if sum(s in stem_words for s in answer) < CUE_MIN_WORDS:
            continue
        if wrong is None:
            wrong = {s for _, d in item.distractors for s in content_stems(d)}
        shared = [w for s, w in stem_words.items() if s in answer and s not in wrong]
        if len(shared) >= CUE_MIN_WORDS:
            listed = ", ".join(f"'{w}'" for w in shared)
            verb, noun = ("is", "word") if len(shared) == 1 else ("are", "words")
            yield Finding(
                "W312",
                f,
                f"the stem's {listed} {verb} repeated in the answer and in no distractor; reword the "
                f"answer or use the {noun} in a distractor too",
            )
            return


def token_text(text: str) -> str:
    return " " + " ".join(w.casefold() for w in words(text)) + " "


@rule(*CHOICE, "basic")
def answer_in_stem(item: Item) -> Iterator[Finding]:
    """W313: the answer itself is written in the stem."""
    low = item.prompt.casefold()
    for f, text in item.answers:
        first = words(text)[:1]
        if not first or first[0].casefold() not in low:
            continue  # a cheap test: the answer's first word is not even in the stem
        tokens, stem_tokens = token_text(text), token_text(item.prompt)
        if tokens.strip() and tokens in stem_tokens:
            yield Finding(
                "W313",
                f,
                f"the answer '{clip(text)}' is written in the stem; reword the stem so it does not give "
                "the answer away",
            )
            return


# -- flashcards (minimum information principle) -----------------------------------------


@rule("cloze")
def cloze_deletions(item: Item) -> Iterator[Finding]:
    """W320, W321: short deletions, few per cloze."""
    assert isinstance(item.q, Cloze)
    dels = deletions(item.q.text)
    for d in dels:
        n = len(plain(d.answer).split())
        if n > CLOZE_MAX_WORDS:
            yield Finding(
                "W320",
                "text",
                f"deletion c{d.number} '{clip(plain(d.answer))}' is {n} words; delete at most "
                f"{CLOZE_MAX_WORDS} — the key term — and leave the rest as context",
            )
    if len(dels) > CLOZE_MAX_DELETIONS:
        yield Finding(
            "W321",
            "text",
            f"the cloze has {len(dels)} deletions; keep at most {CLOZE_MAX_DELETIONS} "
            "(split it into several questions)",
        )


_LIST_SPLIT = re.compile(r"\s*(?<!\d)[,;]\s*|\s*[,;](?!\d)\s*|\s+(?:and|or)\s+|\s*\n\s*(?:[-•*]\s*)?")


def list_items(text: str) -> list[str]:
    """The parts of a list answer ('A, B and C'); [] when a part is a clause, not an item."""
    parts = [p for p in _LIST_SPLIT.split(text.strip().rstrip(".")) if p.strip()]
    if len(parts) < LIST_MIN_ITEMS or any(len(p.split()) > LIST_ITEM_MAX_WORDS for p in parts):
        return []
    return parts


@rule("basic")
def basic_answer(item: Item) -> Iterator[Finding]:
    """W322, W323: one short answer per card."""
    text = item.answers[0][1]
    n = len(text.split())
    if n > BASIC_MAX_WORDS:
        yield Finding(
            "W322",
            "answer",
            f"the answer is {n} words; keep it under {BASIC_MAX_WORDS + 1} (one fact per card: move the "
            "rest to explain)",
        )
    parts = list_items(text)
    if parts:
        yield Finding(
            "W323",
            "answer",
            f"the answer lists {len(parts)} items; a list is hard to recall as one card — ask it as a "
            "multi, or one cloze deletion per item",
        )


# -- evidence ----------------------------------------------------------------------------

_HEDGE_HINT = hint("may", "might", "could", "potential", "possib", "suggest", "some", "preliminary")
_HEDGE_IN_QUOTE = re.compile(
    r"\b(?:may(?!\s+\d)|might|could|potentially|potential(?=\s+[a-z])(?!\s+(?:of|and|or|in|for|to|is|was)\b)"
    r"|suggest\w*|possibility|possibly|(?<!when\s)(?<!where\s)(?<!if\s)(?<!as\s)possible"
    r"|some\s+experts|preliminary)\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(?:may|might|could|can|potential\w*|suggest\w*|possib\w*|propos\w*|hypothes\w*|some\s+experts"
    r"|preliminary|likely|unlikely|appears?|seems?|believed?|uncertain|unknown|unclear|speculat\w*"
    r"|not\s+(?:yet\s+)?(?:established|proven|known))\b",
    re.IGNORECASE,
)


@rule()
def unsupported_numbers(item: Item) -> Iterator[Finding]:
    """W330: every number the question asserts or explains is in one of its quotes."""
    stated = [
        (f, found) for f, text in [*item.asserted, ("explain", item.explain)] if (found := numbers(text))
    ]
    if not stated:
        return
    quoted = {n for quote in item.quotes for n in numbers(quote)}
    seen: set[str] = set()
    for f, found in stated:
        missing = [n for n in found if n not in quoted and n not in seen]
        if missing:
            seen.update(missing)
            listed = ", ".join(missing)
            yield Finding(
                "W330",
                f,
                f"{'number' if len(missing) == 1 else 'numbers'} {listed} in the "
                f"{_field_name(f)} {'is' if len(missing) == 1 else 'are'} in none of the question's "
                "quotes; quote the passage that gives it, or correct it",
            )


def _field_name(f: str) -> str:
    if f.startswith("answers") or f == "answer":
        return "answer"
    return {"text": "cloze text", "explain": "explanation"}.get(f, f)


@rule()
def hedge_dropped(item: Item) -> Iterator[Finding]:
    """W331: the quote hedges (may, suggest, some experts…), the question does not."""
    for quote in item.quotes:
        m = _HEDGE_IN_QUOTE.search(quote) if _HEDGE_HINT(quote) else None
        if m:
            break
    else:
        return
    texts = [item.prompt, item.explain, *(t for _, t in item.answers)]
    if not any(_HEDGE.search(t) for t in texts):
        yield Finding(
            "W331",
            item.prompt_field,
            f"the quote hedges ('{m.group().lower()}') but the question states it as certain; keep a "
            "hedge (may, suggests, some experts …) in the question, answer or explanation",
        )


@rule()
def no_explanation(item: Item) -> Iterator[Finding]:
    """W332: every question explains its answer."""
    if not item.explain.strip():
        yield Finding(
            "W332", "", "the question has no explanation; add `explain:` saying why the answer is right"
        )


_BY_KIND: dict[str, tuple[Rule, ...]] = {k: tuple(fn for kinds, fn in RULES if k in kinds) for k in KINDS}


def lint_question(item: Item) -> list[Finding]:
    """Every per-question finding, before allows are applied."""
    return [finding for fn in _BY_KIND[item.q.kind] for finding in fn(item)]


# -- the bank: near-duplicates ----------------------------------------------------------

# Asked "the same way": a stem question (whatever its options), a statement, a cloze.
_FAMILY = {"mcq": "stem", "multi": "stem", "basic": "stem", "truefalse": "statement", "cloze": "cloze"}


def duplicate_tokens(item: Item) -> frozenset[str]:
    """The words a question asks with: stem and answers (a statement; a cloze filled in)."""
    if isinstance(item.q, Cloze):
        text = item.asserted[0][1]
    else:
        text = " ".join([item.prompt, *(t for _, t in item.answers)])
    return frozenset(filter(None, map(_duplicate_token, _WORD.findall(text.casefold()))))


@lru_cache(maxsize=1 << 16)
def _duplicate_token(word: str) -> str | None:
    """A case-folded word without a plural 's'; None for a stop word."""
    if word in _STOP:
        return None
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def near_duplicates(items: list[Item]) -> dict[int, Finding]:
    """W340 at the later of two questions whose token sets have Jaccard ≥ 4/5.

    Prefix filtering (Bayardo et al., "Scaling up all pairs similarity search"): with each
    set's tokens sorted rarest first, two sets that reach the threshold share a token among
    the first |x| - ⌈t·|x|⌉ + 1 of each (t = 4/5, in integers). Only those prefixes are
    indexed, so a question is compared only with the few that share one of its rarest
    words: linear in practice, exact in result.
    """
    num, den = DUPLICATE
    sets = [duplicate_tokens(item) for item in items]
    df: Counter[str] = Counter(tok for s in sets for tok in s)
    rank = {tok: r for r, tok in enumerate(sorted(df, key=lambda t: (df[t], t)))}
    indexes: dict[str, dict[str, list[int]]] = {family: {} for family in _FAMILY.values()}
    found: dict[int, Finding] = {}
    for i, (item, tokens) in enumerate(zip(items, sets, strict=True)):
        if not tokens:
            continue
        index = indexes[_FAMILY[item.q.kind]]
        size = len(tokens)
        prefix = sorted(tokens, key=rank.__getitem__)[: size - -(-num * size // den) + 1]
        candidates = {j for tok in prefix for j in index.get(tok, ())}
        best: tuple[float, int] | None = None
        for j in sorted(candidates):
            other = sets[j]
            if not (num * size <= den * len(other) and num * len(other) <= den * size):
                continue  # sizes too different for the threshold
            shared = len(tokens & other)
            union = size + len(other) - shared
            if den * shared >= num * union and (best is None or shared / union > best[0]):
                best = (shared / union, j)
        if best is not None:
            first = items[best[1]].q
            found[i] = Finding(
                "W340",
                item.prompt_field,
                f"near-duplicate of question '{first.id}' (line {first.line}): {best[0]:.0%} of the words "
                "of stem and answer are shared; ask another fact, or the same fact another way",
            )
        for tok in prefix:
            index.setdefault(tok, []).append(i)
    return found


# -- allows, and the pass over a bank ------------------------------------------------------


@dataclass
class LintResult:
    """The warnings of a bank, and how many findings each code had silenced by an allow."""

    diagnostics: list[Diagnostic]
    allowed: Counter[str]


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


def lint(bank: Bank, *, display: str) -> LintResult:
    """Every lint over the bank, allows applied, as warnings in file order."""
    items = [Item.of(q) for q in bank.questions]
    duplicates = near_duplicates(items)
    diagnostics: list[Diagnostic] = []
    allowed: Counter[str] = Counter()
    for i, item in enumerate(items):
        findings = lint_question(item)
        if i in duplicates:
            findings.append(duplicates[i])
        kept, silenced = apply_allows(item.q, findings)
        allowed.update(silenced)
        for f in kept:
            line, column = item.q.position(f.field)
            diagnostics.append(Diagnostic(display, line, column, f.code, f.message, Severity.WARNING))
    return LintResult(diagnostics, allowed)


def lint_bank(bank: Bank, *, display: str) -> list[Diagnostic]:
    """The lint warnings of a valid bank (``check`` adds them to its diagnostics)."""
    return lint(bank, display=display).diagnostics
