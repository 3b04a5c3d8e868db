"""What the command line itself says on the terminal, in French and English (the word
book's ``cli.*`` entries, ``symbrnn/words/cli.toml``)."""

from symbrnn.words import say

__all__ = ["say"]
