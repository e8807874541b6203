"""Bank → Anki package (``.apkg``) that re-imports cleanly.

Each question becomes one note of one of three note types (Basic, Cloze, MCQ). What makes
re-importing work, as Anki's importer decides it:

- a note is matched by its GUID, ``guid_for(bank id, note type key, question id)``;
- it is updated only when its modification time is strictly newer, so every note carries
  the time its own content last changed, kept in ``questions.lock`` (:mod:`.lock`);
- a note type is updated in place when its field and template names are unchanged and its
  modification time is newer; its time is kept in the lock the same way, so a CSS or
  template change updates it and nothing else does.

What a learner sees: choice options are stored plain (nothing in a card's front, not even
its HTML, tells the correct option apart) and shuffled at each review by the templates'
script, the same order on the front and the back; the correct ones are named only in the
Answer field, which only the back shows. A question the bank lists under ``withdrawn:`` is
shipped once more under its old GUID, tagged ``<bank>::withdrawn``, saying so and why.

The package is written by hand (SQLite image, then a zip with fixed entry order, dates and
compression), so the same bank, lock and ``SOURCE_DATE_EPOCH`` give the same bytes.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import sqlite3
import time
import zipfile
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import genanki
from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA

from .. import markup
from ..bank import AnyQuestion, Bank, ChoiceQuestion, Citation, Cloze, TrueFalse
from ..cloze import numbers, outside
from ..gcpause import paused_gc
from ..lock import Lock, LockError, Stamp, Status, read_lock
from ..select import option_order
from . import Job, Rendered

__all__ = [
    "NOTETYPES",
    "WITHDRAWN_TAG",
    "BuildResult",
    "DeckResult",
    "LockError",
    "NoteType",
    "build_deck",
    "learn_notetypes",
    "lock_path_for",
    "note_for",
    "render_deck",
]


@dataclass(frozen=True)
class NoteType:
    """One Anki note type. ``key``, ``fields`` and ``template`` are frozen once released:
    the key is part of every GUID, and renaming or adding a field or template is a schema
    change that makes Anki refuse to update notes learners already have."""

    key: str
    label: str
    fields: tuple[str, ...]
    sort_field: int
    template: str = "Card 1"
    cloze: bool = False

    def name(self, bank: Bank) -> str:
        return f"{self.label} ({bank.id})"

    def front(self) -> str:
        return _resource(f"{self.key}.front.html")

    def back(self) -> str:
        return _resource(f"{self.key}.back.html")

    def css(self) -> str:
        return _resource("style.css")


NOTETYPES: dict[str, NoteType] = {
    "basic": NoteType("basic", "Basic", ("Id", "Front", "Back", "Explanation", "Source", "Extra"), 1),
    "cloze": NoteType(
        "cloze", "Cloze", ("Id", "Text", "Explanation", "Source", "Extra"), 1, template="Cloze", cloze=True
    ),
    "mcq": NoteType(
        "mcq",
        "MCQ",
        ("Id", "Kind", "Question", "Options", "Answer", "Why", "Explanation", "Source", "Extra"),
        2,
    ),
}
# Shown by Anki's editor in a field while it is empty (Anki 2.1.50 and later). The bank never
# fills Extra: it is the learner's, and the rule below is also printed under it on the back.
EXTRA_RULE = (
    "Your own note. Importing a new version of this question replaces every field, this one "
    "too: keep a copy of anything you cannot lose."
)
FIELD_DESCRIPTIONS = {"Extra": EXTRA_RULE}
ANKI_SHUFFLE = "anki"  # the stored order (no script): fixed per question, independent of any quiz seed
WITHDRAWN_TAG = "withdrawn"  # under the bank's namespace: her2::withdrawn
# Withdrawn notes new to a collection land in a subdeck of their own (one deletes it whole);
# a learner's existing cards stay where they are. Not a kebab-case key, so never a topic's.
WITHDRAWN_DECK = "(withdrawn)"
WITHDRAWN_DECK_NAME = "Withdrawn questions"
NOTETYPE_OF_KIND = {"mcq": "mcq", "multi": "mcq", "truefalse": "mcq", "cloze": "cloze", "basic": "basic"}


@dataclass(frozen=True)
class Note:
    """What one question becomes: its note type, field values (HTML), tags and cards."""

    qid: str
    notetype: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    topic: str  # a topic key, or WITHDRAWN_DECK
    ords: tuple[int, ...]
    withdrawn: bool = False

    @property
    def digest(self) -> str:
        """Hash of everything the note carries into Anki (what an update would replace)."""
        return _digest([self.notetype, self.fields, self.tags])


@dataclass(frozen=True)
class DeckResult:
    """A rendered deck: the package, the lock to write (None: unchanged), and the counts."""

    package: bytes
    lock: bytes | None
    notes: int
    cards: int
    new: int  # questions not in the lock before this build
    changed: int  # questions whose content changed since the lock
    withdrawn: int = 0  # withdrawn notes shipped
    unknown: tuple[str, ...] = ()  # withdrawn ids the lock has no note type for: not shipped


def render_deck(bank: Bank, *, lock_path: Path, epoch: int | None = None) -> DeckResult:
    """The .apkg for every question of ``bank``, and the lock updated for it.

    New or changed questions (and note types) take ``epoch``, or now when it is None.
    Raises LockError when the lock is damaged. Writes nothing: the caller writes the
    package and the lock together (:func:`her2quiz.files.write_together`)."""
    with paused_gc():
        lock = read_lock(lock_path)
        before = lock.to_json()
        now = epoch if epoch is not None else int(time.time())
        notes = [note_for(bank, q) for q in bank.questions]
        gone, unknown = withdrawn_notes(bank, lock)
        statuses: Counter[Status] = Counter()
        stamps = []
        for note in notes:
            stamp, status = lock.stamp(
                "questions", note.qid, note.digest, now, notetype=note.notetype, cards=note.ords
            )
            stamps.append(stamp)
            statuses[status] += 1
        for note in gone:
            stamp, _ = lock.stamp(
                "questions", note.qid, note.digest, now, notetype=note.notetype, cards=note.ords
            )
            stamps.append(stamp)
        models = _models(bank, sorted({n.notetype for n in notes + gone}), lock, now)
        data = _package(_collection(bank, notes + gone, stamps, models))
        after = lock.to_json()
    cards = sum(len(n.ords) for n in notes)
    return DeckResult(
        data,
        after.encode("utf-8") if after != before or not lock_path.exists() else None,
        len(notes),
        cards,
        statuses[Status.NEW],
        statuses[Status.CHANGED],
        len(gone),
        unknown,
    )


@dataclass(frozen=True)
class BuildResult:
    """What :func:`build_deck` wrote."""

    path: Path
    notes: int
    cards: int
    new: int
    changed: int
    withdrawn: int = 0
    unknown: tuple[str, ...] = ()


def build_deck(bank: Bank, out_path: Path, *, lock_path: Path, epoch: int | None = None) -> BuildResult:
    """:func:`render_deck`, then write the package and the lock together."""
    deck = render_deck(bank, lock_path=lock_path, epoch=epoch)
    files = [(Path(out_path), deck.package)] + ([(lock_path, deck.lock)] if deck.lock is not None else [])
    Rendered(tuple(files)).write()
    return BuildResult(
        Path(out_path), deck.notes, deck.cards, deck.new, deck.changed, deck.withdrawn, deck.unknown
    )


def render(job: Job) -> Rendered:
    """The registry's entry point: the package and, when it changed, the lock."""
    result = render_deck(job.bank, lock_path=lock_path_for(job.bank), epoch=job.epoch)
    files = [(job.target, result.package)]
    if result.lock is not None:
        files.append((lock_path_for(job.bank), result.lock))
    return Rendered(tuple(files))


