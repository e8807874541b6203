"""Text the PDF must still print well: long unbroken words wrap, uncovered scripts warn."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader

from her2quiz import api

DEMO = (Path(__file__).parent / "fixtures" / "valid" / "every-kind.yaml").read_text(encoding="utf-8")
STEM = "stem: In which period after surgery do HER2-positive carcinomas show an early peak of relapses?"


def text_right_edges(pdf: Path) -> list[tuple[float, float]]:
    """(right edge of each text run, page width), read from the PDF's text positions."""
    edges: list[tuple[float, float]] = []
    for page in PdfReader(pdf).pages:
        width = float(page.mediabox.width)

        def visit(
            text: str, cm: list[float], tm: list[float], font: object, size: float, width: float = width
        ) -> None:
            if text.strip():
                x = tm[4] * cm[0] + cm[4]
                edges.append((x + 0.45 * size * abs(cm[0] or 1) * len(text), width))

        page.extract_text(visitor_text=visit)
    return edges


def test_a_long_unbroken_word_wraps_inside_the_page(write_bank: Callable[..., Path], tmp_path: Path) -> None:
    word = "ACGT" * 60  # 240 characters with no space: a sequence, a URL
    bank = write_bank(DEMO.replace(STEM, f"stem: Which period follows {word}?"))
    report = api.quiz(bank, api.QuizRequest(out=tmp_path / "q.pdf", key="none"))
    edges = text_right_edges(tmp_path / "q.pdf")
    assert edges and all(right <= width for right, width in edges)
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "q.pdf").pages)
    assert word[:24] in text.replace("\u200b", "") and not report.warnings


def test_text_in_a_script_no_bundled_font_covers_is_a_warning_naming_the_question(
    write_bank: Callable[..., Path], tmp_path: Path
) -> None:
    bank = write_bank(DEMO.replace(STEM, "stem: 早期复发高峰在哪个时期?"))
    report = api.quiz(bank, api.QuizRequest(out=tmp_path / "q.pdf"))
    assert report.warnings == (
        "question 'relapse-early-peak' has text in a script the PDF's fonts do not cover "
        "('早', U+65E9): it prints as empty boxes",
    )
    greek_and_maths = write_bank(DEMO.replace(STEM, "stem: Which ratio is ≥ 2.0 (α-HER2, Ж)?"), "g.yaml")
    assert api.quiz(greek_and_maths, api.QuizRequest(out=tmp_path / "g.pdf")).warnings == ()
