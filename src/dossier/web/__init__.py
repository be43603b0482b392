"""The web face: browse the catalog, read articles with their analysis, search.

Every page is server-rendered HTML and, at the same URL plus ``.json``, data in one
envelope. See docs/web.md.
"""

from .app import create_app

__all__ = ["create_app"]
