"""Scripts a student runs beside the key: a NumPy replay of III.2's example (forward pass,
loss, BPTT) and the commands that redraw III.4's figure.

The numbers are the variant's data and the activation's NumPy code is printed from the
engine's SymPy form of φ and its derived φ' (never typed in); only the code around them
is a fixed template.

>>> from symbrnn.sheets.spec import load_sheet
>>> out = scripts(load_sheet("td5").data["sizes"])
>>> "for t in reversed(range(len(x))):" in out["numpy"]
True
>>> print(out["spectral"].split("\\n\\n")[1].splitlines()[0])
symbrnn spectral --activation tanh --T 40 --inputs none --plot tanh.pdf \\
"""

from __future__ import annotations

from symbrnn.sheets.producers import figure_activations, producer


def _numbers(value) -> str:
    """A number, a vector or a matrix as Python writes it (each float exactly, by repr)."""
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_numbers(v) for v in value) + "]"
    return repr(float(value))


def activation_code(name: str) -> tuple[str, str]:
    """φ(a) and φ'(a) as NumPy code: φ from the engine's SymPy form (σ written with exp),
    φ' as SymPy derives it, with φ(a) called ``phi(a)`` where it appears (σ(1 − σ))."""
    import sympy as sp
    from sympy.printing.numpy import NumPyPrinter
    from sympy.printing.precedence import precedence

    from symbrnn.engine.activations import activation

    act, a = activation(name), sp.Symbol("a", real=True)
    form = act.sympy_form(a)
    phi = sp.Function("phi")(a)
    derivative = act.derivative(a).subs(form, phi)

    class Printer(NumPyPrinter):
        def _print_Pow(self, expr, rational=False):  # 1/(1 + e^{-a}), not (…)**(-1.0)
            if expr.exp == -1:
                return f"1 / {self.parenthesize(expr.base, precedence(expr))}"
            return super()._print_Pow(expr, rational)

    def code(expr) -> str:
        return Printer({"allow_unknown_functions": True}).doprint(expr)

    readable = form.rewrite(sp.exp) if form.func.__module__.startswith("symbrnn") else form
    return code(readable), code(derivative)


def numpy_script(example: dict) -> str:
    """The script: the example's numbers, φ and φ', the forward pass, L and ∇_W L by
    backpropagation through time; it prints L and ∇_W L at full precision."""
    phi, dphi = activation_code(example["activation"])
    return "\n".join(
        [
            "import numpy",
            f"W = numpy.array({_numbers(example['W'])})",
            f"U = numpy.array({_numbers(example['U'])})",
            f"x = numpy.array({_numbers(example['x'])})  # row t-1: x_t",
            f"y = numpy.array({_numbers(example['y'])})  # row t-1: y_t",
            f"phi, dphi = lambda a: {phi}, lambda a: {dphi}",
            f"h, a = [numpy.array({_numbers(example['h0'])})], []  # h[t] = h_t, a[t-1] = a_t",
            "for t in range(len(x)):  # the forward pass",
            "    a.append(W @ h[t] + U @ x[t]); h.append(phi(a[t]))",
            "L = sum(((h[t + 1] - y[t]) ** 2).sum() / 2 for t in range(len(x)))",
            "gW, delta = numpy.zeros_like(W), numpy.zeros_like(h[0])",
            "for t in reversed(range(len(x))):  # BPTT: delta = dL/dh_{t+1}",
            "    delta = delta + h[t + 1] - y[t]; e = delta * dphi(a[t])",
            "    gW += numpy.outer(e, h[t]); delta = W.T @ e",
            'print("L =", float(L)); print("grad_W L =", gW.tolist())',
        ]
    )


def spectral_commands(sizes) -> str:
    """III.4's figure, one ``symbrnn spectral`` command per panel (the sheet's activation,
    then ``spectral_activation``), with the figure's matrices, T and inputs; a blank line
    between two commands."""
    names = figure_activations(sizes)
    matrices = [f"--W '{_numbers(W)}'" for W in sizes["spectral_examples"]]
    rows = [" ".join(matrices[i : i + 2]) for i in range(0, len(matrices), 2)]
    inputs = sizes.get("spectral_inputs", "none")
    return "\n\n".join(
        " \\\n    ".join(
            [
                f"symbrnn spectral --activation {name} --T {sizes['spectral_T']} "
                f"--inputs {inputs} --plot {name}.pdf",
                *rows,
            ]
        )
        for name in names
    )


@producer("scripts", "numpy", "spectral")
def scripts(sizes):
    """III.2's example replayed in NumPy and III.4's figure redrawn by the command line."""
    from symbrnn.sheets.results_gradients import example_case

    return {"numpy": numpy_script(example_case(sizes)), "spectral": spectral_commands(sizes)}
