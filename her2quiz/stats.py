"""What a bank holds and what it does not cover yet: counts, answer positions, lint
totals, and for each source text the share of its sentences that some quote cites.

A source text is cut into units — bullets, lines that stand alone, hard-wrapped
paragraphs joined back — and each unit into sentences. Quotes and sentences are compared
in :func:`evidence.normalise` form: each quote is located in the source's normalised text
(every occurrence; a captured page may hold a passage twice), and a sentence counts as
cited when a quote lies inside it, or covers at least half of it (or 40 normalised
characters of it), which also credits both sentences a quote spans.
"""

from __future__ import annotations

import bisect
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .bank import DIFFICULTIES, KINDS, Bank, ChoiceQuestion
from .evidence import normalise
from .lint import lint

COVER_CHARS = 40  # a quote sharing this many normalised characters with a sentence cites it
_BULLET = re.compile(r"^[ \t]*(?:[•▪◦·‣∙*-]|\d{1,2}[.)])[ \t]+")
_CJK = "\u3000-\u9fff\uac00-\ud7af"
_SENTENCE = re.compile(
    r"(?<=[.!?])\s+(?=[A-Z0-9\"“‘'(])"  # the usual end of a sentence
    r"|(?<=[a-z]{2}[.!?])(?=[^\W\d_])"  # a full stop with the space lost ("samples.The")
    r"|(?<=\.\.\.)(?=[A-Z])"  # a truncation ("the loss of HER...Loss of")
    rf"|(?<=[{_CJK}])\s*(?=[A-Za-z])|(?<=[.!?])\s*(?=[{_CJK}])"  # pasted page furniture in CJK
)
_ENDS = (".", "!", "?", ":", ";")
_RUNS_ON = re.compile(r"\b(?:a|an|the|of|to|and|or|with|in|for|as|by|from|that|which|on|at)$", re.IGNORECASE)
WRAPPED = 60  # a line at least this long that runs on without a full stop is hard-wrapped


@dataclass
class Coverage:
    """How much of one source's text the quotes cite."""

    source: str
    file: str
    sentences: int = 0
    cited: int = 0
    uncited: list[str] = field(default_factory=list)
    missing: bool = False  # the text could not be read

    @property
    def share(self) -> float:
        return self.cited / self.sentences if self.sentences else 0.0


@dataclass
class Stats:
    """Everything ``her2quiz stats`` reports, as plain data."""

    bank: str
    questions: int
    topics: dict[str, str]
    by_topic_kind: dict[str, dict[str, int]]
    by_topic_difficulty: dict[str, dict[str, int]]
    by_source: dict[str, dict[str, int]]  # key -> {"questions": n, "quotes": n}
    positions: dict[str, dict[str, int]]  # kind (mcq, multi) -> option letter -> correct options there
    positions_basis: str
    lint: dict[str, int]
    allowed: dict[str, int]
    coverage: list[Coverage]
    uncited_listed: bool
    sources: dict[str, dict[str, str | None]] = field(default_factory=dict)  # key -> date, status
    families: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # key -> ids, kinds
    unfamilied: int = 0  # questions without a family (each its own)
    vignettes: int = 0  # questions tagged "vignette"
    context_notes: int = 0  # questions with a "Since then" context note

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for cov, item in zip(self.coverage, data["coverage"], strict=True):
            item["share"] = round(cov.share, 3)
            if not self.uncited_listed:
                del item["uncited"]
        return data


# -- counting ------------------------------------------------------------------------


def bank_stats(bank: Bank, *, sources_dir: Path, uncited: bool) -> Stats:
    """The statistics of a valid bank; source texts are read from ``sources_dir``."""
    by_kind, by_difficulty, by_source = counts(bank)
    positions, basis = answer_positions(bank)
    result = lint(bank, display=bank.path)
    return Stats(
        bank=bank.title,
        questions=len(bank.questions),
        topics=dict(bank.topics),
        by_topic_kind=by_kind,
        by_topic_difficulty=by_difficulty,
        by_source=by_source,
        positions=positions,
        positions_basis=basis,
        lint=dict(sorted(Counter(d.code for d in result.diagnostics).items())),
        allowed=dict(sorted(result.allowed.items())),
        coverage=coverage(bank, sources_dir, keep_uncited=uncited),
        uncited_listed=uncited,
        sources={key: {"date": s.date, "status": s.status} for key, s in bank.sources.items()},
        families=families(bank),
        unfamilied=sum(q.family is None for q in bank.questions),
        vignettes=sum(VIGNETTE in q.tags for q in bank.questions),
        context_notes=sum(q.context is not None for q in bank.questions),
    )


