"""LaTeX math to readable Unicode for a terminal: `\\alpha + \\beta = \\gamma` → `α + β = γ`.

A small recursive reader for the notation ML notes use: Greek letters, operators and arrows, sub- and
superscripts (as Unicode sub/superscript characters when every character has one, else `_(…)` / `^(…)`),
`\\frac`, `\\sqrt`, accents, `\\text`, `\\mathbb`, `\\left`/`\\right` and the `aligned` family. Anything else
(an unknown command, an unbalanced brace) makes `latex_to_unicode` return None, so the caller can keep the
source as written rather than show a half-converted formula.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["latex_to_unicode"]

_SYMBOLS: dict[str, str] = {
    # Greek, lower then upper case.
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ",
    "upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
    "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    # Big operators and calculus.
    "sum": "∑", "prod": "∏", "coprod": "∐", "int": "∫", "iint": "∬", "iiint": "∭", "oint": "∮",
    "nabla": "∇", "partial": "∂", "infty": "∞", "bigcup": "⋃", "bigcap": "⋂",
    # Binary operators and relations.
    "cdot": "·", "times": "×", "div": "÷", "pm": "±", "mp": "∓", "ast": "∗", "star": "⋆", "circ": "∘",
    "bullet": "•", "oplus": "⊕", "otimes": "⊗", "odot": "⊙", "cup": "∪", "cap": "∩", "setminus": "∖",
    "wedge": "∧", "land": "∧", "vee": "∨", "lor": "∨", "neg": "¬", "lnot": "¬",
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "sim": "∼",
    "simeq": "≃", "cong": "≅", "equiv": "≡", "propto": "∝", "ll": "≪", "gg": "≫", "prec": "≺", "succ": "≻",
    "in": "∈", "notin": "∉", "ni": "∋", "subset": "⊂", "subseteq": "⊆", "supset": "⊃", "supseteq": "⊇",
    "forall": "∀", "exists": "∃", "nexists": "∄", "emptyset": "∅", "varnothing": "∅", "mid": "∣",
    "parallel": "∥", "perp": "⊥", "top": "⊤", "bot": "⊥", "vdash": "⊢", "models": "⊨",
    # Arrows.
    "rightarrow": "→", "to": "→", "leftarrow": "←", "gets": "←", "leftrightarrow": "↔", "Rightarrow": "⇒",
    "Leftarrow": "⇐", "Leftrightarrow": "⇔", "implies": "⇒", "iff": "⇔", "mapsto": "↦", "uparrow": "↑",
    "downarrow": "↓", "longrightarrow": "⟶", "longleftarrow": "⟵", "longmapsto": "⟼",
    # Dots, brackets and the rest.
    "ldots": "…", "dots": "…", "cdots": "⋯", "vdots": "⋮", "ddots": "⋱", "langle": "⟨", "rangle": "⟩",
    "lceil": "⌈", "rceil": "⌉", "lfloor": "⌊", "rfloor": "⌋", "lvert": "|", "rvert": "|", "vert": "|",
    "lVert": "‖", "rVert": "‖", "Vert": "‖", "|": "‖", "{": "{", "}": "}", "%": "%", "$": "$", "&": "&",
    "#": "#", "_": "_", "prime": "′", "ell": "ℓ", "hbar": "ℏ", "Re": "ℜ", "Im": "ℑ", "aleph": "ℵ",
    "angle": "∠", "triangle": "△", "square": "□", "checkmark": "✓", "dagger": "†", "deg": "°",
    # Spacing: a space where TeX adds one, nothing where it takes one away.
    ",": " ", ";": " ", ":": " ", " ": " ", "quad": " ", "qquad": "  ", "!": "", "\\": "\n",
    # Markers that change only TeX's layout.
    "limits": "", "nolimits": "", "displaystyle": "", "textstyle": "", "scriptstyle": "", "left": "",
    "right": "", "big": "", "Big": "", "bigg": "", "Bigg": "", "bigl": "", "bigr": "", "Bigl": "", "Bigr": "",
    "middle": "", "nonumber": "", "notag": "",
}  # fmt: skip

_FUNCTION_NAMES = frozenset(
    [
        "sin",
        "cos",
        "tan",
        "cot",
        "sec",
        "csc",
        "arcsin",
        "arccos",
        "arctan",
        "sinh",
        "cosh",
        "tanh",
        "log",
        "ln",
        "lg",
        "exp",
        "max",
        "min",
        "sup",
        "inf",
        "arg",
        "argmax",
        "argmin",
        "lim",
        "liminf",
        "limsup",
        "det",
        "dim",
        "ker",
        "deg",
        "gcd",
        "Pr",
        "tr",
        "rank",
        "sgn",
        "softmax",
    ]
)
_TEXT_COMMANDS = frozenset({"text", "textrm", "textit", "textbf", "texttt", "mbox", "textsf"})
_STYLE_COMMANDS = frozenset(
    {"mathrm", "mathit", "mathbf", "mathsf", "mathtt", "boldsymbol", "bm", "operatorname"}
)
_ACCENTS = {
    "hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0305", "tilde": "\u0303",
    "widetilde": "\u0303", "vec": "\u20d7", "dot": "\u0307", "ddot": "\u0308", "check": "\u030c",
}  # fmt: skip
_DOUBLE_STRUCK = {"N": "ℕ", "Z": "ℤ", "Q": "ℚ", "R": "ℝ", "C": "ℂ", "P": "ℙ", "H": "ℍ", "E": "𝔼", "1": "𝟙"}
_CALLIGRAPHIC = {
    "L": "ℒ", "N": "𝒩", "O": "𝒪", "D": "𝒟", "X": "𝒳", "Y": "𝒴", "H": "ℋ", "F": "ℱ", "B": "ℬ", "E": "ℰ",
    "M": "ℳ", "P": "𝒫", "R": "ℛ", "A": "𝒜", "C": "𝒞", "G": "𝒢", "S": "𝒮", "T": "𝒯", "U": "𝒰", "W": "𝒲",
}  # fmt: skip
_ENVIRONMENTS = frozenset(
    {"aligned", "align", "align*", "gather", "gather*", "gathered", "equation", "equation*", "split", "cases"}
)
_SUPERSCRIPTS = dict(
    zip(
        "0123456789+-−=()niaobcdefghjklmprstuvwxyzABDEGHIJKLMNOPRTUVWβγδθφχ⊤′",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱᵃᵒᵇᶜᵈᵉᶠᵍʰʲᵏˡᵐᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵝᵞᵟᶿᵠᵡᵀ′",
        strict=True,
    )
)
_SUBSCRIPTS = dict(
    zip("0123456789+-−=()aehijklmnoprstuvxβγρφχ", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ", strict=True)
)
_PREFIX_OPERATORS = frozenset({"partial", "nabla", "neg", "lnot"})
_ROOTS = {"2": "√", "3": "∛", "4": "∜"}
_TOKEN_RE = re.compile(r"\\[A-Za-z]+\*?|\\.|\s+|.", re.DOTALL)
_MAX_DEPTH = 50
_OPERATOR_CHARS = frozenset("+-−=<>·×÷±∓/,;: ≤≥≠≈∈→←")


class _Unconvertible(Exception):
    """Something in the formula this reader doesn't know: the caller keeps the source."""


