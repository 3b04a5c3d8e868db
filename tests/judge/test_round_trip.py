"""Every LaTeX string the engine prints for a quantity reads back as itself (issue: round trip)."""

import pytest

from symbrnn.engine.cells import make_cell
from symbrnn.engine.derive import Derivation
from symbrnn.engine.expand import expand_gradient, expand_jacobian
from symbrnn.judge.check import check_answer
from symbrnn.judge.notation import AnswerParseError
from symbrnn.printing.latex import latex

RNNS = [
    ("rnn", {}),
    ("rnn", {"activation": "tanh"}),
    ("rnn", {"activation": "phi"}),
    ("rnn", {"bias": False}),
]
GATED = [("lstm", {}), ("gru", {}), ("gru", {"reset_after": True})]


def _same(cell, quantity, tex, **kw):
    verdict = check_answer(cell, quantity, tex, layout="numerator", **kw)
    return verdict.equivalent, verdict.as_json()


@pytest.mark.parametrize(("name", "options"), RNNS)
@pytest.mark.parametrize("T", [1, 2, 3, 6])
def test_rnn_jacobians_read_back_in_every_form(name, options, T):
    cell = make_cell(name, **options)
    for term in expand_jacobian(cell, "h", T).terms:
        for form in ("structured", "explicit", "collapsed"):
            ok, info = _same(cell, f"dh_{term.t}/dh_{term.k}", latex(getattr(term, form)))
            assert ok, (form, info)


@pytest.mark.parametrize(("name", "options"), GATED)
def test_gated_jacobians_read_back(name, options):
    cell = make_cell(name, **options)
    for state in cell.states:
        for paths in ("all", "direct") if len(cell.states) > 1 else ("all",):
            for term in expand_jacobian(cell, state, 3, paths=paths).terms:
                for form in ("structured", "explicit"):
                    tex = latex(getattr(term, form))
                    ok, info = _same(cell, f"d{state}_{term.t}/d{state}_{term.k}", tex, paths=paths)
                    assert ok, (state, paths, form, info)


@pytest.mark.parametrize(("name", "options"), GATED)
def test_a_gated_power_is_refused_as_ambiguous_not_misjudged(name, options):
    """[B]^n of a gated cell drops steps that differ (c_j and c_{j−1}): it cannot be read back."""
    cell = make_cell(name, **options)
    term = expand_jacobian(cell, cell.states[0], 3).terms[3]
    with pytest.raises(AnswerParseError, match=r"without a step could be"):
        check_answer(cell, f"dh_{term.t}/dh_{term.k}", latex(term.collapsed))


@pytest.mark.parametrize(("name", "options"), RNNS[:2] + GATED)
@pytest.mark.parametrize("T", [1, 3])
def test_gradients_read_back_term_by_term_and_in_general_form(name, options, T):
    cell = make_cell(name, **options)
    forms = ("explicit", "structured") + (("collapsed",) if name == "rnn" else ())
    for param in list(Derivation(cell).params)[:2]:
        e = expand_gradient(cell, param, T)
        for form in forms:
            tex = " + ".join(latex(getattr(t, form)) for t in e.terms)
            ok, info = _same(cell, f"dL/d{param}", tex, T=T)
            assert ok, (form, info)
        ok, info = _same(cell, f"dL/d{param}", latex(e.general), T=T)
        assert ok, ("general", info)


def test_the_lstm_cell_state_path_reads_back():
    cell = make_cell("lstm")
    e = expand_jacobian(cell, "c", 3, paths="direct")
    for term in e.terms:
        ok, info = _same(cell, f"dc_{term.t}/dc_{term.k}", latex(term.explicit), paths="direct")
        assert ok, info


@pytest.mark.parametrize(("power", "accepted"), [(2, True), (3, False)])
def test_a_hadamard_power_reads_back_as_the_printer_writes_it(power, accepted):
    """SymPy's printer writes h ⊙ h as ``h^{\\circ {2}}``: tanh′ as 1 − h², read back."""
    from sympy.matrices.expressions.hadamard import HadamardPower

    from symbrnn.engine.matexpr import Diag, Ones, TimeVec

    cell = make_cell("rnn", activation="tanh")
    h3 = TimeVec("h", 3, 3, 1)  # tanh′(a_3) = 1 − h_3 ⊙ h_3
    tex = latex(Diag(Ones(3) - HadamardPower(h3, power))) + " W"
    assert r"\circ" in tex
    assert _same(cell, "dh_3/dh_2", tex)[0] is accepted, tex
