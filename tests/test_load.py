"""The loader: safe, bounded, positioned."""

from __future__ import annotations

from pathlib import Path

import pytest

from her2quiz import check
from her2quiz.load import MAX_BYTES, LoadError, Mapping, Scalar, Sequence, decode, parse, resolve_plain


def diagnostics_of(text: str | bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "q.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return [d.concise() for d in check(path, display="q.yaml")]


def test_positions_are_one_based() -> None:
    tree, diagnostics = parse("a:\n  - b: 1\n    c: [x, 'y']\n", "q.yaml")
    assert diagnostics == []
    assert isinstance(tree, Mapping)
    seq = tree.fields["a"]
    assert isinstance(seq, Sequence)
    item = seq.items[0]
    assert isinstance(item, Mapping)
    assert (item.line, item.column) == (2, 5)
    c = item.fields["c"]
    assert isinstance(c, Sequence)
    assert [(n.line, n.column) for n in c.items] == [(3, 9), (3, 12)]


@pytest.mark.parametrize(
    ("text", "type_", "value"),
    [
        ("2005", "int", 2005),
        ("0x1F", "int", 31),
        ("1.5", "float", 1.5),
        ("yes", "bool", True),
        ("Off", "bool", False),
        ("~", "null", None),
        ("null", "null", None),
        ("2013-08-10", "timestamp", "2013-08-10"),
        ("HER2", "str", "HER2"),
        ("Yesterday", "str", "Yesterday"),
        ("3+", "str", "3+"),
    ],
)
def test_plain_scalars_resolve_like_pyyaml_safe_loader(text: str, type_: str, value: object) -> None:
    assert resolve_plain(text) == (type_, value)


def test_quoted_scalars_are_always_text() -> None:
    tree, _ = parse("a: '2005'\nb: \"yes\"\n", "q.yaml")
    assert isinstance(tree, Mapping)
    values = [(n.type, n.value) for n in tree.fields.values() if isinstance(n, Scalar)]
    assert values == [("str", "2005"), ("str", "yes")]


def test_a_hundred_thousand_nested_brackets_fail_without_crashing() -> None:
    # libyaml's own composer recurses in C and overflows the stack near this depth. Which
    # layer stops it depends on the libyaml build (PyYAML 6.0.4's scanner refuses flow
    # levels past 1,000 before our composer sees the 33rd; older ones leave it to us): what
    # matters is one located diagnostic about nesting, and no crash.
    with pytest.raises(LoadError) as caught:
        parse("a: " + "[" * 100_000 + "]" * 100_000, "q.yaml")
    d = caught.value.diagnostic
    assert d.code in {"E003", "E009"}
    assert "nesting" in d.message
    assert d.line == 1 and len("a: ") < d.column <= len("a: ") + 1001


def test_nesting_past_the_limit_is_refused_at_the_33rd_level() -> None:
    # The root mapping and 31 lists make the 32 levels allowed: the 32nd bracket is too deep.
    with pytest.raises(LoadError) as caught:
        parse("a: " + "[" * 40 + "]" * 40, "q.yaml")
    assert caught.value.diagnostic.code == "E009"
    assert caught.value.diagnostic.column == len("a: ") + 32


def test_deep_block_nesting_is_bounded() -> None:
    text = "".join(" " * (2 * i) + f"k{i}:\n" for i in range(40)) + " " * 80 + "v: 1\n"
    with pytest.raises(LoadError) as caught:
        parse(text, "q.yaml")
    assert caught.value.diagnostic.code == "E009"


def test_billion_laughs_is_refused_before_expansion() -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 12)]
    with pytest.raises(LoadError) as caught:
        parse("\n".join(lines) + "\n", "q.yaml")
    assert caught.value.diagnostic.code == "E009"
    assert "aliases expand" in caught.value.diagnostic.message


def test_an_alias_cannot_refer_to_its_own_node() -> None:
    with pytest.raises(LoadError) as caught:
        parse("a: &x [1, *x]\n", "q.yaml")
    assert caught.value.diagnostic.concise() == (
        "q.yaml:1:11: error[E003] alias '*x' names no anchor defined before it"
    )


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    text = "# padding\n" * (MAX_BYTES // 10 + 1)
    assert diagnostics_of(text, tmp_path) == [
        f"q.yaml:1:1: error[E009] file is {len(text):,} bytes; the limit is {MAX_BYTES:,} bytes"
    ]


def test_invalid_utf8_names_the_byte_offset() -> None:
    with pytest.raises(LoadError) as caught:
        decode(b"a: ok\nb: caf\xe9\n", "q.yaml")
    assert caught.value.diagnostic.concise() == (
        "q.yaml:2:7: error[E002] file is not UTF-8: invalid byte 0xe9 at byte offset 12"
    )


def test_utf16_file_is_not_utf8(tmp_path: Path) -> None:
    lines = diagnostics_of("bank: x\n".encode("utf-16"), tmp_path)
    assert lines == ["q.yaml:1:1: error[E002] file is not UTF-8: invalid byte 0xff at byte offset 0"]


def test_bom_is_accepted() -> None:
    tree, diagnostics = parse(decode(b"\xef\xbb\xbfa: 1\n", "q.yaml"), "q.yaml")
    assert diagnostics == [] and isinstance(tree, Mapping)
    assert tree.fields["a"].line == 1


def test_control_character_is_a_syntax_error_at_its_place(tmp_path: Path) -> None:
    lines = diagnostics_of("bank:\n  id: a\x07b\n", tmp_path)
    assert lines == ["q.yaml:2:8: error[E003] control character U+0007 is not allowed in YAML text"]


def test_key_that_is_not_text_is_refused() -> None:
    with pytest.raises(LoadError) as caught:
        parse("? [a, b]\n: c\n", "q.yaml")
    assert caught.value.diagnostic.message == "a mapping key must be plain text"


def test_every_duplicate_key_is_reported() -> None:
    _, diagnostics = parse("a: 1\nb: 2\na: 3\nb: 4\n", "q.yaml")
    assert [d.concise() for d in diagnostics] == [
        "q.yaml:3:1: error[E006] duplicate key 'a' (first at line 1); YAML would silently keep only one",
        "q.yaml:4:1: error[E006] duplicate key 'b' (first at line 2); YAML would silently keep only one",
    ]
