"""The tour notebook runs from top to bottom (nbclient, a real kernel)."""

from pathlib import Path

import nbclient
import nbformat

ROOT = Path(__file__).parents[2]


def test_the_tour_notebook_runs():
    notebook = nbformat.read(ROOT / "examples" / "tour.ipynb", as_version=4)
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3").execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    rich = [o for o in outputs if "text/latex" in o.get("data", {})]
    assert rich, "expressions render as LaTeX in the notebook"
    text = "".join(
        o.get("text", "") + str(o.get("data", {}).get("text/plain", "")) for o in outputs
    )
    assert "∏_{j=k+1}^{t} Diag(σ'(a_j)) W" in text and "ORDER" in text
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert images, "the curve of ‖∂h_T/∂h_1‖ is shown as an image"
    html = "".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert "<table>" in html and "51,900" in html, "the parameter table renders as HTML"
    assert "<th>t</th><th>k</th>" in html, "the expansion renders as a table of its terms"
    assert "$\\operatorname{Diag}" in html, "the verdict shows its math"
