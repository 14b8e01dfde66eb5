"""Identity: which records are one child. A master patient index, pure at its core (no I/O):
normalised demographics, rules as data (`rules.yaml`), scoring, blocking and link resolution."""
