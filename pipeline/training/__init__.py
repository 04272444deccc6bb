"""Training recipes for the project's own models (``make train-id``)."""
