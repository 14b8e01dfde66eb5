// The Connecticut AAP chapter's Green Form: a PCP refers a child to behavioral health (part
// "referral"), and the behavioral health provider reports back (part "feedback").
// linkIds are the contract with the gateway's validator and extraction; do not rename them.
Instance: green-form
InstanceOf: Questionnaire
Usage: #definition
Title: "Green Form: PCP / behavioral health communication"
Description: "The Green Form, with which pediatric primary care and behavioral health providers refer a child and report back on the referral."
* url = "http://oneplan.example.org/fhir/Questionnaire/green-form"
* version = "1.0.0"
* name = "GreenForm"
* title = "Green Form: PCP / behavioral health communication"
* status = #active
* experimental = false
* subjectType = #Patient
* date = "2026-11-23"
* publisher = "OnePlan"
* description = "The Connecticut AAP chapter's Green Form. A pediatric primary care provider (PCP) refers a child to behavioral health, with the family's release of information; the behavioral health provider answers in the feedback part, which closes the loop back to the PCP."

* item[+].linkId = "part"
* item[=].text = "Which part of the Green Form are you filling in?"
* item[=].type = #choice
* item[=].required = true
* item[=].answerOption[+].valueCoding = GreenFormPart#referral "Referral: PCP to behavioral health"
* item[=].answerOption[+].valueCoding = GreenFormPart#feedback "Feedback: behavioral health to PCP"

// ---------------------------------------------------------------- child
* item[+].linkId = "child"
* item[=].text = "Child"
* item[=].type = #group
* item[=].required = true
* item[=].enableWhen[+].question = "part"
* item[=].enableWhen[=].operator = #=
* item[=].enableWhen[=].answerCoding = GreenFormPart#referral
* item[=].extension[$constraint].extension[key].valueId = "gf-1"
* item[=].extension[$constraint].extension[severity].valueCode = #error
* item[=].extension[$constraint].extension[expression].valueString = "item.where(linkId='child.husky-id').exists() or item.where(linkId='child.mrn').exists()"
* item[=].extension[$constraint].extension[human].valueString = "HUSKY id or practice MRN is required"
* item[=].item[+].linkId = "child.given-name"
* item[=].item[=].text = "Child's first name"
* item[=].item[=].type = #string
* item[=].item[=].required = true
* item[=].item[+].linkId = "child.family-name"
* item[=].item[=].text = "Child's last name"
* item[=].item[=].type = #string
* item[=].item[=].required = true
* item[=].item[+].linkId = "child.birth-date"
* item[=].item[=].text = "Child's date of birth"
* item[=].item[=].type = #date
* item[=].item[=].required = true
* item[=].item[+].linkId = "child.sex"
* item[=].item[=].text = "Child's sex"
* item[=].item[=].type = #choice
* item[=].item[=].required = true
* item[=].item[=].answerValueSet = Canonical(GreenFormSex)
* item[=].item[+].linkId = "child.husky-id"
* item[=].item[=].text = "HUSKY Health member ID (9 digits)"
* item[=].item[=].type = #string
* item[=].item[=].extension[$regex].valueString = "^[0-9]{9}$"
* item[=].item[+].linkId = "child.mrn"
* item[=].item[=].text = "Medical record number at the referring practice"
* item[=].item[=].type = #string
* item[=].item[+].linkId = "child.language"
* item[=].item[=].text = "Family's preferred language"
* item[=].item[=].type = #choice
* item[=].item[=].required = true
* item[=].item[=].answerValueSet = Canonical(GreenFormLanguage)
* item[=].item[+].linkId = "child.interpreter-needed"
* item[=].item[=].text = "Does the family need an interpreter?"
* item[=].item[=].type = #boolean
* item[=].item[=].required = true
* item[=].item[+].linkId = "guardian"
* item[=].item[=].text = "Parent or guardian"
* item[=].item[=].type = #group
* item[=].item[=].required = true
* item[=].item[=].item[+].linkId = "guardian.name"
* item[=].item[=].item[=].text = "Parent or guardian's full name"
* item[=].item[=].item[=].type = #string
* item[=].item[=].item[=].required = true
* item[=].item[=].item[+].linkId = "guardian.relationship"
* item[=].item[=].item[=].text = "Relationship to the child"
* item[=].item[=].item[=].type = #choice
* item[=].item[=].item[=].required = true
* item[=].item[=].item[=].answerValueSet = Canonical(GreenFormGuardianRelationship)
* item[=].item[=].item[+].linkId = "guardian.phone"
* item[=].item[=].item[=].text = "Parent or guardian's phone number"
* item[=].item[=].item[=].type = #string
* item[=].item[=].item[=].required = true
* item[=].item[=].item[+].linkId = "guardian.email"
* item[=].item[=].item[=].text = "Parent or guardian's email address"
* item[=].item[=].item[=].type = #string

