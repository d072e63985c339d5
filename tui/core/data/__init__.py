"""Data files shipped with the core (gazetteer additions)."""
