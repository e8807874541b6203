"""Positioned tree -> Bank, with every problem as a diagnostic.

Structure is the schema's job (:mod:`her2quiz.schema`); this module adds the rules a
schema cannot say — unique ids, topics and sources that exist, options that differ,
well-formed clozes, quotes found in their sources — and builds the typed model.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from collections.abc import Mapping as Mapping_
from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import cloze
from .bank import (
    LETTERS,
    ORDERS,
    Bank,
    Basic,
    Citation,
    Cloze,
    Context,
    Distractor,
    Mcq,
    Multi,
    Order,
    Position,
    Question,
    Source,
    TrueFalse,
)
from .diagnostics import Diagnostic, Severity, did_you_mean
from .evidence import Library
from .load import Mapping, Node, Scalar, Sequence
from .schema import SchemaChecker

_SPACE = re.compile(r"\s+")
_ORDERS: dict[str, Order] = {o: o for o in ORDERS}


def same_option_key(text: str) -> str:
    """Options are 'the same' when equal after NFKC, dropping format characters (zero-width
    spaces, joiners), folding case and collapsing space."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return _SPACE.sub(" ", text).strip().casefold()


class Validator:
    """One validation run over one tree."""

    def __init__(self, display: str, sources_dir: Path | None) -> None:
        self.display = display
        self.library = Library(sources_dir) if sources_dir is not None else None
        self.sources_dir = sources_dir
        self.diagnostics: list[Diagnostic] = []

    def error(self, node: Node | Position, code: str, message: str) -> None:
        line, column = (node.line, node.column) if isinstance(node, Node) else node
        self.diagnostics.append(Diagnostic(self.display, line, column, code, message))

    def warning(self, node: Node | Position, code: str, message: str) -> None:
        line, column = (node.line, node.column) if isinstance(node, Node) else node
        self.diagnostics.append(Diagnostic(self.display, line, column, code, message, Severity.WARNING))

    # -- the run ------------------------------------------------------------------

    def run(self, tree: Node) -> Bank | None:
        if not isinstance(tree, Mapping):
            found = "a list" if isinstance(tree, Sequence) else "a single value"
            self.error(
                tree,
                "E100",
                f"expected a mapping with keys 'bank', 'topics', 'sources', 'questions'; found {found}",
            )
            return None
        checker = SchemaChecker(self.display)
        self.diagnostics.extend(checker.check(tree))
        topics = self.topics(tree.fields.get("topics"))
        sources = self.sources(tree.fields.get("sources"))
        questions = []
        qnodes = tree.fields.get("questions")
        if isinstance(qnodes, Sequence):
            seen: dict[str, Node] = {}
            for node in qnodes.items:
                if not isinstance(node, Mapping):
                    continue
                self.check_id(node, seen)
                self.check_references(node, topics, sources)
                if id(node) in checker.invalid:
                    continue
                question = build_question(node)
                self.check_question(question)
                questions.append(question)
        withdrawn = self.withdrawn(tree.fields.get("withdrawn"), {q.id for q in questions})
        if any(d.is_error for d in self.diagnostics):
            return None
        head = tree.fields["bank"]
        assert isinstance(head, Mapping)
        title = _text(head, "title")
        return Bank(
            id=_text(head, "id"),
            title=title,
            deck=_text(head, "deck") or title,
            topics=MappingProxyType(topics or {}),
            sources=MappingProxyType(sources or {}),
            questions=tuple(questions),  # type: ignore[arg-type]
            withdrawn=MappingProxyType(withdrawn),
        )

    def withdrawn(self, node: Node | None, ids: set[str]) -> dict[str, str]:
        """Withdrawn ids (with their reasons): each once, none still in the bank."""
        found: dict[str, str] = {}
        for item in node.items if isinstance(node, Sequence) else []:
            if not isinstance(item, Mapping):
                continue
            qid = _text(item, "id")
            if not qid:
                continue
            if qid in ids:
                self.error(item.fields["id"], "E212", f"withdrawn id '{qid}' is still a question of the bank")
            elif qid in found:
                self.error(item.fields["id"], "E212", f"withdrawn id '{qid}' is listed twice")
            found[qid] = _text(item, "reason")
        return found

    def topics(self, node: Node | None) -> dict[str, str] | None:
        if not isinstance(node, Mapping):
            return None
        names: dict[str, str] = {}
        for key, value in node.pairs:
            if not (isinstance(value, Scalar) and isinstance(value.value, str)):
                continue
            folded = same_option_key(value.value)
            if folded in names:  # two topics would become one Anki subdeck
                self.error(
                    value,
                    "E213",
                    f"topic name '{value.value}' of '{key.value}' is the name of '{names[folded]}'",
                )
            names[folded] = key.value
        return {k.value: v.value for k, v in node.pairs if isinstance(v, Scalar) and isinstance(v.value, str)}

    def sources(self, node: Node | None) -> dict[str, Source] | None:
        if not isinstance(node, Mapping):
            return None
        found: dict[str, Source] = {}
        for key, value in node.pairs:
            if not isinstance(value, Mapping):
                continue
            cite, file = _text(value, "cite"), _text(value, "file")
            found[key.value] = Source(
                key.value, cite, file, _text(value, "date") or None, _text(value, "status") or None
            )
            if self.library is None or not file:
                continue
            file_node = value.fields["file"]
            refusal = self.library.refusal(file)
            if refusal is not None:
                self.error(file_node, "E209", f"source file '{file}' of '{key.value}' {refusal}")
            elif self.library.get(file) is None:
                self.warning(
                    file_node,
                    "W201",
                    f"source text '{file}' of '{key.value}' not found in {self.sources_dir}; "
                    "its quotes were not checked",
                )
        return found

    def check_id(self, node: Mapping, seen: dict[str, Node]) -> None:
        id_node = node.fields.get("id")
        if not (isinstance(id_node, Scalar) and isinstance(id_node.value, str)):
            return
        first = seen.get(id_node.value)
        if first is not None:
            self.error(
                id_node,
                "E201",
                f"duplicate id '{id_node.value}' (first at line {first.line}); ids must be unique",
            )
        else:
            seen[id_node.value] = id_node

    def check_references(
        self, node: Mapping, topics: dict[str, str] | None, sources: dict[str, Source] | None
    ) -> None:
        """Topic and cited sources exist, quotes are found: checked from the tree, so a
        question with other problems still hears of these."""
        where = f" in question '{_text(node, 'id')}'" if _text(node, "id") else ""
        topic = node.fields.get("topic")
        if (
            topics is not None
            and isinstance(topic, Scalar)
            and isinstance(topic.value, str)
            and topic.value not in topics
        ):
            hint = did_you_mean(topic.value, topics) or _choices(topics)
            self.error(topic, "E202", f"unknown topic '{topic.value}'{where}{hint}")
        if sources is None:
            return
        context = node.fields.get("context")
        for cite in (
            node.fields.get("cite"),
            context.fields.get("cite") if isinstance(context, Mapping) else None,
        ):
            if isinstance(cite, Sequence):
                self.check_citations(cite, sources, where)

    def check_citations(self, cite: Sequence, sources: dict[str, Source], where: str) -> None:
        for item in cite.items:
            if not isinstance(item, Mapping):
                continue
            source, quote = item.fields.get("source"), item.fields.get("quote")
            if not (isinstance(source, Scalar) and isinstance(source.value, str)):
                continue
            if source.value not in sources:
                hint = did_you_mean(source.value, sources) or _choices(sources)
                self.error(source, "E203", f"unknown source '{source.value}'{where}{hint}")
            elif isinstance(quote, Scalar) and isinstance(quote.value, str):
                self.check_quote(quote, sources[source.value], where)

    def check_quote(self, quote: Scalar, source: Source, where: str) -> None:
        if self.library is None:
            return
        text = self.library.get(source.file)
        if text is not None and not text.contains(quote.value):
            value = quote.value
            short = value if len(value) <= 60 else value[:57] + "..."
            self.error(quote, "E208", f"quote not found in '{source.key}' ({source.file}){where}: '{short}'")

    def check_question(self, q: Question) -> None:
        where = f" in question '{q.id}'"
        if isinstance(q, (Mcq, Multi)):
            self.check_options(q, where)
            self.check_written_order(q, where)
        elif isinstance(q, Cloze):
            problems = cloze.problems(q.text)
            for _offset, message in problems:
                code = "E207" if message.startswith("unbalanced") else "E206"
                self.error(q.position("text"), code, f"{message}{where}")
            answers = set(q.answer_texts()) if not problems else set()
            for answer in q.accept if not problems else ():
                if answer not in answers:
                    hint = did_you_mean(answer, sorted(answers))
                    self.error(
                        q.position("accept"),
                        "E211",
                        f"accept names '{answer}', which is no deletion's answer{where}{hint}",
                    )
        if isinstance(q, Basic | Cloze):
            self.check_alternatives(q, where)

    def check_alternatives(self, q: Basic | Cloze, where: str) -> None:
        for answer, alternatives in zip(q.answer_texts(), q.accepted(), strict=True):
            seen = {same_option_key(answer)}
            for alt in alternatives:
                if same_option_key(alt) in seen:
                    self.error(
                        q.position("accept"),
                        "E211",
                        f"accepted '{alt}' repeats '{answer}' or another alternative{where}",
                    )
                seen.add(same_option_key(alt))

    def check_written_order(self, q: Mcq | Multi, where: str) -> None:
        """``order: as-written`` needs ``options``: the answers and distractors, each once."""
        given = q.written
        if q.order != "as-written":
            if given:
                self.error(q.position("options"), "E210", f"'options' is only for order: as-written{where}")
            return
        if not given:
            self.error(
                q.position("order"),
                "E210",
                f"order: as-written needs 'options': every answer and distractor once, in print order{where}",
            )
            return
        expected = sorted(o.text for o in q.options())
        if sorted(given) != expected:
            missing = sorted(set(expected) - set(given))
            extra = sorted(set(given) - set(expected))
            said = (
                "; ".join(
                    part
                    for part in (
                        f"missing {', '.join(repr(m) for m in missing)}" if missing else "",
                        f"not an option {', '.join(repr(x) for x in extra)}" if extra else "",
                    )
                    if part
                )
                or "an option is listed twice"
            )
            self.error(
                q.position("options"),
                "E210",
                f"'options' must list every answer and distractor once{where}: {said}",
            )

    def check_options(self, q: Mcq | Multi, where: str) -> None:
        count = len(q.answers) + len(q.distractors)
        if count > len(LETTERS):
            self.error(
                q.position("distractors"), "E214", f"{count} options{where}; at most {len(LETTERS)} (A-Z)"
            )
        seen: dict[str, tuple[str, str]] = {}
        entries = [(f"answers.{i}", a, True) for i, a in enumerate(q.answers)] + [
            (f"distractors.{i}", d.text, False) for i, d in enumerate(q.distractors)
        ]
        for field_name, text, correct in entries:
            key = same_option_key(text)
            if key in seen:
                first_field, first_text = seen[key]
                pos = q.position(field_name)
                if not correct and first_field.startswith("answers"):
                    self.error(pos, "E204", f"distractor '{text}' is the answer{where}")
                else:
                    self.error(
                        pos,
                        "E205",
                        f"option '{text}' repeats '{first_text}'{where} (same after folding case and space)",
                    )
            else:
                seen[key] = (field_name, text)


