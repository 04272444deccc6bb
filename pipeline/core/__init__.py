"""Ground floor: typed records, the label vocabulary and text helpers. Imports only ``pipeline.errors``."""