// ---------------------------------------------------------------- pcp
* item[+].linkId = "pcp"
* item[=].text = "Referring primary care provider"
* item[=].type = #group
* item[=].required = true
* item[=].enableWhen[+].question = "part"
* item[=].enableWhen[=].operator = #=
* item[=].enableWhen[=].answerCoding = GreenFormPart#referral
* item[=].item[+].linkId = "pcp.name"
* item[=].item[=].text = "Referring clinician's name"
* item[=].item[=].type = #string
* item[=].item[=].required = true
* item[=].item[+].linkId = "pcp.npi"
* item[=].item[=].text = "Referring clinician's NPI (10 digits)"
* item[=].item[=].type = #string
* item[=].item[=].required = true
* item[=].item[=].extension[$regex].valueString = "^[0-9]{10}$"
* item[=].item[+].linkId = "pcp.practice"
* item[=].item[=].text = "Practice name"
* item[=].item[=].type = #string
* item[=].item[=].required = true
* item[=].item[+].linkId = "pcp.practice-npi"
* item[=].item[=].text = "Practice NPI (10 digits)"
* item[=].item[=].type = #string
* item[=].item[=].required = true
* item[=].item[=].extension[$regex].valueString = "^[0-9]{10}$"
* item[=].item[+].linkId = "pcp.phone"
* item[=].item[=].text = "Practice phone number"
* item[=].item[=].type = #string
* item[=].item[=].required = true
* item[=].item[+].linkId = "pcp.fax"
* item[=].item[=].text = "Practice fax number"
* item[=].item[=].type = #string
* item[=].item[+].linkId = "pcp.direct"
* item[=].item[=].text = "Practice Direct secure messaging address"
* item[=].item[=].type = #string

// ---------------------------------------------------------------- bh
* item[+].linkId = "bh"
* item[=].text = "Behavioral health provider receiving the referral"
* item[=].type = #group
* item[=].required = true
* item[=].enableWhen[+].question = "part"
* item[=].enableWhen[=].operator = #=
* item[=].enableWhen[=].answerCoding = GreenFormPart#referral
* item[=].item[+].linkId = "bh.agency"
* item[=].item[=].text = "Behavioral health agency"
* item[=].item[=].type = #string
* item[=].item[=].required = true
* item[=].item[+].linkId = "bh.agency-npi"
* item[=].item[=].text = "Agency NPI (10 digits)"
* item[=].item[=].type = #string
* item[=].item[=].required = true
* item[=].item[=].extension[$regex].valueString = "^[0-9]{10}$"
* item[=].item[+].linkId = "bh.clinician"
* item[=].item[=].text = "Behavioral health clinician, if known"
* item[=].item[=].type = #string
* item[=].item[+].linkId = "bh.clinician-npi"
* item[=].item[=].text = "Clinician's NPI (10 digits), if known"
* item[=].item[=].type = #string
* item[=].item[=].extension[$regex].valueString = "^[0-9]{10}$"
* item[=].item[+].linkId = "bh.phone"
* item[=].item[=].text = "Agency phone number"
* item[=].item[=].type = #string
* item[=].item[=].required = true

