"""ARCHITECTURE.md's two recipes, followed as written in a scratch copy of the package.

A new activation is one row of ``engine/activations.py`` (a piecewise hard sigmoid, with its
breakpoints ±3); a new built-in cell is one row of ``engine/cells.py`` (a minimal gated
unit, "mgu", with no framework names). Nothing else changes: ``expand``, ``check`` (a right
answer accepted, a wrong one refused, the test points on both sides of the breakpoints),
``params``, ``draw``, ``verify`` and a sheet show them, and a few test files of the suite pass
unchanged against the copy.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

ACTIVATION_ROW = """
        Activation(
            "hardsigmoid",
            r"\\operatorname{hardsigmoid}",
            "hardsigmoid",
            Fraction(1, 6),
            form=lambda z: sympy.Piecewise(
                (0, z <= -3), (z / 6 + sympy.Rational(1, 2), z < 3), (1, True)
            ),
            spellings=("hardsigmoid",),
            breakpoints=(Fraction(-3), Fraction(3)),
        ),"""

CELL_STEP = '''
def mgu(bias=True) -> Cell:
    """The minimal gated unit: one forget gate f, which also admits the candidate."""

    def mgu(h_prev, x, W_f, U_f, b_f, W_h, U_h, b_h):
        f = sigmoid(W_f @ h_prev + U_f @ x + b_f)
        h_tilde = tanh(W_h @ (f * h_prev) + U_h @ x + b_h)
        h = (1 - f) * h_prev + f * h_tilde
        return h

    return Cell("mgu", mgu, states=("h",), bias=bias, description="MGU")

'''
CELL_ROW = '\n        BuiltinCell("mgu", mgu, ("bias",)),'


def _add_row(path: Path, table: str, row: str, before: str = "", step: str = "") -> None:
    """One edit of one file: ``row`` appended to the rows of ``table`` (and ``step``, the
    row's function, written just above the line ``before``)."""
    source = path.read_text(encoding="utf-8")
    start = source.index(table)
    end = source.index("\n    )\n}\n", start)  # the end of the table's tuple of rows
    source = source[:end] + row + source[end:]
    if step:
        source = source.replace(before, step + before, 1)
    path.write_text(source, encoding="utf-8")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    """The package copied (its sheets as package data), the two rows added, one file each."""
    root = tmp_path_factory.mktemp("scratch")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "symbrnn", root / "symbrnn", ignore=ignore)
    shutil.copytree(ROOT / "tests", root / "tests", ignore=ignore)
    shutil.copytree(ROOT / "benchmarks", root / "benchmarks", ignore=ignore)
    for name in ("pyproject.toml", "ARCHITECTURE.md"):
        shutil.copy(ROOT / name, root / name)
    before = {p: p.read_bytes() for p in (root / "symbrnn").rglob("*.py")}
    engine = root / "symbrnn" / "engine"
    _add_row(engine / "activations.py", "ACTIVATIONS: dict[str, Activation] = {", ACTIVATION_ROW)
    _add_row(
        engine / "cells.py",
        "CELLS: dict[str, BuiltinCell] = {",
        CELL_ROW,
        before="@dataclasses.dataclass(frozen=True)\nclass BuiltinCell",
        step=CELL_STEP,
    )
    after = {p: p.read_bytes() for p in (root / "symbrnn").rglob("*.py")}
    changed = [p.relative_to(root).as_posix() for p in after if after[p] != before.get(p)]
    assert sorted(changed) == ["symbrnn/engine/activations.py", "symbrnn/engine/cells.py"]
    sheets = root / "symbrnn" / "derivations"  # the sheets, as the wheel installs them
    shutil.copytree(ROOT / "derivations", sheets, ignore=ignore, dirs_exist_ok=True)
    return root


def _env(root: Path) -> dict:
    return {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}


# Every command of the recipes in one interpreter of the scratch copy: its exit code, its
# standard output and the name of the module symbrnn was loaded from.
DRIVER = textwrap.dedent(
    """
    import contextlib, io, json, sys
    import symbrnn
    from symbrnn.cli import main

    out = {"module": symbrnn.__file__}
    for name, args in json.loads(sys.argv[1]).items():
        buffer, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(err):
            try:
                main(args)
                code = 0
            except SystemExit as stop:
                code = stop.code
        out[name] = [code, buffer.getvalue(), err.getvalue()]
    print(json.dumps(out))
    """
)