def lock_path_for(bank: Bank) -> Path:
    """A bank's own lock: NAME.lock beside NAME.yaml (two banks in a folder never share one)."""
    return Path(bank.path).with_suffix(".lock")


# --- questions → notes -------------------------------------------------------------------


def note_for(bank: Bank, q: AnyQuestion) -> Note:
    """The note of one question: field values in the note type's field order."""
    key = NOTETYPE_OF_KIND[q.kind]
    values = {
        "Id": _text(q.id),
        "Explanation": _explanation(bank, q),
        "Source": _sources(bank, q.citations()),
        "Extra": "",
    }
    ords: tuple[int, ...] = (0,)
    if isinstance(q, ChoiceQuestion | TrueFalse):
        values |= _choice_fields(q)
    elif isinstance(q, Cloze):
        values["Text"] = cloze_html(q.text)
        ords = tuple(n - 1 for n in numbers(q.text))
    else:
        values |= {"Front": _html(q.stem), "Back": _html(q.answer)}
    fields = tuple([values[name] for name in NOTETYPES[key].fields])
    return Note(q.id, key, fields, tags_for(bank, q), q.topic, ords)


def _choice_fields(q: ChoiceQuestion | TrueFalse) -> dict[str, str]:
    """Options as plain rows (``data-o``: the row's place in the stored order, which says
    nothing of correctness); the correct ones named, by that place, only in Answer."""
    options = option_order(q, shuffle=ANKI_SHUFFLE)
    # (place, letter, option, its text as HTML), each text rendered once for every field using it
    shown = [(i, chr(ord("A") + i), o, _html(o.text)) for i, o in enumerate(options)]
    rows = "".join([_option_html(i, letter, text) for i, letter, o, text in shown])
    answer = "".join([_keyed(i, letter, text) for i, letter, o, text in shown if o.correct])
    whys = "".join(
        [
            f'<li data-o="{i}">{_keyed(i, letter, text)}<div class="h2q-whytext">{_html(o.why)}</div></li>'
            for i, letter, o, text in shown
            if o.why
        ]
    )
    # The templates' script shuffles only "shuffle" lists: true/false, sorted and as-written keep theirs.
    order = (
        "shuffle" if q.facts.shuffles and isinstance(q, ChoiceQuestion) and q.order == "shuffle" else "fixed"
    )
    return {
        "Kind": q.kind,
        "Question": _html(q.prompt),
        "Options": f'<ol class="h2q-options" data-order="{order}">{rows}</ol>',
        "Answer": answer,
        "Why": f'<ul class="h2q-whys">{whys}</ul>' if whys else "",
    }


