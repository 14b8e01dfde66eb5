"""The programs OnePlan maps, from `codes/programs.json`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from consent.codes import program_source
from mappings import systems
from mappings.tables import table
from vocabulary.programs import KEEPERS


@dataclass(frozen=True)
class Program:
    key: str
    name: str
    plan_title: str
    organization: str
    plan_category: dict[str, Any]

    @property
    def source(self) -> str:
        return program_source(self.key)

    @property
    def record_system(self) -> str:
        return systems.identifier_system(f"record-{self.key}")


@cache
def program(key: str) -> Program:
    entry = table("programs")[key]
    return Program(key=key, name=entry["name"], plan_title=entry["plan_title"],
                   organization=KEEPERS[key], plan_category=entry["plan_category"])
