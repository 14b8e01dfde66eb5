"""What every resource mapped from one source record carries, whatever the source (a program
record, a Green Form): a deterministic id, a business identifier and `meta.source`.

Ids are `mappings.ids.resource_id(namespace, record key, type, discriminator)`, so mapping the
same record again writes the same resources (https://hl7.org/fhir/R4/resource.html#id). Labels
are not stamped here: `consent.label()` gives them once a resource is mapped.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from mappings.datatypes import compact, reference
from mappings.ids import resource_id
from vocabulary.fhir import JSON


class Stamping(ABC):
    """The stamps of one source record; a subclass says whose record it is."""

    @property
    @abstractmethod
    def namespace(self) -> str:
        """Whose ids these are: the program's key (`green-form` for the Green Form)."""

    @property
    @abstractmethod
    def record_key(self) -> str:
        """The record, unique in its namespace."""

    @property
    @abstractmethod
    def identifier_system(self) -> str: ...

    @property
    @abstractmethod
    def identifier_value(self) -> str: ...

    @property
    @abstractmethod
    def source(self) -> str:
        """`meta.source`: the program that wrote it."""

    def id(self, resource_type: str, discriminator: str | None = None) -> str:
        return resource_id(self.namespace, self.record_key, resource_type, discriminator)

    def ref(self, resource_type: str, discriminator: str | None = None,
            display: str | None = None) -> JSON:
        return reference(resource_type, self.id(resource_type, discriminator), display)

    def identifier(self, discriminator: str | None = None) -> JSON:
        value = self.identifier_value
        return {"system": self.identifier_system,
                "value": value if discriminator is None else f"{value}/{discriminator}"}

    def meta(self) -> JSON:
        """https://hl7.org/fhir/R4/resource.html#Meta: the source."""
        return {"source": self.source}

    def resource(self, resource_type: str, discriminator: str | None = None,
                 **body: Any) -> JSON:
        """A resource's JSON with its id, `meta.source` and identifier, then `body` without
        its empty fields (FHIR forbids empty elements)."""
        return {"resourceType": resource_type, "id": self.id(resource_type, discriminator),
                "meta": self.meta(), "identifier": [self.identifier(discriminator)],
                **compact(**body)}
