"""Numbers from the derived formulas: element-level instantiation (SymPy or NumPy),
the loss defined once, ``symbrnn evaluate`` and the spectral analysis.

It imports the engine and the printers, never ``proof``, ``judge`` or ``sheets``.
"""