def _option_html(place: int, letter: str, text: str) -> str:
    """One option row, the same markup for every option; ``text`` is its text as HTML."""
    return (
        f'<li class="h2q-opt" data-o="{place}"><span class="h2q-letter">{letter}</span>'
        f'<span class="h2q-text">{text}</span></li>'
    )


def _keyed(place: int, letter: str, text: str) -> str:
    """An option named by its letter (the script re-letters it to the order shown)."""
    return (
        f'<div class="h2q-keyed" data-o="{place}"><b class="h2q-key">{letter}.</b> '
        f'<span class="h2q-text">{text}</span></div>'
    )


def _explanation(bank: Bank, q: AnyQuestion) -> str:
    """The explanation, then the context note ("Since then: …") as a block of its own."""
    text = _html(q.explain or "")
    if q.context is None:
        return text
    # The full references are in Source with the quotes; here, only when they were written.
    refs = "; ".join(dict.fromkeys(_text(_when(bank, c.source)) for c in q.context.cite))
    return (
        f'{text}<div class="h2q-context"><div class="h2q-label">Since then</div>'
        f'<div class="h2q-context-text">{_html(q.context.text)}</div>'
        f'<div class="h2q-context-ref">See Source: {refs}</div></div>'
    )


def _written(bank: Bank, key: str) -> str:
    """A source's date and status on a line of their own, where a learner can see them."""
    source = bank.sources[key]
    when = "Undated" if source.date == "undated" else f"Dated {source.date}"
    parts = [f'<span class="h2q-date">{_text(when)}</span>'] if source.date else []
    parts += [f'<span class="h2q-status">{_text(source.status)}</span>'] if source.status else []
    return f'<div class="h2q-when">{" · ".join(parts)}</div>' if parts else ""


def _when(bank: Bank, key: str) -> str:
    """A source's date and status ("2026-12; editors' notes"), or its reference when undated."""
    source = bank.sources[key]
    return "; ".join(x for x in (source.date, source.status) if x) or source.cite


