"""Math for the terminal: LaTeX converted to readable Unicode, and spliced into Markdown bodies."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mljournal.core.text.markdown.math_text import latex_to_unicode
from mljournal.core.text.markdown.readable_math import markdown_with_readable_math


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        (r"\alpha + \beta = \gamma", "α + β = γ"),
        (r"\nabla_\theta L = \sum_i x_i^2", "∇_θ L = ∑ᵢ xᵢ²"),
        (r"\partial f / \partial x", "∂f / ∂x"),
        (r"\int_0^\infty e^{-x} dx", "∫₀^∞ e⁻ˣ dx"),
        (r"a \cdot b \times c", "a · b × c"),
        (r"x \leq y \geq z \neq w \approx v", "x ≤ y ≥ z ≠ w ≈ v"),
        (r"x \in \mathbb{R}^n", "x ∈ ℝⁿ"),
        (r"f: X \rightarrow Y", "f: X → Y"),
        (r"\frac{1}{2}", "1/2"),
        (r"\frac{a+b}{c-d}", "(a+b)/(c-d)"),
        (r"\sqrt{x}", "√x"),
        (r"\sqrt{x+1}", "√(x+1)"),
        (r"\sqrt[3]{8}", "∛8"),
        (r"\hat{y}", "ŷ"),
        (r"\bar{x}", "x\u0304"),
        (r"\text{loss}(w)", "loss(w)"),
        (r"\mathrm{softmax}(z)_i", "softmax(z)ᵢ"),
        (r"W^T x + b", "Wᵀ x + b"),
        (r"x^{-1}", "x⁻¹"),
        (r"x_{i,j}", "x_(i,j)"),
        (r"x^*", "x^*"),
        (r"\sum_{i=1}^{n} x_i", "∑ᵢ₌₁ⁿ xᵢ"),
        (r"\left( a \right)", "( a )"),
        (r"\mathcal{L}(\theta)", "ℒ(θ)"),
        (r"\{a, b\}", "{a, b}"),
        ("\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}", "a = b\nc = d"),
    ],
)
def test_latex_becomes_readable_unicode(tex: str, expected: str) -> None:
    assert latex_to_unicode(tex) == expected


@pytest.mark.parametrize(
    "tex",
    [
        r"\unknowncommand x",
        "{a",
        "a}",
        r"\frac{a}",
        r"\begin{matrix} a \end{matrix}",
        r"\hat{xy}",
        r"\text x",
    ],
)
def test_what_cannot_be_converted_gives_none(tex: str) -> None:
    assert latex_to_unicode(tex) is None


def test_inline_math_in_markdown_is_converted_in_place() -> None:
    assert markdown_with_readable_math("We get $\\alpha + \\beta$ here.\n") == "We get α \\+ β here.\n"
    assert markdown_with_readable_math("Also \\(x^2\\) works.") == "Also x² works."


def test_prices_and_code_are_left_alone() -> None:
    for text in (
        "It costs $5 and $6 today.\n",
        "Code: `$\\alpha$` stays.\n",
        "```\n$\\alpha$\n```\n",
        "    $\\alpha$ in an indented code block\n",
        "An escaped \\$\\alpha\\$ stays.\n",
    ):
        assert markdown_with_readable_math(text) == text


def test_unconvertible_math_stays_as_its_source() -> None:
    text = "Keep $\\weird{x}$ but convert $\\pi$.\n"
    assert markdown_with_readable_math(text) == "Keep $\\weird{x}$ but convert π.\n"


def test_display_math_gets_its_own_lines() -> None:
    text = "Before:\n\n$$\n\\sum_i x_i\n$$\n\nAfter.\n"
    assert markdown_with_readable_math(text) == "Before:\n\n∑ᵢ xᵢ\n\nAfter.\n"
    brackets = "Before:\n\n\\[ \\alpha \\]\n\nAfter.\n"
    assert markdown_with_readable_math(brackets) == "Before:\n\nα\n\nAfter.\n"


def test_multi_line_display_math_keeps_its_lines_and_quote_markers() -> None:
    text = "> $$\n> a = b \\\\ c = d\n> $$\n"
    assert markdown_with_readable_math(text) == "> a \\= b\\\n> c \\= d\n"


def test_converted_math_cannot_become_markup() -> None:
    # `a_i * b_j` unconverted would be emphasis; the result is escaped so it reads as the formula.
    assert markdown_with_readable_math("$a * b * c$") == "a \\* b \\* c"


def test_crlf_line_endings_are_kept() -> None:
    assert markdown_with_readable_math("x $\\pi$\r\ny\r\n") == "x π\r\ny\r\n"


def test_math_in_a_list_item_and_a_table() -> None:
    assert markdown_with_readable_math("- item $\\beta$\n") == "- item β\n"
    table = "| a | b |\n|---|---|\n| $\\pi$ | $\\pi$ |\n"
    assert markdown_with_readable_math(table) == "| a | b |\n|---|---|\n| π | π |\n"


MATHY = st.lists(
    st.sampled_from(
        ["$", "$$", "\\(", "\\)", "\\[", "\\]", "\\alpha", "{", "}", "^", "_", "`", "```", "\n", " ", "> ", "- ",
         "x", "2", "\\frac", "\\begin{aligned}", "&", "\\\\", "|", "\r\n", "\t", "    "]
    )
    | st.text(max_size=5),
    max_size=40,
).map("".join)  # fmt: skip


@given(MATHY)
def test_never_raises_on_arbitrary_text(text: str) -> None:
    assert isinstance(markdown_with_readable_math(text), str)


@given(st.text().filter(lambda text: "$" not in text and "\\" not in text))
def test_text_without_math_is_unchanged_byte_for_byte(text: str) -> None:
    assert markdown_with_readable_math(text) == text


@given(MATHY)
def test_converter_never_raises(text: str) -> None:
    result = latex_to_unicode(text)
    assert result is None or isinstance(result, str)


NO_MATH = st.lists(
    st.sampled_from(
        ["It costs $5", " and $6", " $10.50 ", "`$x$`", "\n\n```\n$\\alpha$\n```\n\n", "\\$a\\$", "word", " ", "\n",
         "\n\n", "> ", "- ", "| a |", "*", "_", "\r\n", "[[T]]", "[a](b)"]
    ),
    max_size=30,
).map("".join)  # fmt: skip


@given(NO_MATH)
def test_text_with_dollars_but_no_math_is_unchanged(text: str) -> None:
    # Dollars and backslashes force the full parse, unlike the filtered text above.
    assert markdown_with_readable_math(text) == text


def test_display_math_in_list_items_keeps_the_item() -> None:
    assert markdown_with_readable_math("- item\n\n  $$\n  x^2\n  $$\n") == "- item\n\n  x²\n"
    assert markdown_with_readable_math("1. $$a_1$$\n2. b\n") == "1. a₁\n\n2. b\n"
    quoted = "> quote\n>\n> \\[ \\alpha \\]\n> more\n"
    assert markdown_with_readable_math(quoted) == "> quote\n>\n> α\n>\n> more\n"