def latex_to_unicode(tex: str) -> str | None:
    """`tex` (the inside of `$…$`) as readable Unicode, or None when some part of it can't be converted."""
    try:
        reader = _Reader(_TOKEN_RE.findall(tex))
        text = reader.sequence(depth=0)
        if reader.position != len(reader.tokens):
            raise _Unconvertible("unbalanced }")
    except (_Unconvertible, RecursionError):
        return None
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


class _Reader:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.position = 0

    def _peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _next(self) -> str:
        token = self._peek()
        if token is None:
            raise _Unconvertible("ends too early")
        self.position += 1
        return token

    def _skip_space(self) -> None:
        while (token := self._peek()) is not None and token.isspace():
            self.position += 1

    def sequence(self, depth: int, *, until: str | None = None) -> str:
        """Atoms up to `until` (consumed) or the end of the input."""
        if depth > _MAX_DEPTH:
            raise _Unconvertible("nested too deeply")
        parts: list[str] = []
        while (token := self._peek()) is not None:
            if token == until:
                self.position += 1
                return "".join(parts)
            if token == "}" or (token == "\\end" and until != "\\end"):
                if until is None:
                    raise _Unconvertible("unbalanced }")
                return "".join(parts)
            if token in {"^", "_"}:
                self.position += 1
                parts.append(self._script(token, depth))
                continue
            parts.append(self._atom(depth))
        if until is not None and until != "\\end":
            raise _Unconvertible(f"missing {until}")
        return "".join(parts)

    def _argument(self, depth: int) -> str:
        """A command's argument: a `{group}` or a single token."""
        self._skip_space()
        token = self._peek()
        if token is None or token == "}":
            raise _Unconvertible("missing argument")
        if token == "{":
            self.position += 1
            return self.sequence(depth + 1, until="}")
        return self._atom(depth + 1)

    def _raw_argument(self) -> str:
        """A `{group}` taken as text, for `\\text{…}`."""
        self._skip_space()
        if self._next() != "{":
            raise _Unconvertible("\\text needs braces")
        level, parts = 1, list[str]()
        while True:
            token = self._next()
            if token == "{":
                level += 1
            elif token == "}":
                level -= 1
                if level == 0:
                    return "".join(parts)
            parts.append(token[1:] if token.startswith("\\") and len(token) == 2 else token)

    def _script(self, marker: str, depth: int) -> str:
        inner = self._argument(depth).strip()
        table = _SUPERSCRIPTS if marker == "^" else _SUBSCRIPTS
        if inner and all(char in table for char in inner):
            return "".join(table[char] for char in inner)
        if marker == "^" and inner == "′":
            return "′"
        return f"{marker}{inner}" if len(inner) == 1 else f"{marker}({inner})"

    def _atom(self, depth: int) -> str:
        token = self._next()
        if token == "{":
            return self.sequence(depth + 1, until="}")
        if token == "'":
            return "′"
        if token == "~":
            return " "
        if token == "&":
            return ""  # an alignment point
        if not token.startswith("\\"):
            return token
        name = token[1:]
        if name in _SYMBOLS:
            if name in _PREFIX_OPERATORS:
                self._skip_space()  # `\partial x` reads as ∂x; other commands keep the space the writer typed
            return _SYMBOLS[name]
        if name in _FUNCTION_NAMES:
            return name
        return self._command(name, depth)

    def _command(self, name: str, depth: int) -> str:
        if name in _TEXT_COMMANDS:
            return self._raw_argument()
        if name in _STYLE_COMMANDS:
            return self._argument(depth)
        if name == "frac" or name in {"dfrac", "tfrac"}:
            numerator = self._argument(depth).strip()
            denominator = self._argument(depth).strip()
            return f"{_operand(numerator)}/{_operand(denominator)}"
        if name == "sqrt":
            index = "2"
            self._skip_space()
            if self._peek() == "[":
                self.position += 1
                index = self.sequence(depth + 1, until="]").strip()
            radicand = _operand(self._argument(depth).strip())
            if index in _ROOTS:
                return _ROOTS[index] + radicand
            if all(char in _SUPERSCRIPTS for char in index):
                return "".join(_SUPERSCRIPTS[char] for char in index) + "√" + radicand
            raise _Unconvertible("root index")
        if name in _ACCENTS:
            base = self._argument(depth).strip()
            if len(base) != 1:
                raise _Unconvertible("an accent over more than one character")
            # Precomposed where Unicode has it (ŷ): terminals draw those better than a combining mark.
            return unicodedata.normalize("NFC", base + _ACCENTS[name])
        if name in {"mathbb", "mathcal"}:
            letter = self._argument(depth).strip()
            table = _DOUBLE_STRUCK if name == "mathbb" else _CALLIGRAPHIC
            if letter not in table:
                raise _Unconvertible(f"\\{name}{{{letter}}}")
            return table[letter]
        if name == "begin":
            environment = self._raw_argument()
            if environment not in _ENVIRONMENTS:
                raise _Unconvertible(f"environment {environment}")
            body = self.sequence(depth + 1, until="\\end")
            if self._raw_argument() != environment:
                raise _Unconvertible("mismatched \\end")
            return "\n" + body + "\n"
        raise _Unconvertible(f"\\{name}")


def _operand(text: str) -> str:
    """`text` as one side of `/` or under `√`: parenthesised unless it reads as one unit."""
    if len(text) <= 1 or not any(char in _OPERATOR_CHARS for char in text):
        return text
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        return text
    return f"({text})"
