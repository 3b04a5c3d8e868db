"""``draw(picture, cell)``: a cell, the unrolled network or a stacked model in TikZ, drawn
from the declarations (a whole LaTeX document with ``standalone``)."""

from __future__ import annotations

PICTURES = ("cell", "unrolled", "stacked")

_DOCUMENT = (
    "\\documentclass{article}\n\\usepackage{amsmath,amssymb}\n\\usepackage{tikz}\n"
    "\\pagestyle{empty}\n\\begin{document}\n\\begin{center}\n%s\n\\end{center}\n\\end{document}"
)


def draw(
    picture: str,
    cell_name: str = "rnn",
    *,
    activation: str | None = None,
    bias: bool = True,
    reset_after: bool = False,
    T: int = 3,
    units: list[int] = (100, 100),
    features: int = 72,
    classes: int | None = 8,
    standalone: bool = False,
) -> str:
    """The TikZ of ``picture`` (cell, unrolled, stacked) for the cell ``cell_name``.

    >>> draw("cell").startswith("\\\\begin{tikzpicture}")
    True
    """
    from symbrnn.engine.cells import make_cell
    from symbrnn.sheets import draw as pictures

    cell = make_cell(cell_name, activation=activation, bias=bias, reset_after=reset_after)
    if picture == "cell":
        tikz = pictures.cell_tikz(cell)
    elif picture == "unrolled":
        tikz = pictures.unrolled_tikz(cell, T=T)
    else:
        from symbrnn.counts.params import build_model

        model = build_model(
            cell_name,
            timesteps=T,
            features=features,
            units=list(units),
            classes=classes,
            reset_after=reset_after,
        )
        tikz = pictures.stacked_tikz(model, cell)
    return _DOCUMENT % tikz if standalone else tikz
