ValueSet: GreenFormSex
Id: green-form-sex
Title: "Green Form: child's sex"
Description: "The child's administrative gender, as the Green Form records it."
* ^status = #active
* ^experimental = false
* ^date = "2026-11-23"
* ^publisher = "OnePlan"
* $gender#male "Male"
* $gender#female "Female"
* $gender#other "Other"
* $gender#unknown "Unknown"