// ---------------------------------------------------------------- referral
* item[+].linkId = "referral"
* item[=].text = "Reason for referral"
* item[=].type = #group
* item[=].required = true
* item[=].enableWhen[+].question = "part"
* item[=].enableWhen[=].operator = #=
* item[=].enableWhen[=].answerCoding = GreenFormPart#referral
* item[=].item[+].linkId = "referral.service"
* item[=].item[=].text = "Service requested"
* item[=].item[=].type = #choice
* item[=].item[=].required = true
* item[=].item[=].answerValueSet = Canonical(GreenFormReferralService)
* item[=].item[+].linkId = "referral.reason"
* item[=].item[=].text = "Reason for referral: the concern, in your own words"
* item[=].item[=].type = #string
* item[=].item[=].required = true
* item[=].item[+].linkId = "referral.urgency"
* item[=].item[=].text = "How urgent is this referral? (Choose STAT for an emergent referral.)"
* item[=].item[=].type = #choice
* item[=].item[=].required = true
* item[=].item[=].answerOption[+].valueCoding = $request-priority#routine "Routine"
* item[=].item[=].answerOption[+].valueCoding = $request-priority#urgent "Urgent"
* item[=].item[=].answerOption[+].valueCoding = $request-priority#stat "STAT"
* item[=].item[+].linkId = "referral.ed-visit"
* item[=].item[=].text = "Seen in an emergency department for this concern?"
* item[=].item[=].type = #boolean
* item[=].item[=].required = true
* item[=].item[+].linkId = "referral.ed-visit-date"
* item[=].item[=].text = "Date of the emergency department visit"
* item[=].item[=].type = #date
* item[=].item[=].required = true
* item[=].item[=].enableWhen[+].question = "referral.ed-visit"
* item[=].item[=].enableWhen[=].operator = #=
* item[=].item[=].enableWhen[=].answerBoolean = true
* item[=].item[+].linkId = "screening"
* item[=].item[=].text = "Screening results (one entry per screening instrument)"
* item[=].item[=].type = #group
* item[=].item[=].repeats = true
* item[=].item[=].item[+].linkId = "screening.instrument"
* item[=].item[=].item[=].text = "Screening instrument"
* item[=].item[=].item[=].type = #choice
* item[=].item[=].item[=].required = true
* item[=].item[=].item[=].answerOption[+].valueCoding = ScreeningInstrument#psc-17 "Pediatric Symptom Checklist-17"
* item[=].item[=].item[=].answerOption[+].valueCoding = ScreeningInstrument#phq-a "PHQ-A (PHQ-9 modified for adolescents)"
* item[=].item[=].item[=].answerOption[+].valueCoding = ScreeningInstrument#scared "SCARED"
* item[=].item[=].item[=].answerOption[+].valueCoding = ScreeningInstrument#m-chat-r "M-CHAT-R/F"
* item[=].item[=].item[=].answerOption[+].valueCoding = ScreeningInstrument#crafft "CRAFFT 2.1"
* item[=].item[=].item[+].linkId = "screening.score"
* item[=].item[=].item[=].text = "Total score"
* item[=].item[=].item[=].type = #integer
* item[=].item[=].item[=].required = true
* item[=].item[=].item[=].extension[$minValue].valueInteger = 0
* item[=].item[=].item[=].extension[$maxValue].valueInteger = 100
* item[=].item[=].item[+].linkId = "screening.date"
* item[=].item[=].item[=].text = "Date the screen was given"
* item[=].item[=].item[=].type = #date
* item[=].item[=].item[=].required = true
* item[=].item[=].item[+].linkId = "screening.positive"
* item[=].item[=].item[=].text = "Was the screen positive (at or above the instrument's cut-off)?"
* item[=].item[=].item[=].type = #boolean
* item[=].item[=].item[=].required = true
* item[=].item[+].linkId = "diagnosis"
* item[=].item[=].text = "Known or suspected behavioral health diagnoses"
* item[=].item[=].type = #choice
* item[=].item[=].repeats = true
* item[=].item[=].answerValueSet = Canonical(GreenFormDiagnosis)
* item[=].item[+].linkId = "medication"
* item[=].item[=].text = "Current medications"
* item[=].item[=].type = #group
* item[=].item[=].repeats = true
* item[=].item[=].item[+].linkId = "medication.name"
* item[=].item[=].item[=].text = "Medication name"
* item[=].item[=].item[=].type = #string
* item[=].item[=].item[=].required = true
* item[=].item[=].item[+].linkId = "medication.dose"
* item[=].item[=].item[=].text = "Dose and how often it is taken"
* item[=].item[=].item[=].type = #string
* item[=].item[+].linkId = "allergies-known"
* item[=].item[=].text = "Does the child have known allergies?"
* item[=].item[=].type = #boolean
* item[=].item[=].required = true
* item[=].item[+].linkId = "allergy"
* item[=].item[=].text = "Allergies (one entry per allergy)"
* item[=].item[=].type = #group
* item[=].item[=].required = true
* item[=].item[=].repeats = true
* item[=].item[=].enableWhen[+].question = "allergies-known"
* item[=].item[=].enableWhen[=].operator = #=
* item[=].item[=].enableWhen[=].answerBoolean = true
* item[=].item[=].item[+].linkId = "allergy.substance"
* item[=].item[=].item[=].text = "Substance the child is allergic to"
* item[=].item[=].item[=].type = #string
* item[=].item[=].item[=].required = true
* item[=].item[=].item[+].linkId = "allergy.reaction"
* item[=].item[=].item[=].text = "Reaction"
* item[=].item[=].item[=].type = #string
* item[=].item[+].linkId = "history"
* item[=].item[=].text = "Relevant medical history"
* item[=].item[=].type = #text
* item[=].item[+].linkId = "sdoh"
* item[=].item[=].text = "Social needs affecting the family"
* item[=].item[=].type = #choice
* item[=].item[=].repeats = true
* item[=].item[=].answerValueSet = Canonical(GreenFormSdoh)
* item[=].item[+].linkId = "family-goals"
* item[=].item[=].text = "What does the family want from this referral?"
* item[=].item[=].type = #text
* item[=].item[=].required = true

