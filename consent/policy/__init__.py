"""OnePlan's default consent policy: one YAML file per legal source, each with a test file."""
