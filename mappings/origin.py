"""Where a mapped resource comes from: one program record. It stamps every resource with its
deterministic id, business identifier and `meta.source` (`mappings.stamping`;
`mappings.registry` labels it)."""

from __future__ import annotations

from dataclasses import dataclass

from mappings.datatypes import JSON
from mappings.programs import Program
from mappings.stamping import Stamping


@dataclass(frozen=True)
class Origin(Stamping):
    program: Program
    record_id: str

    @property
    def namespace(self) -> str:
        return self.program.key

    @property
    def record_key(self) -> str:
        return self.record_id

    @property
    def identifier_system(self) -> str:
        return self.program.record_system

    @property
    def identifier_value(self) -> str:
        return self.record_id

    @property
    def source(self) -> str:
        return self.program.source

    @property
    def patient(self) -> JSON:
        return self.ref("Patient")

    @property
    def custodian(self) -> str:
        return self.program.organization
