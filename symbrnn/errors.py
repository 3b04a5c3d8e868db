"""The exceptions symbrnn raises. The CLI turns each into one line on stderr.

>>> from symbrnn.errors import InputError
>>> str(InputError("--T must be a positive integer, got 0"))
'--T must be a positive integer, got 0'
"""


class SymbrnnError(Exception):
    """Base class of every error symbrnn raises on purpose."""

    exit_code = 1


class InputError(SymbrnnError, ValueError):
    """Bad usage or bad input from the user (CLI exit code 2)."""

    exit_code = 2


class DeclarationError(InputError):
    """A cell declaration that cannot be traced (unknown operation, wrong shapes)."""


class SummaryParseError(InputError):
    """A pasted model summary that cannot be read."""


class DerivationError(SymbrnnError):
    """A derivation that failed although its input was valid (CLI exit code 1)."""
