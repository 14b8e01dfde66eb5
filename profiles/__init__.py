"""OnePlan's FHIR conformance artefacts, shipped as package data (read with importlib.resources)."""
