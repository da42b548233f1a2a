"""mljournal: a terminal journal for learning machine learning."""

__version__ = "0.1.0"
