"""Dossiers and their exports."""
