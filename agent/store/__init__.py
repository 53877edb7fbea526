"""The SQL store: engine, tables, repositories, archive loading and importers.

Packages on top of ``agent`` add their tables through the public hook of
:mod:`agent.store.migrations` (``register_tables`` / ``@migration``) when they
are imported; the store never imports them.
"""
