"""The cells' step functions rendered by latexify-py, beside their Python code.

latexify prints ``@`` and ``*`` alike; here the Hadamard product ``*`` is
printed ⊙ and binds more loosely than the matrix product ``@`` (so that
``W_h @ (r * h_prev)`` keeps its parentheses), and the matrix product is a
thin space. latexify has no public hook for operator rules, so the rules of its
0.4 series (the range ``pyproject.toml`` declares and the suite runs) are swapped
in for the call only, under one lock: concurrent calls (``serve``'s threads) render
one at a time and always leave latexify as they found it.

>>> from symbrnn.engine.cells import gru
>>> r"\\odot" in step_latex(gru(reset_after=False))
True
"""

from __future__ import annotations

import ast
import contextlib
import inspect
import re
import textwrap
import threading

from symbrnn.printing.latex import RNNLatexPrinter, latex

_LATEXIFY = threading.Lock()


@contextlib.contextmanager
def _hadamard_rules():
    """latexify's rules for ``*`` and ``@`` swapped for ours, under the lock, for one call."""
    from latexify.codegen import expression_codegen, expression_rules

    rules, precedences = expression_rules.BIN_OP_RULES, expression_rules._PRECEDENCES
    codegen = expression_codegen.ExpressionCodegen

    def visit_binop(self, node):
        if not isinstance(node.op, ast.Mult):
            return original_visit(self, node)
        prec = expression_rules.get_precedence(node)
        rule = self._bin_op_rules[ast.Mult]
        lhs = self._wrap_binop_operand(node.left, prec, rule.operand_left)
        rhs = self._wrap_binop_operand(node.right, prec, rule.operand_right)
        return f"{lhs}{rule.latex_middle}{rhs}"  # never drop the ⊙

    with _LATEXIFY:
        saved = (rules[ast.Mult], rules[ast.MatMult], precedences[ast.Mult])
        original_visit = codegen.visit_BinOp
        rules[ast.Mult] = expression_rules.BinOpRule("", r" \odot ", "")
        rules[ast.MatMult] = expression_rules.BinOpRule("", r" \, ", "")
        precedences[ast.Mult] = precedences[ast.Add] + 5
        codegen.visit_BinOp = visit_binop
        try:
            yield
        finally:
            rules[ast.Mult], rules[ast.MatMult], precedences[ast.Mult] = saved
            codegen.visit_BinOp = original_visit


IDENTIFIERS = {"sigmoid": "sigma"}


def course_names(cell) -> dict[str, str]:
    """Each name of the step function → how the course writes it, by the engine's printer.

    The step's first arguments are the states at t − 1 (``h_prev`` → h_{t-1}), then the
    input (x_t), then the parameters (``W_f`` → W_f); every quantity it names is that
    quantity at step t (``c_tilde`` → c̃_t); ``act`` is the cell's activation.
    """
    from sympy import MatrixSymbol, Symbol

    from symbrnn.engine.matexpr import TimeVec

    t, n = Symbol("t"), Symbol("n")
    args = list(inspect.signature(cell.step).parameters)
    states = len(cell.states)
    names = {arg: latex(TimeVec(s, t - 1, n)) for arg, s in zip(args, cell.states, strict=False)}
    names[args[states]] = latex(TimeVec("x", t, n))
    names |= {p: latex(MatrixSymbol(p, 1, 1)) for p in args[states + 1 :]}
    named = [node.name for node in cell.trace.named_nodes] + list(cell.states)
    names |= {name: latex(TimeVec(name, t, n)) for name in named}
    activations = {node.fn.latex for node in cell.trace.nodes if node.fn is not None}
    if len(activations) == 1:
        names["act"] = activations.pop()
    return names


def _rename(text: str, cell) -> str:
    """latexify's rendering of each name replaced by the course's, in one pass."""
    from latexify.codegen.identifier_converter import IdentifierConverter

    convert = IdentifierConverter(use_math_symbols=True).convert
    ours = {convert(name)[0]: latex for name, latex in course_names(cell).items()}
    pattern = "|".join(re.escape(k) for k in sorted(ours, key=len, reverse=True))
    return re.sub(rf"(?<![\\A-Za-z])(?:{pattern})(?![A-Za-z])", lambda m: ours[m[0]], text)


def step_latex(cell, return_word: str = "return") -> str:
    """The step function as latexify renders it: an ``aligned`` block, one line per assignment,
    with the course's names (h_{t-1}, W_f, c̃_t) put in for the Python ones.

    latexify's algorithmic output needs algpseudocode; its lines are kept and
    set as plain amsmath rows so that the sheet compiles with base TeX Live.
    """
    import latexify

    with _hadamard_rules():
        out = str(latexify.algorithmic(cell.step, use_math_symbols=True, identifiers=IDENTIFIERS))
    out = _rename(_called(out, cell), cell).replace(
        r"\left( 1 - ", rf"\left( {RNNLatexPrinter.ONES} - "
    )  # the vector of ones, as the course writes it (GRU: 𝟏 − z_t)
    rows = []
    for line in out.splitlines():
        line = line.strip()
        if line.startswith(r"\State \Return"):
            rest = line[len(r"\State \Return") :].strip().strip("$")
            rows.append(rf"&\text{{{return_word} }} {rest}")
        elif line.startswith(r"\State"):
            lhs, _, rhs = line[len(r"\State") :].strip().strip("$").partition(r"\gets")
            rows.append(f"{lhs.strip()} &\\gets {rhs.strip()}")
    return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"


def _called(text: str, cell) -> str:
    """latexify writes an activation of a single name without parentheses (``\\tanh c``);
    the course writes them (tanh(c_t)), for every activation the cell applies."""
    glyphs = {node.fn.latex for node in cell.trace.nodes if node.fn is not None}
    if not glyphs:
        return text
    fn = "|".join(re.escape(g) for g in sorted(glyphs, key=len, reverse=True))
    name = r"[A-Za-z]|\\mathrm\{[^{}]*\}"
    return re.sub(
        rf"({fn}) ({name})(?=\s|\$|,)",
        r"\1 \\mathopen{}\\left( \2 \\mathclose{}\\right)",
        text,
    )


def step_source(cell) -> str:
    """The Python source of the step function as a student reads it: no type-checker
    comments, and an activation the step receives from outside (``act``) called by its
    name (``sigmoid``), since that is the function it is."""
    source = textwrap.dedent(inspect.getsource(cell.step))
    source = re.sub(r"[ \t]+# type: ignore\S*", "", source)
    outside = inspect.getclosurevars(cell.step).nonlocals
    for local, value in outside.items():
        if callable(value) and isinstance(getattr(value, "name", None), str):
            source = re.sub(rf"\b{re.escape(local)}\(", f"{value.name}(", source)
    return source
