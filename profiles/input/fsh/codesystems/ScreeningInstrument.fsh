CodeSystem: ScreeningInstrument
Id: screening-instrument
Title: "Behavioral health screening instrument"
Description: "Pediatric behavioral health screening instruments a primary care practice reports on the Green Form. The instruments are copyrighted questionnaires without a code OnePlan could verify, so OnePlan names them here."
* ^status = #active
* ^experimental = false
* ^date = "2026-11-23"
* ^publisher = "OnePlan"
* ^caseSensitive = true
* ^content = #complete
* #psc-17 "Pediatric Symptom Checklist-17" "The 17-item Pediatric Symptom Checklist (internalizing, attention and externalizing subscales)."
* #phq-a "PHQ-A (PHQ-9 modified for adolescents)" "The Patient Health Questionnaire-9 modified for adolescents, a depression screen."
* #scared "SCARED" "The Screen for Child Anxiety Related Disorders."
* #m-chat-r "M-CHAT-R/F" "The Modified Checklist for Autism in Toddlers, Revised, with Follow-Up."
* #crafft "CRAFFT 2.1" "The CRAFFT 2.1 substance use screen for adolescents."
