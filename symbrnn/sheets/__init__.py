"""Answer sheets: a sheet loaded once into typed questions (``load``: ``sheet``), typed
results produced from the engine (``results``), rendering of a sheet's TOML data in
Jinja's sandbox and compiling with latexmk (``render``), TikZ drawings (``draw``), plots
(``plot``) and the latexify appendix (``appendix``). It may import every layer below it:
engine, printing, numeric, proof, judge, counts.

>>> from symbrnn import sheets
>>> sheets.load("td5").question("III.1").T
3
"""


def __getattr__(name: str):
    if name in ("load", "Sheet"):  # imported on first use: a command that needs no sheet
        from symbrnn.sheets import sheet

        return getattr(sheet, name)
    raise AttributeError(f"module 'symbrnn.sheets' has no attribute {name!r}")
