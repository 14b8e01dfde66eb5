"""How deep a JSON text nests, found in one linear pass over its bytes, without parsing it.

Python's JSON decoder and the models behind it recurse once per level, so a body nested a few
hundred levels deep would end in RecursionError; the edge refuses it first.
"""

from __future__ import annotations

import json
import re

from vocabulary.outcome import field_path

# A string (escapes included; an unterminated one runs to the end) or a structural character.
# Numbers, literals and whitespace between them are skipped by the regular expression itself.
TOKENS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"?|[][{},:]', re.DOTALL)
STRINGS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))


def depth(body: bytes) -> int:
    """How deep the body nests: its brackets outside strings, counted in one pass."""
    deepest = level = 0
    for bracket in STRINGS.sub(b"", body).translate(None, NOT_BRACKETS):
        level += 1 if bracket in b"[{" else -1
        deepest = max(deepest, level)
    return deepest


def too_deep(body: bytes, limit: int) -> list[int | str] | None:
    """The path to the first value nested deeper than `limit`, or None if there is none.

    Each open container is a frame: an array's holds the index of its current element, an
    object's the key of its current member. A string just before `:` is a key.
    """
    if depth(body) <= limit:
        return None
    frames: list[list[int | str]] = []
    last_string = b""
    for token in TOKENS.finditer(body):
        text = token.group()
        if text[:1] == b'"':
            last_string = text
        elif text in b"[{":
            if len(frames) >= limit:
                return [part for frame in frames for part in frame]
            frames.append([0] if text == b"[" else [])
        elif text in b"]}":
            if frames:
                frames.pop()
        elif text == b"," and frames and frames[-1] and isinstance(frames[-1][0], int):
            frames[-1][0] = int(frames[-1][0]) + 1
        elif text == b":" and frames:
            frames[-1] = [_key(last_string)]
    return None


def path_of(parts: list[int | str]) -> str:
    return field_path(parts) or "$"


def _key(string: bytes) -> str:
    try:
        key = json.loads(string)
    except ValueError:
        return "?"
    return key if isinstance(key, str) else "?"
