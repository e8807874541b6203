"""Whatever the input, checking gives diagnostics, never an exception."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from her2quiz import Diagnostic, check, load_bank

from conftest import DEMO_BANK, DEMO_SOURCES

VALID = DEMO_BANK.read_text(encoding="utf-8")
LINES = VALID.splitlines(keepends=True)
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def check_text(tmp_path: Path, data: bytes) -> list[Diagnostic]:
    path = tmp_path / "q.yaml"
    path.write_bytes(data)
    diagnostics = check(path, sources=DEMO_SOURCES)
    assert all(isinstance(d, Diagnostic) for d in diagnostics)
    assert all(d.line >= 1 and d.column >= 1 for d in diagnostics)
    loaded = load_bank(path, sources=DEMO_SOURCES)
    # A bank comes back exactly when there is no error.
    assert (loaded.bank is None) == any(d.is_error for d in loaded.diagnostics)
    return diagnostics


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes(tmp_path: Path, data: bytes) -> None:
    check_text(tmp_path, data)


@SETTINGS
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#%@`,?\n\t  \\0xé")), max_size=200))
def test_random_yaml_punctuation(tmp_path: Path, text: str) -> None:
    check_text(tmp_path, text.encode("utf-8"))


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


@SETTINGS
@given(yaml_values)
def test_random_yaml_documents(tmp_path: Path, value: object) -> None:
    check_text(tmp_path, yaml.safe_dump(value, allow_unicode=True).encode("utf-8"))


@SETTINGS
@given(st.data())
def test_random_mutations_of_a_valid_bank(tmp_path: Path, data: st.DataObject) -> None:
    lines = list(LINES)
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(lines) - 1))
        op = data.draw(
            st.sampled_from(["delete", "duplicate", "indent", "dedent", "truncate", "replace", "swap"])
        )
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "indent":
            lines[i] = "  " + lines[i]
        elif op == "dedent":
            lines[i] = lines[i][2:]
        elif op == "truncate":
            lines[i] = lines[i][: data.draw(st.integers(0, len(lines[i])))] + "\n"
        elif op == "replace":
            value = data.draw(
                st.sampled_from(["42", "yes", "~", "[]", "{}", "'x'", "2013-08-10", "*a", "!!str x"])
            )
            head = lines[i].split(":", 1)[0]
            lines[i] = f"{head}: {value}\n"
        else:
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        if not lines:
            break
    check_text(tmp_path, "".join(lines).encode("utf-8"))


@SETTINGS
@given(st.data())
def test_random_mutations_of_the_bank_as_data(tmp_path: Path, data: st.DataObject) -> None:
    bank = yaml.safe_load(VALID)
    question = data.draw(st.sampled_from(bank["questions"]))
    key = data.draw(st.sampled_from(sorted(question)))
    question[key] = data.draw(yaml_values)
    check_text(tmp_path, yaml.safe_dump(bank, allow_unicode=True).encode("utf-8"))


@given(st.text())
def test_escape_html_is_html_escape(text: str) -> None:
    import html

    from her2quiz.markup import escape_html

    assert escape_html(text) == html.escape(text, quote=True)
