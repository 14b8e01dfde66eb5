"""Shared parts of the program records' input models (pydantic v2).

Records use each program's own vocabulary. Unknown fields are rejected; keys that index a
code table are checked against it and published as the table's keys in the JSON Schema.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from consent.codes import ORGANIZATIONS
from mappings.systems import local_displays
from mappings.tables import common

LATEST_YEAR = 2200  # no date a program record holds lies beyond it
INT32 = range(-(2**31), 2**31)  # FHIR integer (https://hl7.org/fhir/R4/datatypes.html#integer)
# FHIR strings allow no control characters but tab, CR and LF
# (https://hl7.org/fhir/R4/datatypes.html#string)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MAX_ENTRIES = 100  # entries in any one list of a record: no plan has more services or goals
TODAY = "today"  # the validation context key of the clock: a callable giving today's date


def today(info: ValidationInfo) -> date:
    """Today, from the clock in the validation context (`model_validate(raw,
    context={TODAY: clock})`), else the system's."""
    clock: Callable[[], date] = (info.context or {}).get(TODAY, date.today)
    return clock()


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              allow_inf_nan=False)

    @field_validator("*")
    @classmethod
    def _primitive(cls, value: Any) -> Any:
        """Every field, in every record: what FHIR cannot hold, whatever the field's type."""
        if isinstance(value, list | tuple) and len(value) > MAX_ENTRIES:
            raise ValueError(f"has {len(value)} entries; at most {MAX_ENTRIES} are allowed")
        for index, part in enumerate(value if isinstance(value, list | tuple) else [value]):
            problem = _primitive_problem(part)
            if problem:
                where = f"item {index} " if isinstance(value, list | tuple) else ""
                raise ValueError(f"{where}{problem}")
        return value


def _primitive_problem(value: Any) -> str | None:
    if isinstance(value, str) and (found := CONTROL.search(value)):
        return (f"has a control character (U+{ord(found.group()):04X}); only tab, CR and LF "
                "are allowed")
    if isinstance(value, date) and value.year > LATEST_YEAR:
        return f"is past the year {LATEST_YEAR}"
    if isinstance(value, int) and not isinstance(value, bool) and value not in INT32:
        return "is outside the 32-bit integer range of FHIR"
    return None


class ProgramRecord(Record):
    """A whole program record; `record_id` is the program's own id for it."""

    record_id: str


@dataclass(frozen=True)
class OneOf:
    """`Annotated[str, OneOf(keys, what)]`: one of a code table's keys. Other values fail
    with `unknown <what> '<value>'`; the JSON Schema publishes the keys as an enum."""

    keys: frozenset[str]
    what: str

    def check(self, value: str) -> str:
        if value not in self.keys:
            raise ValueError(f"unknown {self.what} {value!r}")
        return value

    def __get_pydantic_core_schema__(self, source: Any,
                                     handler: GetCoreSchemaHandler) -> CoreSchema:
        return AfterValidator(self.check).__get_pydantic_core_schema__(source, handler)

    def __get_pydantic_json_schema__(self, schema: CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {"type": "string", "enum": sorted(self.keys)}


def one_of(table: Iterable[str], what: str) -> OneOf:
    """The metadata for a key of `table`: a code table (its keys) or a collection of codes."""
    return OneOf(frozenset(table), what)


def local_code(code_system: str, what: str) -> OneOf:
    """The metadata for a code of `profiles/codesystems/CodeSystem-<code_system>.json`."""
    return one_of(local_displays(code_system), what)


Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=100)]
ItemId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")]
# A program's own code: its format is checked here, its meaning by the program's code table.
ProgramCode = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9-]{1,15}$")]
HuskyId = Annotated[str, StringConstraints(pattern=r"^[0-9]{9}$")]
Phone = Annotated[str, StringConstraints(pattern=r"^\(?[0-9]{3}\)?[ .-]?[0-9]{3}-[0-9]{4}$")]

OrgKey = Annotated[str, one_of(ORGANIZATIONS, "organization")]
PracticeKey = Annotated[str, one_of(common("practice_mrn_systems"), "practice")]
Language = Annotated[str, one_of(common("languages"), "language")]
Relationship = Annotated[str, one_of(common("relationships"), "relationship")]
Unit = Annotated[str, one_of(common("units"), "unit")]
# The `goal_status` table's keys: a program's word for where a goal stands.
GoalStatus = Literal["proposed", "active", "improving", "on-hold", "met", "not-met",
                     "discontinued"]
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

    @field_validator("date_of_birth")
    @classmethod
    def _born(cls, value: date, info: ValidationInfo) -> date:
        if value > today(info):
            raise ValueError("is after today")
        return value


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


class SignedRelease(Record):
    # A release of information a known person signed: who signed it (an item id of the
    # record), when, until when, and the CAST organizations it releases to. No docstring:
    # the published schema of each program's subclass has no description.
    signed_by: ItemId
    signed_on: date
    expires_on: date
    recipients: list[OrgKey] = Field(min_length=1)


class Indicator(Record):
    """A measurable target: `comparator` `target` `unit` by `target_date`."""

    measure: Text
    baseline: float | None = None
    comparator: Literal["at-least", "at-most", "exactly"] = "at-least"
    target: float
    unit: Unit
    target_date: date
