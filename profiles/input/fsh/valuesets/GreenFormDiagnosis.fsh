ValueSet: GreenFormDiagnosis
Id: green-form-diagnosis
Title: "Green Form: behavioral health diagnosis"
Description: "The behavioral health diagnoses most often exchanged between pediatric primary care and behavioral health (ICD-10-CM)."
* ^status = #active
* ^experimental = false
* ^date = "2026-11-23"
* ^publisher = "OnePlan"
* $icd10cm#F41.1 "Generalized anxiety disorder"
* $icd10cm#F41.9 "Anxiety disorder, unspecified"
* $icd10cm#F93.0 "Separation anxiety disorder of childhood"
* $icd10cm#F90.0 "Attention-deficit hyperactivity disorder, predominantly inattentive type"
* $icd10cm#F90.2 "Attention-deficit hyperactivity disorder, combined type"
* $icd10cm#F32.1 "Major depressive disorder, single episode, moderate"
* $icd10cm#F32.A "Depression, unspecified"
* $icd10cm#F43.10 "Post-traumatic stress disorder, unspecified"
* $icd10cm#F10.129 "Alcohol abuse with intoxication, unspecified"
* $icd10cm#F12.10 "Cannabis abuse, uncomplicated"
* $icd10cm#F91.3 "Oppositional defiant disorder"
* $icd10cm#F84.0 "Autistic disorder"
* $icd10cm#R45.851 "Suicidal ideations"
