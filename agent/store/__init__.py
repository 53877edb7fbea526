"""The SQL store: engine, tables, repositories, archive loading and importers."""
