"""Benchmarks: commands that print figures (never tests). ``voisinbot bench NAME``."""
