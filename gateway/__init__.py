"""OnePlan gateway: a FHIR R4 care-plan interoperability gateway."""

__version__ = "0.1.0"
