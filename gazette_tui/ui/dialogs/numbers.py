"""Lines picked by typing their number, as the reader shows them ("[N]"): the dialogs that list numbered
things (links, attachments) keep one :class:`TypedNumber` and hand it their key presses."""

from __future__ import annotations


class TypedNumber:
    """The digits typed so far, for a list of ``count`` lines numbered from 1."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.typed = ""
        self.complete = False
        """After :meth:`press`: no longer number starts with the digits typed (typing starts over)."""

    def press(self, character: str | None) -> int | None:
        """The line the digits typed so far name, with ``character`` added: None when it is not a digit
        (the key is not for us), 0 when no line has that number (typing starts over)."""
        if character is None or not (character.isascii() and character.isdigit()):
            return None
        self.typed += character
        number = int(self.typed)
        if not 1 <= number <= self.count:
            self.typed = ""
            self.complete = True
            return 0
        self.complete = number * 10 > self.count
        if self.complete:
            self.typed = ""
        return number
