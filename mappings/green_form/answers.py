"""Reading a QuestionnaireResponse's answers by linkId
(https://hl7.org/fhir/R4/questionnaireresponse.html).

Each `Items` knows the FHIRPath expression of where it sits, in the form the Green Form's
OperationOutcomes use: `QuestionnaireResponse.item.where(linkId='child').item.where(...)`, with
an index only on items that repeat.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mappings.sdc.paths import ROOT


def answer_value(answer: Mapping[str, Any]) -> Any:
    """The `value[x]` of one answer, whatever its type."""
    return next((v for k, v in answer.items() if k.startswith("value")), None)


@dataclass(frozen=True)
class Items:
    """The items of a response or of one group in it."""

    items: Sequence[Mapping[str, Any]]
    path: str = ROOT

    @classmethod
    def of(cls, node: Mapping[str, Any], path: str = ROOT) -> Items:
        return cls(tuple(node.get("item", ())), path)

    def where(self, link_id: str) -> str:
        """The expression of the item `link_id` in this group (present or not)."""
        return f"{self.path}.item.where(linkId='{link_id}')"

    def _found(self, link_id: str) -> list[Mapping[str, Any]]:
        return [item for item in self.items if item.get("linkId") == link_id]

    def group(self, link_id: str) -> Items:
        found = self._found(link_id)
        return Items.of(found[0] if found else {}, self.where(link_id))

    def groups(self, link_id: str) -> list[Items]:
        """Each repetition of a repeating group, indexed."""
        return [Items.of(g, f"{self.where(link_id)}[{i}]")
                for i, g in enumerate(self._found(link_id))]

    def values(self, link_id: str) -> list[Any]:
        return [answer_value(a) for item in self._found(link_id) for a in item.get("answer", ())]

    def value(self, link_id: str) -> Any:
        """The first answer's value, or None when the item has no answer."""
        values = self.values(link_id)
        return values[0] if values else None

    def text(self, link_id: str) -> str | None:
        value = self.value(link_id)
        return None if value is None else str(value)

    def required_text(self, link_id: str) -> str:
        return str(self.value(link_id))

    def flag(self, link_id: str) -> bool:
        return self.value(link_id) is True

    def coding(self, link_id: str) -> dict[str, Any]:
        return dict(self.value(link_id))

    def codings(self, link_id: str) -> list[dict[str, Any]]:
        return [dict(v) for v in self.values(link_id)]
