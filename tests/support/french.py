"""French typography in expected strings, so that tests can be written with plain spaces and apostrophes.

The catalogue writes French as typography wants it (``tests/unit/test_typography.py`` checks it): ’ for the
apostrophe, a no-break space (U+00A0) before « : ; ! ? » » and after « « », and after « n° ».
:func:`typo` turns « Impossible d'écrire X : … » into what the program says."""

from __future__ import annotations

import re

NBSP = "\u00a0"


def typo(text: str) -> str:
    text = re.sub(r"(?<=[^\W\d_])'(?=[^\W\d_])", "’", text)
    text = re.sub(r" +(?=[:;!?»])", NBSP, text)
    text = re.sub(r"« +", "«" + NBSP, text)
    return text.replace("n° ", "n°" + NBSP)
