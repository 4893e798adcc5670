"""The query language, search and alertes."""
