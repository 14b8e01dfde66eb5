"""FHIRPath expressions that point at a QuestionnaireResponse item or answer by linkId.

    QuestionnaireResponse.item.where(linkId='child').item.where(linkId='child.birth-date')
    QuestionnaireResponse.item.where(linkId='screening')[1].item.where(linkId='screening.score').answer[0]

An item gets an index only when it repeats or occurs more than once; answers always carry one.
A missing item is pointed at where it should be.
"""

from __future__ import annotations

ROOT = "QuestionnaireResponse"


def quoted(text: str) -> str:
    """A FHIRPath string literal (https://hl7.org/fhirpath/N1/#string)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def item(parent: str, link_id: str, index: int | None = None) -> str:
    path = f"{parent}.item.where(linkId={quoted(link_id)})"
    return path if index is None else f"{path}[{index}]"


def positional_item(parent: str, index: int) -> str:
    """An item that has no linkId to select it by."""
    return f"{parent}.item[{index}]"


def answer(item_path: str, index: int) -> str:
    return f"{item_path}.answer[{index}]"


def field(path: str, name: str) -> str:
    return f"{path}.{name}"
