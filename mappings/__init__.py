"""Program records to FHIR R4: one module per program, each with a typed input model and a
pure mapping function. `mappings.registry` is the entry point that validates and maps a raw
record for a program key."""
