"""The Green Form (the CT AAP chapter's PCP / behavioral health form) extracted to FHIR.

Pure functions, FHIR R4 JSON in, transaction Bundles out. The gateway and the goldens run
`check.checked(response, ...)` (the form, read once) and then `plan` (what to read first, then
the one transaction to write); the functions below read a raw response themselves:
- `extract(response)`: a referral response -> the Patient, the people and organizations, the
  referral (ServiceRequest + Task), clinical content, the release (Consent), the response and
  a Provenance.
- `apply_feedback(feedback, task, referral)`: the agency's feedback -> the Task and
  ServiceRequest updated.
- `stale_entries(previous_provenance, bundle)`: DELETEs for what an amended form dropped.
- `task_id(service_request_id)`: the referral Task's id.
"""

from mappings.green_form.extract import extract
from mappings.green_form.feedback import apply_feedback
from mappings.green_form.provenance import stale_entries
from mappings.green_form.referral import task_id

__all__ = ["apply_feedback", "extract", "stale_entries", "task_id"]
