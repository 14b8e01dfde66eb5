"""OnePlan gateway: a FHIR R4 care-plan interoperability gateway."""
