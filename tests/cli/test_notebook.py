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
