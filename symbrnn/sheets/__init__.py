"""Answer sheets: typed results produced from the engine (``results``), rendering
of a sheet's TOML data in Jinja's sandbox and compiling with latexmk (``render``),
TikZ drawings (``draw``), plots (``plot``) and the latexify appendix
(``appendix``). It may import every layer below it: engine, printing, numeric,
proof, counts.
"""
