"""Publish each program's record schema as a file: `python -m mappings.publish`.

The files in `mappings/schemas/` are generated from the models; a test keeps them equal.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mappings.registry import PROGRAMS, schema
from vocabulary.data import package_dir

SCHEMAS = package_dir("mappings") / "schemas"


def schema_path(program: str) -> Path:
    return SCHEMAS / f"{program}.schema.json"


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_all() -> list[Path]:
    SCHEMAS.mkdir(exist_ok=True)
    written = []
    for program in PROGRAMS:
        path = schema_path(program)
        path.write_text(render(schema(program)), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for written in write_all():
        print(f"wrote {written.name}")
