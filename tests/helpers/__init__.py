"""Helpers shared by the tests: driving the real window as a rep does (tests/helpers/window.py)."""
