"""Output floor: records -> typed table rows, declared schemas, atomic writing and checking."""
