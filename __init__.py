"""malbild: Stockholms stad plan and report PDFs into a DuckDB database."""

__version__ = "0.1.0"
