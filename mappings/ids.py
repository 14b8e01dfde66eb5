"""Deterministic resource ids: the same record always maps to the same ids, so writing it
again with PUT changes nothing."""

from __future__ import annotations

import uuid

from consent.codes import ONEPLAN_BASE

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, ONEPLAN_BASE)


def resource_id(program: str, source_id: str, resource_type: str,
                discriminator: str | None = None) -> str:
    """`uuid5(NAMESPACE, "program|source id|resourceType[|discriminator]")` as a string.

    The discriminator tells apart several resources of one type from one record, e.g. the
    record's own id for a goal or service line.
    """
    name = f"{program}|{source_id}|{resource_type}"
    if discriminator is not None:
        name += f"|{discriminator}"
    return str(uuid.uuid5(NAMESPACE, name))
