"""Profiles, secrets in the OS keyring, login and full texts."""
