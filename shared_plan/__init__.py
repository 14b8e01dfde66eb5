"""The shared plan: one CarePlan per child, derived purely from the child's kept records and
identity links."""