RIGHT = r"\operatorname{Diag}(\operatorname{hardsigmoid}'(a_3)) W"
# the MGU's one-step Jacobian, by hand: h = (1 − f) ⊙ h_prev + f ⊙ h̃, h̃ reading f ⊙ h_prev
MGU_RIGHT = (
    r"\operatorname{Diag}(\mathbf{1} - f_2)"
    r" + \operatorname{Diag}(\tilde{h}_2 - h_1) \operatorname{Diag}(\sigma'(a_{f,2})) W_f"
    r" + \operatorname{Diag}(f_2) \operatorname{Diag}(\tanh'(a_{h,2})) W_h"
    r" \left[\operatorname{Diag}(h_1) \operatorname{Diag}(\sigma'(a_{f,2})) W_f"
    r" + \operatorname{Diag}(f_2)\right]"
)
# the slope of the linear piece: right wherever no point leaves it
WRONG = r"\frac{1}{6} W"

SHEET = r"""
[sheet]
id = "recipe"
default_lang = "en"
results = ["cells", "params", "drawings"]
appendix = ["mgu"]

[sheet.title]
fr = "Une cellule ajoutée"
en = "A cell added"

[sheet.subtitle]
fr = "La recette"
en = "The recipe"

[sizes]
activation = "hardsigmoid"
timesteps = 5
features = 3
units = [4, 4]
classes = 2
T = 3

[labels.fr]
question = "Question"
answer = "Réponse"
verified = "Vérification"
appendix = "Annexe"
toc_note = "Formules dérivées par symbrnn."

[labels.en]
question = "Question"
answer = "Answer"
verified = "Check"
appendix = "Appendix"
toc_note = "Formulas derived by symbrnn."

[[sections]]
number = "1"
title.fr = "MGU"
title.en = "MGU"

[[sections.questions]]
id = "1.1"
text.fr = '''Compter \[ ((( r.cells.mgu | join(',\\quad ') ))) \] et \[ ((( r.cells.rnn | join(',\\quad ') ))). \]'''
text.en = '''Count \[ ((( r.cells.mgu | join(',\\quad ') ))) \] and \[ ((( r.cells.rnn | join(',\\quad ') ))). \]'''
answer.fr = '''Total MGU : ((( r.params.mgu.total ))). ((( r.drawings.mgu )))'''
answer.en = '''MGU total: ((( r.params.mgu.total ))). ((( r.drawings.mgu )))'''
"""


@pytest.fixture(scope="module")
def ran(scratch, tmp_path_factory):
    work = tmp_path_factory.mktemp("work")
    (work / "recipe.toml").write_text(SHEET, encoding="utf-8")
    act = ["--activation", "hardsigmoid"]
    commands = {
        "expand": ["expand", *act, "--T", "2"],
        "expand_mgu": ["expand", "--cell", "mgu", "--quantity", "dh/dh", "--T", "2"],
        "right": ["check", *act, "-q", "dh_3/dh_2", "-a", RIGHT, "--format", "json"],
        "wrong": ["check", *act, "-q", "dh_3/dh_2", "-a", WRONG, "--format", "json"],
        "saturated": ["check", *act, "-q", "dh_3/dh_2", "-a", "0", "--format", "json"],
        "mgu_right": ["check", "--cell", "mgu", "-q", "dh_2/dh_1", "-a", MGU_RIGHT],
        "mgu_wrong": [
            "check",
            "--cell",
            "mgu",
            "-q",
            "dh_2/dh_1",
            "-a",
            r"\operatorname{Diag}(\mathbf{1} - f_2)",
            "--format",
            "json",
        ],
        "params": ["params", "--cell", "mgu", "--units", "4", "--features", "3"],
        "params_json": [
            "params",
            "--cell",
            "mgu",
            "--units",
            "4",
            "--features",
            "3",
            "--format",
            "json",
        ],
        "draw": ["draw", "cell", "--cell", "mgu"],
        "draw_act": ["draw", "cell", *act],
        "verify": ["verify", *act, "--T", "2", "--method", "random"],
        "verify_exact": ["verify", *act, "--T", "2", "--method", "exact"],
        "verify_mgu": ["verify", "--cell", "mgu", "--T", "2", "--method", "random"],
        "sheet": ["sheet", str(work / "recipe.toml"), "-o", str(work / "recipe.tex")],
    }
    proc = subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps(commands)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=work,
        env=_env(scratch),
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout)
    tex = work / "recipe.tex"
    out["tex"] = tex.read_text(encoding="utf-8") if tex.exists() else ""
    assert Path(out["module"]).resolve().is_relative_to(scratch.resolve())
    return out


