"""Every word of an exam, in French and in English: stems, instructions, count mistakes
(the word book's ``exam.toml``; ``count.<CODE>`` for each row of ``exam/counts.py``), said
by :func:`symbrnn.words.say`.

The formula options' mistakes are said by the checker's own sentences (``judge.toml``).

>>> from symbrnn.words import say
>>> say("count.NO_BIAS", "fr"), WORDS["count.NO_BIAS"]["en"]
('les biais sont oubliés', 'the biases are forgotten')
"""

from __future__ import annotations

from symbrnn.words import Table

WORDS = Table(room="exam")
