"""`her2quiz stats`: counts, answer positions, lint totals, and source coverage."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from her2quiz import load_bank
from her2quiz.bank import Bank
from her2quiz.cli import main
from her2quiz.stats import Coverage, Stats, bank_stats, cites, render_stats, sentence_spans, source_coverage

from conftest import DEMO_BANK, DEMO_SOURCES


def sentences(raw: str) -> list[str]:
    return [" ".join(raw[s:e].split()) for s, e in sentence_spans(raw)]


@pytest.fixture
def demo() -> Bank:
    bank = load_bank(DEMO_BANK, sources=DEMO_SOURCES).bank
    assert bank is not None
    return bank


# -- sentences ---------------------------------------------------------------------------


def test_sentences_of_a_captured_page() -> None:
    raw = (
        "Skip to main content\n"
        "\n"
        "HER2 Testing Methods\n"
        "  • FISH is less dependent on tissue fixation methods 1\n"
        "    1. Immunohistochemistry (IHC): Measures HER2 protein 1, 4\n"
        "In the past, tumors with high levels of HER2 were associated with an increased risk of\n"
        "death from breast cancer. However, the prognosis has improved.\n"
        "HER2 loss may occur in some of these samples.The best treatment is unknown.展开更多\n"
        "文摘Loss of HER2 is not rare. Many studies have reported the loss of HER..."
        "Loss of HER2 is not rare.\n"
    )
    assert sentences(raw) == [
        "Skip to main content",
        "HER2 Testing Methods",
        "FISH is less dependent on tissue fixation methods 1",
        "Immunohistochemistry (IHC): Measures HER2 protein 1, 4",
        "In the past, tumors with high levels of HER2 were associated with an increased risk of death "
        "from breast cancer.",
        "However, the prognosis has improved.",
        "HER2 loss may occur in some of these samples.",
        "The best treatment is unknown.",
        "展开更多",
        "文摘",
        "Loss of HER2 is not rare.",
        "Many studies have reported the loss of HER...",
        "Loss of HER2 is not rare.",
    ]


def test_a_line_ending_a_sentence_is_not_joined_to_the_next() -> None:
    raw = "Medical Advisory Board reviews every article published on this site\nEducational purpose only\n"
    assert sentences(raw) == [
        "Medical Advisory Board reviews every article published on this site",
        "Educational purpose only",
    ]


@pytest.mark.parametrize(
    ("quote", "sentence", "expected"),
    [
        ((10, 20), (0, 100), True),  # a quote inside a sentence
        ((0, 200), (50, 100), True),  # a sentence inside a quote
        ((80, 200), (0, 100), False),  # the quote only touches the sentence's last 20 characters
        ((55, 200), (0, 100), True),  # …but covers 45 of it: it spans the sentence boundary
        ((0, 10), (20, 30), False),
    ],
)
def test_when_a_quote_cites_a_sentence(
    quote: tuple[int, int], sentence: tuple[int, int], expected: bool
) -> None:
    assert cites(*quote, *sentence) is expected


def test_coverage_counts_distinct_sentences_and_credits_both_sides_of_a_quote() -> None:
    raw = (
        "HER2 loss is not rare. It occurs in up to half of breast cancers, mostly after neoadjuvant "
        "therapy.\n"
        "HER2 loss is not rare.\n"
        "Its mechanisms are poorly understood.\n"
    )
    quote = "is not rare. It occurs in up to half of breast cancers, mostly"
    cov = source_coverage("loss", "loss.txt", raw, [quote], keep_uncited=True)
    assert cov == Coverage("loss", "loss.txt", 3, 2, ["Its mechanisms are poorly understood."])
    assert cov.share == pytest.approx(2 / 3)
    touching = "rare. It occurs in up to half of breast cancers, mostly"
    cov = source_coverage("loss", "loss.txt", raw, [touching], keep_uncited=True)
    assert cov.uncited == ["HER2 loss is not rare.", "Its mechanisms are poorly understood."]


# -- the bank ----------------------------------------------------------------------------


def test_counts_of_the_demo_bank(demo: Bank) -> None:
    stats = bank_stats(demo, sources_dir=DEMO_SOURCES, uncited=True)
    assert stats.questions == 5
    assert stats.by_topic_kind["testing"] == {"mcq": 0, "multi": 1, "truefalse": 1, "cloze": 0, "basic": 0}
    assert stats.by_topic_difficulty["drugs"] == {"easy": 0, "medium": 1, "hard": 1}
    assert stats.by_source == {"demo": {"questions": 5, "quotes": 5}}
    assert stats.positions_basis == "quiz plan, version A, seed 1"
    assert {kind: sum(row.values()) for kind, row in stats.positions.items()} == {"mcq": 1, "multi": 2}
    assert (stats.lint, stats.allowed) == ({}, {})
    assert stats.coverage == [
        Coverage(
            "demo",
            "demo.txt",
            9,
            6,
            [
                "Demo source for the her2quiz test suite.",
                "Lapatinib is a small molecule dual tyrosine kinase inhibitor of HER1/HER2.",
                'Special characters print as they are: # $ * < > @ { } \\ & and "quotes".',
            ],
        )
    ]


def test_lint_totals_count_warnings_and_allows(write_bank: Callable[..., Path]) -> None:
    text = DEMO_BANK.read_text(encoding="utf-8")
    text = text.replace(
        "    explain: It is a 185-kd membrane glycoprotein.",
        "    explain: It is a 185-kd membrane glycoprotein of 1255 amino acids.\n"
        '    allow: {W330: "textbook background"}',
    ).replace(
        "    explain: Trastuzumab is a humanized monoclonal antibody against the extracellular domain.\n", ""
    )
    loaded = load_bank(write_bank(text))
    assert loaded.bank is not None
    stats = bank_stats(loaded.bank, sources_dir=DEMO_SOURCES, uncited=False)
    assert (stats.lint, stats.allowed) == ({"W332": 1}, {"W330": 1})


def test_a_missing_source_text_is_reported(demo: Bank, tmp_path: Path) -> None:
    stats = bank_stats(demo, sources_dir=tmp_path, uncited=True)
    assert stats.coverage == [Coverage("demo", "demo.txt", missing=True)]
    assert "demo            -      -  text not found\n" in render_stats(stats, "text")


# -- output --------------------------------------------------------------------------------


def small_stats(*, uncited: bool) -> Stats:
    return Stats(
        bank="Demo",
        questions=3,
        topics={"drugs": "Drugs", "loss": "HER2 loss"},
        by_topic_kind={"drugs": {"mcq": 2, "cloze": 0}, "loss": {"mcq": 0, "cloze": 1}},
        by_topic_difficulty={"drugs": {"easy": 1, "hard": 1}, "loss": {"easy": 1, "hard": 0}},
        by_source={"demo": {"questions": 3, "quotes": 4}},
        positions={"mcq": {"A": 1, "B": 1}},
        positions_basis="quiz plan, version A, seed 1",
        lint={"W312": 1},
        allowed={"W330": 2},
        coverage=[Coverage("demo", "demo.txt", 4, 3, ["Page debris."] if uncited else [])],
        uncited_listed=uncited,
        sources={
            "demo": {"date": "2025-10", "status": "pending human review"},
            "old": {"date": None, "status": None},
        },
        families={"peak": {"ids": ["drugs-a", "drugs-b"], "kinds": ["mcq", "mcq"]}},
        unfamilied=1,
        vignettes=1,
        context_notes=2,
    )


def test_text_output() -> None:
    assert render_stats(small_stats(uncited=True), "text") == (
        "Demo: 3 questions\n"
        "\n"
        "By topic and kind\n"
        "\n"
        "topic  mcq  cloze  total\n"
        "drugs    2      0      2\n"
        "loss     0      1      1\n"
        "total    2      1      3\n"
        "\n"
        "By topic and difficulty\n"
        "\n"
        "topic  easy  hard  total\n"
        "drugs     1     1      2\n"
        "loss      1     0      1\n"
        "total     2     1      3\n"
        "\n"
        "By source\n"
        "\n"
        "source  questions  quotes\n"
        "demo            3       4\n"
        "\n"
        "Sources: when written, and their status\n"
        "\n"
        "source  date     status\n"
        "demo    2025-10  pending human review\n"
        "old     -        -\n"
        "\n"
        "Families (1; 1 questions in none)\n"
        "\n"
        "family  questions\n"
        "peak    drugs-a (mcq), drugs-b (mcq)\n"
        "\n"
        "clinical vignettes (tag 'vignette'): 1\n"
        'questions with a context note ("Since then"): 2\n'
        "\n"
        "Answer positions (mcq and multi; quiz plan, version A, seed 1)\n"
        "\n"
        "kind   A  B  total\n"
        "mcq    1  1      2\n"
        "total  1  1      2\n"
        "\n"
        "Lint warnings\n"
        "\n"
        "code  warnings  allowed\n"
        "W312         1        0\n"
        "W330         0        2\n"
        "\n"
        "Source coverage (sentences some quote cites)\n"
        "\n"
        "source  sentences  cited  share\n"
        "demo            4      3    75%\n"
        "\n"
        "Uncited sentences\n"
        "\n"
        "demo: Page debris.\n"
    )


def test_markdown_output_has_tables_and_a_list() -> None:
    out = render_stats(small_stats(uncited=True), "markdown")
    assert out.startswith(
        "# Demo: 3 questions\n\n## By topic and kind\n\n| topic | mcq | cloze | total |\n|---|--:|--:|--:|\n"
    )
    assert "| W330 | 0 | 2 |\n" in out
    assert "| family | questions |\n|---|---|\n| peak | drugs-a (mcq), drugs-b (mcq) |\n" in out
    assert "| demo | 2025-10 | pending human review |\n" in out
    assert "- clinical vignettes (tag 'vignette'): 1\n" in out
    assert out.endswith("## Uncited sentences\n\n- demo: Page debris.\n")


def test_json_output() -> None:
    data = json.loads(render_stats(small_stats(uncited=False), "json"))
    assert data["coverage"] == [
        {"source": "demo", "file": "demo.txt", "sentences": 4, "cited": 3, "missing": False, "share": 0.75}
    ]
    assert data["positions"] == {"mcq": {"A": 1, "B": 1}}
    assert data["lint"] == {"W312": 1}
    assert data["families"] == {"peak": {"ids": ["drugs-a", "drugs-b"], "kinds": ["mcq", "mcq"]}}
    assert data["sources"]["demo"] == {"date": "2025-10", "status": "pending human review"}
    assert (data["unfamilied"], data["vignettes"], data["context_notes"]) == (1, 1, 2)


def test_the_stats_command_lists_uncited_sentences() -> None:
    result = CliRunner().invoke(
        main, ["stats", str(DEMO_BANK), "--sources", str(DEMO_SOURCES), "--uncited", "--format", "markdown"]
    )
    assert result.exit_code == 0, result.output
    assert "| demo | 9 | 6 | 67% |" in result.output
    assert (
        "- demo: Lapatinib is a small molecule dual tyrosine kinase inhibitor of HER1/HER2.\n"
        in result.output
    )


def test_families_sources_vignettes_and_context_notes_of_a_bank(tmp_path: Path) -> None:
    from quiz_banks import bank_text, load

    text = bank_text(12, families=5, extras=True).replace(
        "  difficulty: medium\n", "  difficulty: medium\n  tags: [vignette]\n"
    )
    bank = load(tmp_path, text)
    stats = bank_stats(bank, sources_dir=tmp_path / "sources", uncited=False)
    expected: dict[str, dict[str, list[str]]] = {}
    for q in bank.questions:
        entry = expected.setdefault(f"fact-{int(q.id[-3:]) % 5}", {"ids": [], "kinds": []})
        entry["ids"].append(q.id)
        entry["kinds"].append(q.kind)
    assert stats.families == expected and list(stats.families) == [
        "fact-1",
        "fact-2",
        "fact-3",
        "fact-4",
        "fact-0",
    ]
    assert stats.families["fact-1"] == {
        "ids": ["relapse-q001", "drugs-q006", "testing-q011"],
        "kinds": ["mcq", "mcq", "mcq"],
    }
    assert stats.unfamilied == 0
    assert (
        stats.vignettes == sum("vignette" in q.tags for q in bank.questions) == 4
    )  # questions 3, 4, 5 and 12: the medium ones
    assert stats.context_notes == 3  # questions 4, 8, 12
    assert stats.sources == {"demo": {"date": "2026-03", "status": "pending human review"}}
    assert "fact-1  relapse-q001 (mcq), drugs-q006 (mcq), testing-q011 (mcq)\n" in render_stats(stats, "text")
