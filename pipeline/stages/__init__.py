"""The stages: typed records in, typed records out. No file I/O except ingest's reading; nothing
here imports the run, output or CLI layers."""
