"""The matching rules, loaded from `rules.yaml` (data, versioned)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from identity import normal
from mappings import systems

RULES = Path(__file__).with_name("rules.yaml")


@dataclass(frozen=True)
class Rules:
    version: str
    husky: str
    mrn: tuple[str, ...]
    program: tuple[str, ...]
    weights: dict[str, float]
    given_agree: float
    name_agree: float
    guardian_agree: float
    given_disagree: float
    family_disagree: float
    birth_date_transposed: float
    match: float
    possible: float
    blocking: tuple[str, ...]
    nicknames: dict[str, str]

    @property
    def identifier_systems(self) -> tuple[str, ...]:
        """All identifier systems, the highest priority first."""
        return (self.husky, *self.mrn, *self.program)

    @property
    def conflict_systems(self) -> tuple[str, ...]:
        """Systems in which two different values mean two different children."""
        return (self.husky, *self.mrn)


def load(path: Path | None = None) -> Rules:
    doc: dict[str, Any] = yaml.safe_load((path or RULES).read_text(encoding="utf-8"))
    ids = doc["identifiers"]
    return Rules(
        version=str(doc["version"]),
        husky=systems.identifier_system(ids["husky"]),
        mrn=tuple(systems.identifier_system(k) for k in ids["mrn"]),
        program=tuple(systems.identifier_system(k) for k in ids["program"]),
        weights={k: float(v) for k, v in doc["weights"].items()},
        given_agree=float(doc["agree"]["given"]),
        name_agree=float(doc["agree"]["name"]),
        guardian_agree=float(doc["agree"]["guardian"]),
        given_disagree=float(doc["disagree"]["given"]),
        family_disagree=float(doc["disagree"]["family"]),
        birth_date_transposed=float(doc["birth_date_transposed"]),
        match=float(doc["thresholds"]["match"]),
        possible=float(doc["thresholds"]["possible"]),
        blocking=tuple(doc["blocking"]),
        nicknames={normal.joined(k): normal.joined(v) for k, v in doc["nicknames"].items()},
    )