def _choices(options: Mapping_[str, object]) -> str:
    keys = list(options)
    shown = ", ".join(f"'{k}'" for k in keys[:8]) + (", ..." if len(keys) > 8 else "")
    return f"; expected one of {shown}"


def _text(node: Mapping, key: str) -> str:
    value = node.fields.get(key)
    return value.value if isinstance(value, Scalar) and isinstance(value.value, str) else ""


def _str_items(node: Node | None) -> list[Scalar]:
    return [i for i in node.items if isinstance(i, Scalar)] if isinstance(node, Sequence) else []


def build_question(node: Mapping) -> Question:
    """The model of a question whose structure the schema accepted."""
    f = node.fields
    where: dict[str, Position] = {k.value: (v.line, v.column) for k, v in node.pairs}
    kind = _text(node, "kind")
    cite: list[Citation] = []
    for item in f["cite"].items:  # type: ignore[attr-defined]
        quote_node = item.fields["quote"]
        source_node = item.fields["source"]
        where[f"cite.{len(cite)}.source"] = (source_node.line, source_node.column)
        cite.append(Citation(source_node.value, quote_node.value, quote_node.line, quote_node.column))
    allow_node = f.get("allow")
    if isinstance(allow_node, Mapping):
        for k, _ in allow_node.pairs:
            where[f"allow.{k.value}"] = (k.line, k.column)
    context = None
    context_node = f.get("context")
    if isinstance(context_node, Mapping):
        context_cite: list[Citation] = []
        for item in context_node.fields["cite"].items:  # type: ignore[attr-defined]
            quote_node, source_node = item.fields["quote"], item.fields["source"]
            where[f"context.cite.{len(context_cite)}.source"] = (source_node.line, source_node.column)
            context_cite.append(
                Citation(source_node.value, quote_node.value, quote_node.line, quote_node.column)
            )
        context = Context(_text(context_node, "text"), tuple(context_cite))
    points_node = f.get("points")
    common: dict[str, Any] = dict(
        id=_text(node, "id"),
        kind=kind,
        topic=_text(node, "topic"),
        cite=tuple(cite),
        difficulty=_text(node, "difficulty") or None,
        tags=tuple(s.value for s in _str_items(f.get("tags"))),
        explain=_text(node, "explain") or None,
        family=_text(node, "family") or None,
        points=points_node.value
        if isinstance(points_node, Scalar) and isinstance(points_node.value, int)
        else None,
        context=context,
        allow=MappingProxyType(
            {k.value: v.value for k, v in allow_node.pairs if isinstance(v, Scalar)}
            if isinstance(allow_node, Mapping)
            else {}
        ),
        line=node.line,
        column=node.column,
    )
    make: Callable[..., Question]
    if kind in ("mcq", "multi"):
        answers_nodes = [f["answer"]] if kind == "mcq" else _str_items(f.get("answers"))
        distractors = []
        for i, a in enumerate(answers_nodes):
            where[f"answers.{i}"] = (a.line, a.column)
        for i, d in enumerate(f["distractors"].items):  # type: ignore[attr-defined]
            where[f"distractors.{i}"] = (d.line, d.column)
            if isinstance(d, Mapping):
                distractors.append(Distractor(_text(d, "text"), _text(d, "why") or None))
            else:
                distractors.append(Distractor(d.value))
        make = Mcq if kind == "mcq" else Multi
        return make(
            **common,
            stem=_text(node, "stem"),
            answers=tuple(a.value for a in answers_nodes),  # type: ignore[attr-defined]
            distractors=tuple(distractors),
            order=_ORDERS.get(_text(node, "order"), "shuffle"),
            written=tuple(s.value for s in _str_items(f.get("options"))),
            where=MappingProxyType(where),
        )
    if kind == "truefalse":
        answer = f["answer"].value  # type: ignore[attr-defined]
        return TrueFalse(
            **common, statement=_text(node, "statement"), answer=bool(answer), where=MappingProxyType(where)
        )
    accept = f.get("accept")
    if kind == "cloze":
        alternatives = (
            {k.value: tuple(s.value for s in _str_items(v)) for k, v in accept.pairs}
            if isinstance(accept, Mapping)
            else {}
        )
        return Cloze(
            **common,
            text=_text(node, "text"),
            accept=MappingProxyType(alternatives),
            where=MappingProxyType(where),
        )
    return Basic(
        **common,
        stem=_text(node, "stem"),
        answer=_text(node, "answer"),
        accept=tuple(s.value for s in _str_items(accept)),
        where=MappingProxyType(where),
    )
