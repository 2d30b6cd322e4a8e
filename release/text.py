"""Only a re-export: release/migrations/0003_publication_search_text.py imports
`release.text.search_key`, and a migration must keep importing. Everything else uses core.text."""

from core.text import search_key

__all__ = ["search_key"]