def _sources(bank: Bank, cites: tuple[Citation, ...]) -> str:
    """Each cited source once (in order of first citation), its date and status, and its
    quotes under it."""
    quotes: dict[str, list[str]] = {}
    for c in cites:
        quotes.setdefault(c.source, []).append(f'<div class="h2q-quote">“{_text(c.quote)}”</div>')
    items = "".join(
        [
            f'<li><div class="h2q-ref">{_text(bank.sources[key].cite)}</div>{_written(bank, key)}{"".join(found)}</li>'
            for key, found in quotes.items()
        ]
    )
    return f'<ul class="h2q-cites">{items}</ul>'


def tags_for(bank: Bank, q: AnyQuestion) -> tuple[str, ...]:
    """Namespaced tags: topic, difficulty, kind, sources, and the question's own tags
    under ``<bank>::tag::``, so nothing lands at the top of a learner's tag list."""
    ns = f"{bank.id}::"
    tags = {f"{ns}topic::{q.topic}", f"{ns}kind::{q.kind}"}
    tags |= {f"{ns}source::{c.source}" for c in q.citations()}
    if q.difficulty:
        tags.add(f"{ns}difficulty::{q.difficulty}")
    tags |= {f"{ns}tag::{_tag_part(t)}" for t in q.tags if _tag_part(t)}
    return tuple(sorted(tags))


def _tag_part(tag: str) -> str:
    """A free tag as one level of an Anki tag: spaces become "_", "::" cannot nest it."""
    return _SPACES.sub("_", tag.strip()).replace("::", ":")


# --- withdrawn questions ------------------------------------------------------------------


def learn_notetypes(bank: Bank, lock: Lock) -> int:
    """Teach a format-1 lock the note types and cards of ``bank``'s questions (an earlier
    version of the bank, for questions since withdrawn); how many entries it learned."""
    learned = 0
    for q in bank.questions:
        note = note_for(bank, q)
        learned += lock.learn(q.id, note.notetype, note.ords)
    return learned


def withdrawn_notes(bank: Bank, lock: Lock) -> tuple[list[Note], tuple[str, ...]]:
    """A note for each withdrawn id the lock knows (same GUID, note type and cards as the
    learner's), and the ids it cannot ship because the lock has no note type for them."""
    notes, unknown = [], []
    for qid, reason in sorted(bank.withdrawn.items()):
        stamp = lock.get("questions", qid)
        if stamp is None or stamp.notetype not in NOTETYPES:
            unknown.append(qid)
            continue
        notes.append(withdrawn_note(bank, qid, reason, stamp.notetype, stamp.cards or (0,)))
    return notes, tuple(unknown)


def withdrawn_note(bank: Bank, qid: str, reason: str, notetype: str, ords: tuple[int, ...]) -> Note:
    """What a learner's note of a removed question becomes: a card that says it was
    withdrawn, why (when the bank says), and how to find and delete such notes."""
    nt = NOTETYPES[notetype]
    tag = f"{bank.id}::{WITHDRAWN_TAG}"
    why = f'<div class="h2q-withdrawn-why">{_html(reason)}</div>' if reason else ""
    message = (
        f'<div class="h2q-withdrawn"><div class="h2q-label">Withdrawn</div>'
        f"<div>This question has been withdrawn from the bank.</div>{why}"
        f'<div class="h2q-withdrawn-how">You can delete it: in Browse, search '
        f"<b>tag:{_text(tag)}</b>, select the notes, then Notes → Delete.</div></div>"
    )
    values = dict.fromkeys(nt.fields, "") | {"Id": _text(qid)}
    if nt.cloze:
        marks = " ".join(f"{{{{c{o + 1}::withdrawn}}}}" for o in ords)
        values["Text"] = f'{message}<div class="h2q-withdrawn-cards">{marks}</div>'
    else:
        values[nt.fields[nt.sort_field]] = message
    if "Kind" in values:
        values["Kind"] = WITHDRAWN_TAG
    fields = tuple([values[name] for name in nt.fields])
    return Note(qid, notetype, fields, (tag,), WITHDRAWN_DECK, ords, withdrawn=True)


_SPACES = re.compile(r"\s+")


def _html(text: str) -> str:
    """Question text as field HTML: escaped, plus the inline markup."""
    if "*" in text:
        return _defuse(markup.to_html(text))
    # No "*", no markup: what markup.to_html gives for one plain run, without parsing.
    return _text(text).replace("\n", "<br>")


