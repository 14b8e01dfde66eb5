"""The door to HAPI (`FhirStore`) and who may knock (`Principal`)."""

from gateway.store.door import FhirStore
from gateway.store.principal import SYSTEM, Principal

__all__ = ["SYSTEM", "FhirStore", "Principal"]
