ValueSet: GreenFormGuardianRelationship
Id: green-form-guardian-relationship
Title: "Green Form: guardian's relationship to the child"
Description: "How the parent or guardian is related to the child (HL7 v3 RoleCode)."
* ^status = #active
* ^experimental = false
* ^date = "2026-11-23"
* ^publisher = "OnePlan"
* $v3-RoleCode#MTH "mother"
* $v3-RoleCode#FTH "father"
* $v3-RoleCode#GRMTH "grandmother"
* $v3-RoleCode#GRFTH "grandfather"
* $v3-RoleCode#GUARD "guardian"
* $v3-RoleCode#STPMTH "stepmother"
* $v3-RoleCode#STPFTH "stepfather"
