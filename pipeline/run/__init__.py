"""Run layer: the order of the stages, per-document failure rows, the cache, timing and the manifest."""
