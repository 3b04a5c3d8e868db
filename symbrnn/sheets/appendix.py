"""The cells' step functions rendered by latexify-py, beside their Python code.

latexify prints ``@`` and ``*`` alike; here the Hadamard product ``*`` is
printed ⊙ and binds more loosely than the matrix product ``@`` (so that
``W_h @ (r * h_prev)`` keeps its parentheses), and the matrix product is a
thin space. The rules are swapped in for the call only.

>>> from symbrnn.engine.cells import gru
>>> r"\\odot" in step_latex(gru(reset_after=False))
True
"""

from __future__ import annotations

import ast
import contextlib
import inspect
import textwrap


@contextlib.contextmanager
def _hadamard_rules():
    from latexify.codegen import expression_codegen, expression_rules

    rules, precedences = expression_rules.BIN_OP_RULES, expression_rules._PRECEDENCES
    saved = (rules[ast.Mult], rules[ast.MatMult], precedences[ast.Mult])
    original_visit = expression_codegen.ExpressionCodegen.visit_BinOp

    def visit_binop(self, node):
        if not isinstance(node.op, ast.Mult):
            return original_visit(self, node)
        prec = expression_rules.get_precedence(node)
        rule = self._bin_op_rules[ast.Mult]
        lhs = self._wrap_binop_operand(node.left, prec, rule.operand_left)
        rhs = self._wrap_binop_operand(node.right, prec, rule.operand_right)
        return f"{lhs}{rule.latex_middle}{rhs}"  # never drop the ⊙

    rules[ast.Mult] = expression_rules.BinOpRule("", r" \odot ", "")
    rules[ast.MatMult] = expression_rules.BinOpRule("", r" \, ", "")
    precedences[ast.Mult] = precedences[ast.Add] + 5
    expression_codegen.ExpressionCodegen.visit_BinOp = visit_binop
    try:
        yield
    finally:
        rules[ast.Mult], rules[ast.MatMult], precedences[ast.Mult] = saved
        expression_codegen.ExpressionCodegen.visit_BinOp = original_visit


IDENTIFIERS = {"sigmoid": "sigma", "act": "phi"}


def step_latex(cell) -> str:
    """The step function as latexify renders it: an ``aligned`` block, one line per assignment.

    latexify's algorithmic output needs algpseudocode; its lines are kept and
    set as plain amsmath rows so that the sheet compiles with base TeX Live.
    """
    import latexify

    with _hadamard_rules():
        out = str(latexify.algorithmic(cell.step, use_math_symbols=True, identifiers=IDENTIFIERS))
    rows = []
    for line in out.splitlines():
        line = line.strip()
        if line.startswith(r"\State \Return"):
            rows.append(r"&\text{return } " + line[len(r"\State \Return") :].strip().strip("$"))
        elif line.startswith(r"\State"):
            lhs, _, rhs = line[len(r"\State") :].strip().strip("$").partition(r"\gets")
            rows.append(f"{lhs.strip()} &\\gets {rhs.strip()}")
    return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"


def step_source(cell) -> str:
    """The Python source of the step function."""
    return textwrap.dedent(inspect.getsource(cell.step))