def _ok(ran, name):
    code, out, err = ran[name]
    assert code in (0, None), f"{name}: exit {code}: {err[-2000:]}"
    return out


def test_expand_shows_the_activation_and_the_cell(ran):
    assert "h_t = hardsigmoid(a_t)" in _ok(ran, "expand")
    mgu = _ok(ran, "expand_mgu")
    assert "h̃" in mgu and "W_f" in mgu and "W_h" in mgu


def test_check_accepts_the_right_answer_and_refuses_the_linear_piece(ran):
    assert json.loads(_ok(ran, "right"))["equivalent"]
    for name in ("wrong", "saturated"):  # right inside the linear piece; right when saturated
        code, out, _ = ran[name]
        assert code == 1 and not json.loads(out)["equivalent"], name
    assert "✓" in _ok(ran, "mgu_right")
    code, out, _ = ran["mgu_wrong"]  # the direct path alone
    assert code == 1 and "W_f" in json.loads(out)["expected"]


def test_params_counts_the_cell_as_declared(ran):
    layer = json.loads(_ok(ran, "params_json"))["layers"][1]
    n, d = 4, 3
    assert layer["params"] == 2 * (n * d + n * n + n)  # two gates: f and the candidate
    assert "mgu" in _ok(ran, "params")


def test_draw_and_verify(ran):
    assert r"\begin{tikzpicture}" in _ok(ran, "draw")
    assert r"{$\operatorname{hardsigmoid}$}" in _ok(ran, "draw_act")  # h = φ(a): φ on the edge
    for name in ("verify", "verify_exact", "verify_mgu"):
        out = _ok(ran, name)
        assert ", 0 failed" in out and " 0 passed" not in out, out


def test_a_sheet_shows_the_cell_through_the_registry(ran):
    _ok(ran, "sheet")
    tex = ran["tex"]
    assert r"\tilde{h}" in tex and "W_{f}" in tex  # the MGU's equations
    assert r"\operatorname{hardsigmoid}" in tex  # the sheet's simple RNN, in its activation
    assert "MGU total: 146" in tex  # 2·(4·3 + 4² + 4) + 2·(4·4 + 4² + 4) + (4·2 + 2)
    assert tex.count(r"\begin{tikzpicture}") == 1
    assert "def mgu(h_prev, x, W_f, U_f, b_f, W_h, U_h, b_h):" in tex  # its step, in appendix


def test_the_test_points_lie_on_both_sides_of_each_breakpoint(scratch):
    code = textwrap.dedent(
        """
        import numpy as np
        from symbrnn.engine.cells import make_cell
        from symbrnn.engine.derive import Derivation
        from symbrnn.judge.points import Points

        D = Derivation.of(make_cell("rnn", activation="hardsigmoid"))
        a = np.concatenate([np.ravel(p.env["a", t]) for p in Points(D, 3).points
                            for t in (1, 2, 3)])
        print(int((a < -3).sum()), int(((a > -3) & (a < 3)).sum()), int((a > 3).sum()))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=scratch, env=_env(scratch)
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert all(int(k) > 0 for k in proc.stdout.split()), proc.stdout


def test_the_suite_s_tests_pass_unchanged_against_the_copy(scratch):
    chosen = [
        "tests/engine/test_cell_registry.py",
        "tests/engine/test_activation_row.py",
        "tests/test_house.py",
    ]
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *chosen],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=scratch,
        env=_env(scratch),
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert " passed" in proc.stdout and "skipped" not in proc.stdout