// ---------------------------------------------------------------- consent
* item[+].linkId = "consent"
* item[=].text = "Release of information"
* item[=].type = #group
* item[=].required = true
* item[=].enableWhen[+].question = "part"
* item[=].enableWhen[=].operator = #=
* item[=].enableWhen[=].answerCoding = GreenFormPart#referral
* item[=].extension[$constraint].extension[key].valueId = "gf-2"
* item[=].extension[$constraint].extension[severity].valueCode = #error
* item[=].extension[$constraint].extension[expression].valueString = "item.where(linkId='consent.expires').answer.value > item.where(linkId='consent.signed-on').answer.value"
* item[=].extension[$constraint].extension[human].valueString = "The release must expire after it is signed"
* item[=].item[+].linkId = "consent.minor-self"
* item[=].item[=].text = "Did the minor consent to their own care under Connecticut law?"
* item[=].item[=].type = #boolean
* item[=].item[=].required = true
* item[=].item[+].linkId = "consent.statute"
* item[=].item[=].text = "Under which Connecticut statute did the minor consent?"
* item[=].item[=].type = #choice
* item[=].item[=].required = true
* item[=].item[=].enableWhen[+].question = "consent.minor-self"
* item[=].item[=].enableWhen[=].operator = #=
* item[=].item[=].enableWhen[=].answerBoolean = true
* item[=].item[=].answerOption[+].valueCoding = GreenFormMinorConsent#cgs-19a-14c "CGS 19a-14c: outpatient mental health treatment of a minor"
* item[=].item[=].answerOption[+].valueCoding = GreenFormMinorConsent#cgs-17a-688 "CGS 17a-688: substance use treatment of a minor"
* item[=].item[+].linkId = "consent.signer-name"
* item[=].item[=].text = "Name of the person signing the release"
* item[=].item[=].type = #string
* item[=].item[=].required = true
* item[=].item[+].linkId = "consent.signer-relationship"
* item[=].item[=].text = "Signer's relationship to the child"
* item[=].item[=].type = #choice
* item[=].item[=].required = true
* item[=].item[=].enableWhen[+].question = "consent.minor-self"
* item[=].item[=].enableWhen[=].operator = #=
* item[=].item[=].enableWhen[=].answerBoolean = false
* item[=].item[=].answerValueSet = Canonical(GreenFormGuardianRelationship)
* item[=].item[+].linkId = "consent.recipient"
* item[=].item[=].text = "Who may receive the information?"
* item[=].item[=].type = #choice
* item[=].item[=].required = true
* item[=].item[=].repeats = true
* item[=].item[=].answerOption[+].valueCoding = GreenFormParty#referring-pcp "The referring primary care practice"
* item[=].item[=].answerOption[+].valueCoding = GreenFormParty#receiving-bh "The receiving behavioral health provider"
* item[=].item[+].linkId = "consent.includes-sud"
* item[=].item[=].text = "May substance use treatment information be shared?"
* item[=].item[=].type = #boolean
* item[=].item[=].required = true
* item[=].item[+].linkId = "consent.includes-psychotherapy-notes"
* item[=].item[=].text = "May psychotherapy notes be shared?"
* item[=].item[=].type = #boolean
* item[=].item[=].required = true
* item[=].item[+].linkId = "consent.signed-on"
* item[=].item[=].text = "Date the release was signed"
* item[=].item[=].type = #date
* item[=].item[=].required = true
* item[=].item[+].linkId = "consent.expires"
* item[=].item[=].text = "Date the release expires"
* item[=].item[=].type = #date
* item[=].item[=].required = true

