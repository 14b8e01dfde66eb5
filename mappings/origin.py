"""Where a mapped resource comes from: one program record. It stamps every resource with its
deterministic id, business identifier and `meta.source` (`mappings.registry` labels it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mappings.datatypes import JSON, reference
from mappings.ids import resource_id
from mappings.programs import Program


@dataclass(frozen=True)
class Origin:
    program: Program
    record_id: str

    def id(self, resource_type: str, discriminator: str | None = None) -> str:
        return resource_id(self.program.key, self.record_id, resource_type, discriminator)

    def ref(self, resource_type: str, discriminator: str | None = None,
            display: str | None = None) -> JSON:
        return reference(resource_type, self.id(resource_type, discriminator), display)

    def identifier(self, discriminator: str | None = None) -> JSON:
        value = self.record_id if discriminator is None else f"{self.record_id}/{discriminator}"
        return {"system": self.program.record_system, "value": value}

    def meta(self) -> JSON:
        """https://hl7.org/fhir/R4/resource.html#Meta: the source; labels come from
        `consent.label()` once the record is mapped."""
        return {"source": self.program.source}

    def resource(self, resource_type: str, discriminator: str | None = None,
                 **body: Any) -> JSON:
        """A resource's JSON with the stamps every mapped resource carries, then `body`."""
        return {"resourceType": resource_type, "id": self.id(resource_type, discriminator),
                "meta": self.meta(), "identifier": [self.identifier(discriminator)],
                **{k: v for k, v in body.items() if v is not None and v != []}}

    @property
    def patient(self) -> JSON:
        return self.ref("Patient")

    @property
    def custodian(self) -> str:
        return self.program.organization
