"""The entry point for intake and import: validate and map one raw record of a program.

    map_record("home", raw)   -> [FHIR R4 resources as JSON, each checked by its R4B model]
    map_bundle("home", raw)   -> collection Bundle of the same resources

Schema errors raise `ValidationFailed` with one issue per field (`expression` is the record's
field path, e.g. `care_plan.services[0].status`); records that break a rule beyond the schema
raise it too; valid records that can't be mapped raise `UnmappableRecord`; an unknown
program raises `NotFound`. Every resource is labelled here by `consent.label()` and nothing
else, in the context of its program.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from consent.codes import ONEPLAN_BASE
from consent.labels import LabelContext, label
from mappings import birth_to_three, bundle, cyshcn, help_me_grow, home, wrapct
from mappings.datatypes import JSON
from mappings.record import ProgramRecord
from vocabulary import programs
from vocabulary.errors import Issue, NotFound, ValidationFailed
from vocabulary.outcome import issues_from_validation


@dataclass(frozen=True)
class ProgramMapping:
    key: str
    model: type[ProgramRecord]
    check: Callable[[Any], list[Issue]]
    to_fhir: Callable[[Any], list[JSON]]


def _entry(module: Any, model: type[ProgramRecord]) -> ProgramMapping:
    return ProgramMapping(module.KEY, model, module.check, module.to_fhir)


_MAPPINGS = {p.key: p for p in (
    _entry(home, home.HomeRecord),
    _entry(wrapct, wrapct.WrapRecord),
    _entry(birth_to_three, birth_to_three.IfspRecord),
    _entry(cyshcn, cyshcn.SharedPlanRecord),
    _entry(help_me_grow, help_me_grow.CdiRecord),
)}
# In the program directory's order; a program without a mapping fails here, at import.
PROGRAMS: dict[str, ProgramMapping] = {key: _MAPPINGS[key] for key in programs.PROGRAMS}


def mapping(program: str) -> ProgramMapping:
    if program not in PROGRAMS:
        raise NotFound(f"Unknown program {program!r}", expression="program")
    return PROGRAMS[program]


def schema(program: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the program's record, generated from its model."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{ONEPLAN_BASE}/intake/{program}/schema",
            **mapping(program).model.model_json_schema()}


def validate_record(program: str, raw: Any) -> ProgramRecord:
    entry = mapping(program)
    try:
        record = entry.model.model_validate(raw)
    except ValidationError as exc:
        issues = issues_from_validation(exc.errors())
        raise ValidationFailed(f"Record does not match the {program} schema",
                               issues=issues) from None
    if issues := entry.check(record):
        raise ValidationFailed(f"Record breaks the {program} record rules", issues=issues)
    return record


def map_record(program: str, raw: Any) -> list[JSON]:
    """Validate a raw record (parsed JSON) and map it to FHIR JSON."""
    return _map(program, validate_record(program, raw))


def map_bundle(program: str, raw: Any) -> JSON:
    """The same as `map_record`, as a collection Bundle with a deterministic id."""
    record = validate_record(program, raw)
    return bundle.collection(program, str(record.record_id), _map(program, record))


def _map(program: str, record: ProgramRecord) -> list[JSON]:
    """The record's resources, labelled. Each must pass its R4B model, or the mapping has a
    bug; that is checked before labelling, since `label()` only adds codings built from
    consent/labels.yaml (tests/consent checks those on every golden)."""
    context = LabelContext(source=program)
    resources = mapping(program).to_fhir(record)
    for resource in resources:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return [label(resource, context) for resource in resources]