VIGNETTE = "vignette"  # the tag of a clinical vignette (a patient, the findings, one question)


def families(bank: Bank) -> dict[str, dict[str, list[str]]]:
    """Each family the bank names, in order of first use: its questions and their kinds."""
    found: dict[str, dict[str, list[str]]] = {}
    for q in bank.questions:
        if q.family is not None:
            entry = found.setdefault(q.family, {"ids": [], "kinds": []})
            entry["ids"].append(q.id)
            entry["kinds"].append(q.kind)
    return found


Table = dict[str, dict[str, int]]


def counts(bank: Bank) -> tuple[Table, Table, Table]:
    """Questions by topic × kind and topic × difficulty; questions and quotes by source."""
    by_kind: Table = {t: dict.fromkeys(KINDS, 0) for t in bank.topics}
    by_difficulty: Table = {t: dict.fromkeys((*DIFFICULTIES, "none"), 0) for t in bank.topics}
    by_source: Table = {key: {"questions": 0, "quotes": 0} for key in bank.sources}
    for q in bank.questions:
        by_kind[q.topic][q.kind] += 1
        by_difficulty[q.topic][q.difficulty or "none"] += 1
        for key in {c.source for c in q.cite}:
            by_source[key]["questions"] += 1
        for c in q.cite:
            by_source[c.source]["quotes"] += 1
    if not any(row["none"] for row in by_difficulty.values()):
        for row in by_difficulty.values():
            del row["none"]
    return by_kind, by_difficulty, by_source


def answer_positions(bank: Bank) -> tuple[dict[str, dict[str, int]], str]:
    """Where the correct options of mcq and multi questions are printed (kind -> letter -> count).

    From the quiz plan (version A, seed 1) when :mod:`her2quiz.select` is there, else from
    the bank's own order, in which answers come first — which the basis string says.
    """
    counts: dict[str, Counter[str]] = {"mcq": Counter(), "multi": Counter()}
    try:
        from .select import plan_quiz
    except ImportError:
        for q in bank.questions:
            if isinstance(q, ChoiceQuestion):
                counts[q.kind].update(chr(ord("A") + i) for i, o in enumerate(q.options()) if o.correct)
        basis = "bank order (answers listed first; the quiz shuffles them)"
    else:
        plan = plan_quiz(bank, count=None, versions=1, seed=1, apart=False)
        for item in plan.versions[0].items:
            if item.kind in counts:
                counts[item.kind].update(item.correct)
        basis = "quiz plan, version A, seed 1"
    letters = sorted(set().union(*counts.values()))
    return {kind: {x: c[x] for x in letters} for kind, c in counts.items() if c}, basis


# -- coverage of the source texts ------------------------------------------------------------


