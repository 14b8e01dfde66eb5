"""Who is asking the door. Today only the gateway itself acts; SMART Backend Services
clients and signed-in staff will be principals too, and consent and audit will key on them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Principal:
    kind: Literal["system"]
    name: str


SYSTEM = Principal("system", "oneplan-gateway")
