"""The SQLite cache: schema, connections and the one place that writes SQL."""