// ---------------------------------------------------------------- feedback
* item[+].linkId = "feedback"
* item[=].text = "Feedback to the referring PCP"
* item[=].type = #group
* item[=].required = true
* item[=].enableWhen[+].question = "part"
* item[=].enableWhen[=].operator = #=
* item[=].enableWhen[=].answerCoding = GreenFormPart#feedback
* item[=].item[+].linkId = "feedback.referral"
* item[=].item[=].text = "The referral you are answering"
* item[=].item[=].type = #reference
* item[=].item[=].required = true
* item[=].item[=].extension[$referenceResource].valueCode = #ServiceRequest
* item[=].item[+].linkId = "feedback.outcome"
* item[=].item[=].text = "What happened with the referral?"
* item[=].item[=].type = #choice
* item[=].item[=].required = true
* item[=].item[=].answerOption[+].valueCoding = $task-status#accepted "Accepted"
* item[=].item[=].answerOption[+].valueCoding = $task-status#rejected "Rejected"
* item[=].item[=].answerOption[+].valueCoding = $task-status#completed "Completed"
* item[=].item[+].linkId = "feedback.decline-reason"
* item[=].item[=].text = "Why was the referral declined?"
* item[=].item[=].type = #string
* item[=].item[=].required = true
* item[=].item[=].enableWhen[+].question = "feedback.outcome"
* item[=].item[=].enableWhen[=].operator = #=
* item[=].item[=].enableWhen[=].answerCoding = $task-status#rejected
* item[=].item[+].linkId = "feedback.first-appointment"
* item[=].item[=].text = "Date and time of the first appointment"
* item[=].item[=].type = #dateTime
* item[=].item[=].required = true
* item[=].item[=].enableWhen[+].question = "feedback.outcome"
* item[=].item[=].enableWhen[=].operator = #=
* item[=].item[=].enableWhen[=].answerCoding = $task-status#accepted
* item[=].item[+].linkId = "feedback.seen-on"
* item[=].item[=].text = "Date the child was seen"
* item[=].item[=].type = #date
* item[=].item[=].required = true
* item[=].item[=].enableWhen[+].question = "feedback.outcome"
* item[=].item[=].enableWhen[=].operator = #=
* item[=].item[=].enableWhen[=].answerCoding = $task-status#completed
* item[=].item[+].linkId = "feedback.diagnosis"
* item[=].item[=].text = "Diagnoses made"
* item[=].item[=].type = #choice
* item[=].item[=].repeats = true
* item[=].item[=].enableWhen[+].question = "feedback.outcome"
* item[=].item[=].enableWhen[=].operator = #=
* item[=].item[=].enableWhen[=].answerCoding = $task-status#completed
* item[=].item[=].answerValueSet = Canonical(GreenFormDiagnosis)
* item[=].item[+].linkId = "feedback.treatment-plan"
* item[=].item[=].text = "Treatment plan"
* item[=].item[=].type = #text
* item[=].item[=].required = true
* item[=].item[=].enableWhen[+].question = "feedback.outcome"
* item[=].item[=].enableWhen[=].operator = #=
* item[=].item[=].enableWhen[=].answerCoding = $task-status#completed
* item[=].item[+].linkId = "feedback.medications"
* item[=].item[=].text = "Medications started or changed"
* item[=].item[=].type = #text
* item[=].item[=].enableWhen[+].question = "feedback.outcome"
* item[=].item[=].enableWhen[=].operator = #=
* item[=].item[=].enableWhen[=].answerCoding = $task-status#completed
* item[=].item[+].linkId = "feedback.follow-up"
* item[=].item[=].text = "Follow-up plan and next appointment"
* item[=].item[=].type = #text
* item[=].item[=].required = true
* item[=].item[=].enableWhen[+].question = "feedback.outcome"
* item[=].item[=].enableWhen[=].operator = #=
* item[=].item[=].enableWhen[=].answerCoding = $task-status#completed
* item[=].item[+].linkId = "feedback.recommendations"
* item[=].item[=].text = "Recommendations for the PCP"
* item[=].item[=].type = #text
* item[=].item[=].enableWhen[+].question = "feedback.outcome"
* item[=].item[=].enableWhen[=].operator = #=
* item[=].item[=].enableWhen[=].answerCoding = $task-status#completed
* item[=].item[+].linkId = "feedback.clinician-name"
* item[=].item[=].text = "Behavioral health clinician completing this feedback"
* item[=].item[=].type = #string
* item[=].item[=].required = true
* item[=].item[+].linkId = "feedback.clinician-phone"
* item[=].item[=].text = "Clinician's phone number"
* item[=].item[=].type = #string
* item[=].item[=].required = true