def _text(text: str) -> str:
    """Plain text as field HTML, with no markup at all (citations, quotes, ids)."""
    if _SPECIAL.search(text) is None:
        return text  # the common case: nothing to escape or defuse
    return _defuse(html.escape(text, quote=True))


_SPECIAL = re.compile(r"[&<>\"'\[]")


def cloze_html(text: str) -> str:
    """Cloze text as field HTML: the markup parsed around the deletions as the PDF parses it
    (:func:`her2quiz.cloze.outside`), each deletion's answer and hint escaped on its own."""
    joined, slot, found = outside(text)
    parts = _html(joined).split(slot)
    out = [parts[0]]
    for d, after in zip(found, parts[1:], strict=True):
        hint = f"::{_html(d.hint)}" if d.hint else ""
        out.append(f"{{{{c{d.number}::{_html(d.answer)}{hint}}}}}{after}")
    return "".join(out)


def _defuse(field: str) -> str:
    # Anki reads [sound:…], [latex]… and [anki:…] in rendered HTML; an entity keeps them text.
    return field.replace("[", "&#91;")


# --- notes → collection -------------------------------------------------------------------


@dataclass(frozen=True)
class _Model:
    key: str
    id: int
    stamp: Stamp
    json: dict[str, Any]


def _models(bank: Bank, keys: list[str], lock: Lock, now: int) -> dict[str, _Model]:
    models = {}
    for key in keys:
        body = _model_json(bank, NOTETYPES[key])
        stamp, _ = lock.stamp("notetypes", key, _digest(body), now)
        models[key] = _Model(key, int(body["id"]), stamp, body | {"mod": stamp.mtime})
    return models


def _model_json(bank: Bank, nt: NoteType) -> dict[str, Any]:
    """The note type in Anki's schema-11 JSON, without its modification time."""
    model = genanki.Model(
        anki_id("notetype", bank.id, nt.key),
        nt.name(bank),
        fields=[{"name": f, "description": FIELD_DESCRIPTIONS.get(f, "")} for f in nt.fields],
        templates=[{"name": nt.template, "qfmt": nt.front(), "afmt": nt.back()}],
        css=nt.css(),
        model_type=genanki.Model.CLOZE if nt.cloze else genanki.Model.FRONT_BACK,
        sort_field_index=nt.sort_field,
    )
    body: dict[str, Any] = model.to_json(0, _deck_id(bank, None))
    for f in body["flds"]:
        f["id"] = anki_id("field", nt.key, f["name"])
    for t in body["tmpls"]:
        t["id"] = anki_id("template", nt.key, t["name"])
    del body["mod"]
    return body


def _decks(bank: Bank, topics: set[str], base: dict[str, Any], mtime: int) -> dict[str, Any]:
    """The root deck and a subdeck per topic that has cards, added to genanki's defaults."""
    decks = dict(base)
    names = {None: bank.deck} | {
        k: f"{bank.deck}::{_deck_part(v)}" for k, v in bank.topics.items() if k in topics
    }
    if WITHDRAWN_DECK in topics:
        names[WITHDRAWN_DECK] = f"{bank.deck}::{WITHDRAWN_DECK_NAME}"
    for topic, name in names.items():
        did = _deck_id(bank, topic)
        deck = genanki.Deck(did, name, description=_text(bank.title) if topic is None else "")
        decks[str(did)] = deck.to_json() | {"mod": mtime}
    return decks


def _deck_part(name: str) -> str:
    return name.replace("::", ":").strip() or "?"


def _deck_id(bank: Bank, topic: str | None) -> int:
    return anki_id("deck", bank.id) if topic is None else anki_id("deck", bank.id, topic)


# genanki's schema, tables apart from indexes: the indexes are made once the rows are in,
# which is faster than keeping them up to date row by row and leaves them packed.
_SCHEMA = [statement.strip() for statement in APKG_SCHEMA.split(";") if statement.strip()]
_TABLES = [statement for statement in _SCHEMA if not statement.startswith("CREATE INDEX")]
_INDEXES = [statement for statement in _SCHEMA if statement.startswith("CREATE INDEX")]


