"""questions.lock: reading strictly, stamping, writing only when something changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from her2quiz.lock import Lock, LockError, Stamp, Status, read_lock, write_lock

H1 = "0123456789abcdef"
H2 = "fedcba9876543210"
ADVICE = "fix it (a merge conflict?) or restore it from version control"


def lock_text(questions: object = None, notetypes: object = None, version: int = 2, **extra: object) -> str:
    data = {"format": version, "notetypes": notetypes or {}, "questions": questions or {}, **extra}
    return json.dumps(data)


def test_a_missing_lock_starts_fresh(tmp_path: Path) -> None:
    lock = read_lock(tmp_path / "questions.lock")
    assert lock.sections == {"notetypes": {}, "questions": {}}


def test_round_trip_is_sorted_json_with_a_format_version(tmp_path: Path) -> None:
    path = tmp_path / "questions.lock"
    lock = Lock()
    lock.stamp("questions", "b-question", H1, 100, notetype="mcq")
    lock.stamp("questions", "a-question", H2, 200, notetype="cloze", cards=(0, 2))
    lock.stamp("notetypes", "mcq", H1, 100)
    assert write_lock(path, lock) is True
    assert path.read_text(encoding="utf-8") == (
        "{\n"
        '  "format": 2,\n'
        '  "notetypes": {\n    "mcq": {\n      "hash": "0123456789abcdef",\n      "mtime": 100\n    }\n  },\n'
        '  "questions": {\n'
        '    "a-question": {\n      "cards": [\n        0,\n        2\n      ],\n'
        '      "hash": "fedcba9876543210",\n      "mtime": 200,\n      "notetype": "cloze"\n    },\n'
        '    "b-question": {\n      "hash": "0123456789abcdef",\n      "mtime": 100,\n      "notetype": "mcq"\n    }\n'
        "  }\n"
        "}\n"
    )
    assert read_lock(path) == lock


def test_an_unchanged_lock_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "questions.lock"
    lock = Lock()
    lock.stamp("questions", "q", H1, 100)
    write_lock(path, lock)
    assert write_lock(path, read_lock(path)) is False


def test_stamp_keeps_the_time_of_unchanged_content() -> None:
    lock = Lock()
    assert lock.stamp("questions", "q", H1, 100) == (Stamp(H1, 100), Status.NEW)
    assert lock.stamp("questions", "q", H1, 500) == (Stamp(H1, 100), Status.UNCHANGED)
    assert lock.stamp("questions", "q", H2, 500) == (Stamp(H2, 500), Status.CHANGED)


def test_a_change_always_moves_time_forward_even_with_an_older_epoch() -> None:
    lock = Lock()
    lock.stamp("questions", "q", H1, 1000)
    assert lock.stamp("questions", "q", H2, 10) == (Stamp(H2, 1001), Status.CHANGED)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            '{"format": 1,',
            "questions.lock:1:14: not valid JSON: Expecting property name enclosed in double quotes",
        ),
        ("<<<<<<< HEAD\n{}", "questions.lock:1:1: not valid JSON: Expecting value"),
        ("[]", "questions.lock: expected a JSON object at the top, found an array"),
        (
            '{"format": 1}',
            "questions.lock: expected keys format, notetypes, questions: missing notetypes, questions",
        ),
        (
            lock_text(extra=1),
            "questions.lock: expected keys format, notetypes, questions: unknown extra",
        ),
        (lock_text(version=3), "questions.lock: format 3 is not supported (this her2quiz writes 2)"),
        (
            lock_text().replace('"format": 2', '"format": true'),
            "questions.lock: format true is not supported (this her2quiz writes 2)",
        ),
        (lock_text(questions=[1]), "questions.lock: 'questions' must be an object, found an array"),
        (
            lock_text(questions={"q": {"hash": H1}}),
            "questions.lock: questions['q'] must be an object with exactly 'hash' and 'mtime'"
            " (and optionally 'notetype', 'cards')",
        ),
        (
            lock_text(questions={"q": {"hash": H1, "mtime": 1, "notetype": "mcq"}}, version=1),
            "questions.lock: questions['q'] must be an object with exactly 'hash' and 'mtime'",
        ),
        (
            lock_text(notetypes={"mcq": {"hash": H1, "mtime": 1, "notetype": "mcq"}}),
            "questions.lock: notetypes['mcq'] must be an object with exactly 'hash' and 'mtime'",
        ),
        (
            lock_text(questions={"q": {"hash": H1, "mtime": 1, "notetype": "MCQ!"}}),
            "questions.lock: questions['q']: notetype must be a note type key, found \"MCQ!\"",
        ),
        (
            lock_text(questions={"q": {"hash": H1, "mtime": 1, "cards": [2, 0]}}),
            "questions.lock: questions['q']: cards must be ascending card numbers 0 to 499, found [2, 0]",
        ),
        (
            lock_text(questions={"q": {"hash": H1, "mtime": 1, "cards": [0, 500]}}),
            "questions.lock: questions['q']: cards must be ascending card numbers 0 to 499, found [0, 500]",
        ),
        (
            lock_text(questions={"q": {"hash": "XYZ", "mtime": 1}}),
            "questions.lock: questions['q']: hash must be 16 lowercase hex digits, found \"XYZ\"",
        ),
        (
            lock_text(questions={"q": {"hash": H1, "mtime": "1767225600"}}),
            "questions.lock: questions['q']: mtime must be a whole number of seconds, found \"1767225600\"",
        ),
        (
            lock_text(notetypes={"mcq": {"hash": H1, "mtime": 1.5}}),
            "questions.lock: notetypes['mcq']: mtime must be a whole number of seconds, found 1.5",
        ),
        (
            lock_text(questions={"q": {"hash": H1, "mtime": -1}}),
            "questions.lock: questions['q']: mtime must be a whole number of seconds, found -1",
        ),
        (
            '{"format": 2, "notetypes": {}, "questions": {}, "questions": {}}',
            "questions.lock: key 'questions' appears twice",
        ),
    ],
)
def test_a_damaged_lock_is_a_clear_error(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "questions.lock"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LockError) as caught:
        read_lock(path)
    assert str(caught.value) == f"{tmp_path}/{problem}; {ADVICE}"


def test_a_lock_that_is_not_utf8_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "questions.lock"
    path.write_bytes(b'{"format": 2\xff}')
    with pytest.raises(LockError) as caught:
        read_lock(path)
    assert str(caught.value) == f"{path}: not UTF-8 (byte 12); {ADVICE}"


def extra(notetype: str | None, cards: tuple[int, ...]) -> dict[str, object]:
    return ({"notetype": notetype} if notetype else {}) | ({"cards": list(cards)} if cards else {})


@pytest.mark.parametrize(
    "keys",
    [["a"], ["z-q", "a-q", "m-q"], ['quote"d', "back\\slash", "tab\tkey", "é-ünï", "ctl\x01", "line\u2028"]],
)
def test_hand_written_json_is_what_the_json_module_writes(keys: list[str]) -> None:
    lock = Lock()
    kinds: list[tuple[str | None, tuple[int, ...]]] = [(None, ()), ("mcq", ()), ("cloze", (0, 1, 4))]
    for i, key in enumerate(keys):
        notetype, cards = kinds[i % 3]
        lock.stamp("questions", key, H1 if i % 2 else H2, 100 + i, notetype=notetype, cards=cards)
    lock.stamp("notetypes", "mcq", H1, 7)
    data = {
        "format": 2,
        "notetypes": {"mcq": {"hash": H1, "mtime": 7}},
        "questions": {
            k: {"hash": H1 if i % 2 else H2, "mtime": 100 + i} | extra(*kinds[i % 3])
            for i, k in enumerate(keys)
        },
    }
    assert lock.to_json() == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_a_format_1_lock_is_read_and_its_note_types_filled_in_without_a_new_time(tmp_path: Path) -> None:
    path = tmp_path / "questions.lock"
    path.write_text(lock_text(questions={"q": {"hash": H1, "mtime": 100}}, version=1), encoding="utf-8")
    lock = read_lock(path)
    assert lock.get("questions", "q") == Stamp(H1, 100)
    assert lock.stamp("questions", "q", H1, 500, notetype="cloze", cards=(0, 1)) == (
        Stamp(H1, 100, "cloze", (0, 1)),
        Status.UNCHANGED,
    )
    write_lock(path, lock)
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == 2
    assert read_lock(path) == lock


def test_card_zero_alone_is_not_written() -> None:
    lock = Lock()
    assert lock.stamp("questions", "q", H1, 1, notetype="mcq", cards=(0,))[0] == Stamp(H1, 1, "mcq")
    assert '"cards"' not in lock.to_json()
