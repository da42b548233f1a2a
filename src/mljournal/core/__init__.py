"""The headless core: entries, front-matter, dates, roadmap, index and queries.

Nothing under this package may import Textual or Rich; `tests/test_import_hygiene.py` proves it.
"""