def coverage(bank: Bank, sources_dir: Path, *, keep_uncited: bool) -> list[Coverage]:
    quotes: dict[str, list[str]] = {key: [] for key in bank.sources}
    for q in bank.questions:
        for c in q.cite:
            quotes[c.source].append(c.quote)
    found = []
    for key, source in bank.sources.items():
        try:
            raw = (sources_dir / source.file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            found.append(Coverage(key, source.file, missing=True))
            continue
        found.append(source_coverage(key, source.file, raw, quotes[key], keep_uncited=keep_uncited))
    return found


def source_coverage(key: str, file: str, raw: str, quotes: list[str], *, keep_uncited: bool) -> Coverage:
    """Count the distinct sentences of one text, and those some quote cites."""
    spans = sentence_spans(raw)
    text, located = locate(raw, spans)
    cited_at = [False] * len(spans)
    starts = [s for s, _ in located]
    normalised = sorted({normalise(q) for q in quotes} - {""})
    for quote in normalised:
        start = text.find(quote)
        while start >= 0:
            end = start + len(quote)
            # Sentences are in order and do not overlap: walk back from the last one starting
            # before the quote's end, to the first one ending after its start.
            i = bisect.bisect_left(starts, end) - 1
            while i >= 0 and located[i][1] > start:
                cited_at[i] = cited_at[i] or cites(start, end, *located[i])
                i -= 1
            start = text.find(quote, start + 1)
    cited: dict[str, bool] = {}
    first: dict[str, str] = {}
    for i, (s, e) in enumerate(located):
        norm = text[s:e]
        if not norm:
            continue
        cited[norm] = cited.get(norm, False) or cited_at[i] or _inside(norm, normalised)
        first.setdefault(norm, " ".join(raw[spans[i][0] : spans[i][1]].split()))
    uncited = [first[n] for n, c in cited.items() if not c] if keep_uncited else []
    return Coverage(key, file, len(cited), sum(cited.values()), uncited)


def _inside(sentence: str, quotes: list[str]) -> bool:
    """A truncated copy of a quoted sentence ("the loss of HER...") is cited too."""
    return len(sentence) >= COVER_CHARS // 2 and any(sentence in q for q in quotes)


def cites(q_start: int, q_end: int, s_start: int, s_end: int) -> bool:
    """A quote at [q_start, q_end) cites the sentence at [s_start, s_end) of the same text."""
    overlap = min(q_end, s_end) - max(q_start, s_start)
    if overlap <= 0:
        return False
    return overlap == q_end - q_start or overlap >= min(COVER_CHARS, -(-(s_end - s_start) // 2))


def locate(raw: str, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """The normalised text, and where each sentence span lies in it."""
    parts: list[str] = []
    located = []
    pos = 0
    length = 0
    for start, end in spans:
        gap = normalise(raw[pos:start])
        body = normalise(raw[start:end])
        parts += [gap, body]
        located.append((length + len(gap), length + len(gap) + len(body)))
        length += len(gap) + len(body)
        pos = end
    parts.append(normalise(raw[pos:]))
    return "".join(parts), located


def sentence_spans(raw: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence or bullet of a captured text, in order."""
    spans = []
    for start, end in unit_spans(raw):
        cut = start
        for m in _SENTENCE.finditer(raw, start, end):
            spans.append((cut, m.start()))
            cut = m.end()
        spans.append((cut, end))
    return [(s, e) for s, e in spans if any(c.isalpha() for c in raw[s:e])]


def unit_spans(raw: str) -> list[tuple[int, int]]:
    """Bullets, stand-alone lines and hard-wrapped paragraphs joined back together."""
    units: list[list[int]] = []
    previous = ""  # the line before, when it may run on into this one
    pos = 0
    for line in raw.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        bullet = _BULLET.match(body)
        start = pos + (bullet.end() if bullet else len(body) - len(body.lstrip()))
        end = pos + len(body.rstrip())
        pos += len(line)
        if end <= start:
            previous = ""
            continue
        text = raw[start:end]
        if previous and not bullet and (text[0].islower() or _RUNS_ON.search(previous)):
            units[-1][1] = end
        else:
            units.append([start, end])
        previous = text if len(text) >= WRAPPED and not text.endswith(_ENDS) else ""
    return [(s, e) for s, e in units]


# -- output ----------------------------------------------------------------------------------


def render_stats(stats: Stats, fmt: str) -> str:
    """The statistics as ``text``, ``markdown`` or ``json``."""
    if fmt == "json":
        return json.dumps(stats.to_dict(), indent=2, ensure_ascii=False) + "\n"
    return "\n".join(_sections(stats, markdown=fmt == "markdown")) + "\n"


def _sections(stats: Stats, *, markdown: bool) -> list[str]:
    head = "## " if markdown else ""
    out = [f"{'# ' if markdown else ''}{stats.bank}: {stats.questions} questions", ""]
    kinds = [k for k in KINDS if any(row.get(k) for row in stats.by_topic_kind.values())]
    out += [f"{head}By topic and kind", "", *_table("topic", stats.by_topic_kind, kinds, markdown, True), ""]
    levels = list(next(iter(stats.by_topic_difficulty.values()), {}))
    out += [
        f"{head}By topic and difficulty",
        "",
        *_table("topic", stats.by_topic_difficulty, levels, markdown, True),
        "",
    ]
    out += [f"{head}By source", "", *_table("source", stats.by_source, ["questions", "quotes"], markdown), ""]
    out += _bank_content(stats, markdown)
    out += [f"{head}Answer positions (mcq and multi; {stats.positions_basis})", ""]
    if stats.positions:
        letters = list(next(iter(stats.positions.values())))
        out += _table("kind", stats.positions, letters, markdown, True)
    out += ["", f"{head}Lint warnings", ""]
    codes = sorted(set(stats.lint) | set(stats.allowed))
    rows = {c: {"warnings": stats.lint.get(c, 0), "allowed": stats.allowed.get(c, 0)} for c in codes}
    out += _table("code", rows, ["warnings", "allowed"], markdown) if codes else ["none"]
    out += ["", f"{head}Source coverage (sentences some quote cites)", ""]
    cov_rows = {
        c.source: {"sentences": c.sentences, "cited": c.cited, "share": f"{c.share:.0%}"}
        if not c.missing
        else {"sentences": "-", "cited": "-", "share": "text not found"}
        for c in stats.coverage
    }
    out += _table("source", cov_rows, ["sentences", "cited", "share"], markdown)
    if stats.uncited_listed:
        out += ["", f"{head}Uncited sentences", ""]
        for c in stats.coverage:
            out += [f"{'- ' if markdown else ''}{c.source}: {s}" for s in c.uncited]
    return out


def _bank_content(stats: Stats, markdown: bool) -> list[str]:
    """Sources with their dates, the families, and the counts of vignettes and context notes."""
    head, item = ("## ", "- ") if markdown else ("", "")
    dated = {key: {c: v or "-" for c, v in row.items()} for key, row in stats.sources.items()}
    families = {
        family: {"questions": ", ".join(f"{i} ({k})" for i, k in zip(e["ids"], e["kinds"], strict=True))}
        for family, e in stats.families.items()
    }
    return [
        f"{head}Sources: when written, and their status",
        "",
        *_table("source", dated, ["date", "status"], markdown, left=True),
        "",
        f"{head}Families ({len(stats.families)}; {stats.unfamilied} questions in none)",
        "",
        *(_table("family", families, ["questions"], markdown, left=True) if families else ["none"]),
        "",
        f"{item}clinical vignettes (tag '{VIGNETTE}'): {stats.vignettes}",
        f'{item}questions with a context note ("Since then"): {stats.context_notes}',
        "",
    ]


def _table(
    corner: str,
    rows: dict[str, dict[str, Any]],
    columns: Sequence[str],
    markdown: bool,
    total: bool = False,
    *,
    left: bool = False,
) -> list[str]:
    """Rows of cells, aligned for a terminal or as a Markdown table; ``total`` adds a column and
    a row; ``left`` aligns every column left (text, not numbers)."""
    cells = [[corner, *columns, *(["total"] if total else [])]]
    for name, row in rows.items():
        values = [row.get(c, 0) for c in columns]
        cells.append([name, *map(str, values), *([str(sum(values))] if total else [])])
    if total:
        sums = [sum(row.get(c, 0) for row in rows.values()) for c in columns]
        cells.append(["total", *map(str, sums), str(sum(sums))])
    if markdown:
        lines = ["| " + " | ".join(r) + " |" for r in cells]
        lines.insert(
            1, "|" + "|".join("---" if i == 0 or left else "--:" for i in range(len(cells[0]))) + "|"
        )
        return lines
    widths = [max(len(r[i]) for r in cells) for i in range(len(cells[0]))]
    return [
        "  ".join(
            _pad(c, w, 0 if left else i) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ).rstrip()
        for r in cells
    ]


def _pad(cell: str, width: int, column: int) -> str:
    return cell.ljust(width) if column == 0 else cell.rjust(width)
