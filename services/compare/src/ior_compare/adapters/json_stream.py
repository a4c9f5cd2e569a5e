"""A JSON object read member by member, one of its arrays an item at a time: a run's lines document
holds every line's lineage and sources, and only one entry of it need be whole as Python objects.
Each value is parsed by the standard library's decoder (`raw_decode`); only the punctuation between
the top-level members and between the streamed array's items is read here."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")


class JsonStreamError(ValueError):
    """The text is not one JSON object."""


def read_object(text: str, streamed: str, each: Callable[[Any, int, int], None]) -> dict[str, Any]:
    """The object in `text`, except that the items of its array member `streamed` are handed to
    `each` in order, with where each is in `text` (start, end), and not kept (the member is absent
    from the result)."""
    cursor = _Cursor(text)
    members: dict[str, Any] = {}
    cursor.expect("{")
    if cursor.take("}"):
        return cursor.end(members)
    while True:
        key = cursor.value()
        if not isinstance(key, str):
            raise JsonStreamError(f"a member name must be a string at character {cursor.at}")
        cursor.expect(":")
        if key == streamed and cursor.take("["):
            if not cursor.take("]"):
                each(*cursor.spanned())
                while cursor.take(","):
                    each(*cursor.spanned())
                cursor.expect("]")
        else:
            members[key] = cursor.value()
        if not cursor.take(","):
            break
    cursor.expect("}")
    return cursor.end(members)


class _Cursor:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def _skip(self) -> None:
        found = _SPACE.match(self.text, self.at)
        self.at = found.end() if found else self.at

    def take(self, mark: str) -> bool:
        self._skip()
        if self.text.startswith(mark, self.at):
            self.at += len(mark)
            return True
        return False

    def expect(self, mark: str) -> None:
        if not self.take(mark):
            raise JsonStreamError(f"expected {mark!r} at character {self.at}")

    def value(self) -> Any:
        self._skip()
        try:
            found, self.at = _DECODER.raw_decode(self.text, self.at)
        except json.JSONDecodeError as exc:
            raise JsonStreamError(str(exc)) from None
        return found

    def spanned(self) -> tuple[Any, int, int]:
        self._skip()
        start = self.at
        return self.value(), start, self.at

    def end(self, members: dict[str, Any]) -> dict[str, Any]:
        self._skip()
        if self.at != len(self.text):
            raise JsonStreamError(f"extra data at character {self.at}")
        return members
