"""The web page (``symbrnn serve``): the checker and the derivations in a browser, offline.

It owns the Starlette application (``app``), every word of the page in French and English
(``messages``), its page templates and the vendored KaTeX
(``static/katex``, MIT licence beside it). It may import every layer below it; nothing
of a request reaches an evaluator, a cell file or a sheet upload.
"""