def _collection(bank: Bank, notes: list[Note], stamps: list[Stamp], models: dict[str, _Model]) -> bytes:
    """The collection as a schema-11 SQLite image (what genanki writes, ids and times ours)."""
    top = max([s.mtime for s in stamps] + [m.stamp.mtime for m in models.values()])
    db = sqlite3.connect(":memory:")
    try:
        db.execute("PRAGMA journal_mode = OFF")  # nothing to roll back: a failure drops it all
        for statement in _TABLES:
            db.execute(statement)
        db.executescript(APKG_COL)
        base = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
        db.execute(
            "UPDATE col SET mod = ?, models = ?, decks = ?",
            (
                top * 1000,
                _dump({str(m.id): m.json for m in models.values()}),
                _dump(_decks(bank, {n.topic for n in notes}, base, top)),
            ),
        )
        _insert_notes(db, bank, notes, stamps, models)
        for statement in _INDEXES:
            db.execute(statement)
        db.commit()
        # No VACUUM needed: rows go in by ascending id and indexes are built whole, so the
        # image has no free pages; the same inputs give the same bytes.
        return db.serialize()
    finally:
        db.close()


def _insert_notes(
    db: sqlite3.Connection, bank: Bank, notes: list[Note], stamps: list[Stamp], models: dict[str, _Model]
) -> None:
    # Ids are millisecond times in Anki; derive them from each note's own time, in a fixed order.
    mtimes = [s.mtime for s in stamps]
    order = sorted(range(len(notes)), key=lambda i: (mtimes[i], i))
    decks = {topic: _deck_id(bank, topic) for topic in {n.topic for n in notes}}
    note_rows = []
    card_rows = []
    nid = cid = 0
    for i in order:
        note, mtime = notes[i], mtimes[i]
        nid = max(mtime * 1000, nid + 1)
        guid = genanki.guid_for(bank.id, note.notetype, note.qid)
        sort_field = _strip(note.fields[NOTETYPES[note.notetype].sort_field])
        csum = int(hashlib.sha1(_strip(note.fields[0]).encode()).hexdigest()[:8], 16)
        tags = f" {' '.join(note.tags)} "
        note_rows.append(
            (
                nid,
                guid,
                models[note.notetype].id,
                mtime,
                -1,
                tags,
                "\x1f".join(note.fields),
                sort_field,
                csum,
                0,
                "",
            )
        )
        did = decks[note.topic]
        queue = -1 if note.withdrawn else 0  # suspended, when imported with its scheduling
        for card_ord in note.ords:
            cid = max(mtime * 1000, cid + 1)
            card_rows.append(
                (cid, nid, did, card_ord, mtime, -1, 0, queue, i + 1, 0, 0, 0, 0, 0, 0, 0, 0, "")
            )
    db.executemany("INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)", note_rows)
    db.executemany("INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", card_rows)


_ZIP_LEVEL = 1


def _package(collection: bytes) -> bytes:
    """The .apkg zip: fixed entry order, dates, permissions and compression (a fixed
    deflate level: the same bytes in, the same bytes out; the level trades size for time)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in (("collection.anki2", collection), ("media", b"{}")):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            z.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=_ZIP_LEVEL)
    return buffer.getvalue()


# --- small helpers ------------------------------------------------------------------------


def anki_id(*parts: str) -> int:
    """A fixed id for a named thing (note type, deck, field, template), in the range
    genanki recommends: the same name always gives the same id."""
    h = int.from_bytes(hashlib.sha256("/".join(("her2quiz", *parts)).encode()).digest()[:8], "big")
    return (1 << 30) + h % (1 << 30)


# What json.dumps(value, sort_keys=True, ensure_ascii=False) writes, without building an
# encoder on every call.
_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False)


def _digest(value: object) -> str:
    return hashlib.sha256(_JSON.encode(value).encode("utf-8")).hexdigest()[:16]


def _dump(value: object) -> str:
    return _JSON.encode(value)


_TAG = re.compile(r"<[^>]*>")


def _strip(field: str) -> str:
    if "<" not in field and "&" not in field:
        return field.strip()
    return html.unescape(_TAG.sub("", field)).strip()


@cache
def _resource(name: str) -> str:
    return (resources.files("her2quiz") / "templates" / "anki" / name).read_text(encoding="utf-8")
