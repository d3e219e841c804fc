"""danvan: checks, scores and consolidates "Dân vận khéo" award dossiers."""

__version__ = "0.1.0"
