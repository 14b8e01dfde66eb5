"""Shared parts of the program records' input models (pydantic v2).

Records use each program's own vocabulary. Unknown fields are rejected; keys that index a
code table are checked against it and published as the table's keys in the JSON Schema.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema

from consent.codes import ORGANIZATIONS
from mappings.tables import common


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class ProgramRecord(Record):
    """A whole program record; `record_id` is the program's own id for it."""

    record_id: str


def member_of(keys: Iterable[str], what: str) -> Callable[[str], str]:
    allowed = frozenset(keys)

    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"unknown {what} {value!r}")
        return value
    return check


def enum_schema(table: Mapping[str, Any]) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "enum": sorted(table)})


Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=100)]
ItemId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")]
# A program's own code: its format is checked here, its meaning by the program's code table.
ProgramCode = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9-]{1,15}$")]
HuskyId = Annotated[str, StringConstraints(pattern=r"^[0-9]{9}$")]
Phone = Annotated[str, StringConstraints(pattern=r"^\(?[0-9]{3}\)?[ .-]?[0-9]{3}-[0-9]{4}$")]

OrgKey = Annotated[str, AfterValidator(member_of(ORGANIZATIONS, "organization")),
                   enum_schema(dict.fromkeys(ORGANIZATIONS))]
_PRACTICES = common("practice_mrn_systems")
PracticeKey = Annotated[str, AfterValidator(member_of(_PRACTICES, "practice")),
                        enum_schema(_PRACTICES)]
_LANGUAGES = common("languages")
Language = Annotated[str, AfterValidator(member_of(_LANGUAGES, "language")),
                     enum_schema(_LANGUAGES)]
_RELATIONSHIPS = common("relationships")
Relationship = Annotated[str, AfterValidator(member_of(_RELATIONSHIPS, "relationship")),
                         enum_schema(_RELATIONSHIPS)]
_UNITS = common("units")
Unit = Annotated[str, AfterValidator(member_of(_UNITS, "unit")), enum_schema(_UNITS)]
Sex = Literal["F", "M", "X", "U"]


class Mrn(Record):
    practice: PracticeKey
    number: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9-]{4,20}$")]


class Child(Record):
    first_name: Name
    last_name: Name
    date_of_birth: date
    sex: Sex
    husky_id: HuskyId | None = Field(default=None, description="HUSKY Health member id")
    mrn: Mrn | None = Field(default=None, description="Medical record number at a practice")
    preferred_language: Language = "en"
    interpreter_needed: bool = False


class Guardian(Record):
    first_name: Name
    last_name: Name
    relationship: Relationship
    phone: Phone | None = None
    legal_custodian: bool = True


class Staff(Record):
    name: Name
    role: Name
    organization: OrgKey


class Indicator(Record):
    """A measurable target: `comparator` `target` `unit` by `target_date`."""

    measure: Text
    baseline: float | None = None
    comparator: Literal["at-least", "at-most", "exactly"] = "at-least"
    target: float
    unit: Unit
    target_date: date
