"""Demo FHIR R4 portal: seeded Dutch practice data over real HTTP, with fault injection."""
