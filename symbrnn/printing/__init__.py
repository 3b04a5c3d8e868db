"""Printing: the engine's objects as Unicode text and LaTeX.

One shared base (``base``: names, precedence, memoising), a ``LatexPrinter``
and a ``StrPrinter`` subclass (``latex``, ``text``), the report of an expansion
(``expansion``, a notebook's HTML too) and LaTeX escaping of plain text (``escape``). It imports the
engine only.
"""
