"""The published JSON Schema files equal the schemas generated from the models
(`python -m mappings.publish` rewrites them)."""

from __future__ import annotations

import json

import pytest

from mappings.publish import schema_path
from mappings.registry import PROGRAMS, schema


@pytest.mark.parametrize("program", sorted(PROGRAMS))
def test_committed_schema_file_equals_generated(program: str) -> None:
    committed = json.loads(schema_path(program).read_text(encoding="utf-8"))
    assert committed == schema(program)


@pytest.mark.parametrize("program", sorted(PROGRAMS))
def test_schema_rejects_unknown_fields_everywhere(program: str) -> None:
    document = schema(program)
    objects = [document, *document["$defs"].values()]
    assert [o.get("title") for o in objects if o.get("additionalProperties") is not False] == []
