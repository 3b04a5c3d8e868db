"""Exams from a sheet: multiple-choice questions whose wrong options are named mistakes.

For each checkable question of a sheet and each parameter count of its section I, the right
answer is the engine's and each wrong option is one row of the checker's table of mistakes
(``judge/diagnose.py``) or of the count mistakes (``counts``) applied to it, proven wrong by
the checker itself (``build``). The exam is written for auto-multiple-choice (``amc``) and
Moodle (``moodle``); AMC's export of the scanned copies reads back into the class's named
mistakes (``scans``). Every word is in French and English (``words``). It may import every
layer above it (engine … sheets); nothing of a sheet or a results file reaches an evaluator.
"""
