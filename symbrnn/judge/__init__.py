"""Judging hand derivations: the answer parser (no ``eval`` anywhere), ``check``
(verdict, diagnosis, counterexample) and ``grade`` (a class from CSV files).
It imports the engine, the printers and ``numeric``.
"""
