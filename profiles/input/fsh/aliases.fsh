// Code systems and extensions used by the Green Form, by canonical url.
Alias: $gender = http://hl7.org/fhir/administrative-gender
Alias: $bcp47 = urn:ietf:bcp:47
Alias: $v3-RoleCode = http://terminology.hl7.org/CodeSystem/v3-RoleCode
Alias: $sct = http://snomed.info/sct
Alias: $icd10cm = http://hl7.org/fhir/sid/icd-10-cm
Alias: $sdohcc = http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes
Alias: $request-priority = http://hl7.org/fhir/request-priority
Alias: $task-status = http://hl7.org/fhir/task-status

Alias: $constraint = http://hl7.org/fhir/StructureDefinition/questionnaire-constraint
Alias: $regex = http://hl7.org/fhir/StructureDefinition/regex
Alias: $minValue = http://hl7.org/fhir/StructureDefinition/minValue
Alias: $maxValue = http://hl7.org/fhir/StructureDefinition/maxValue
Alias: $referenceResource = http://hl7.org/fhir/StructureDefinition/questionnaire-referenceResource
