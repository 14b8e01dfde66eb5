"""The consent engine: security labels, a pure decide(), redaction, explanations, audit records."""
