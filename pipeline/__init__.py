"""Bilingual (English / Indonesian) entity pipeline: detect, NER, normalize, align, tables."""

__version__ = "0.1.0"
