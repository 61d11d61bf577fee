"""Earned: research-and-compose assistant for B2B sales reps."""

__version__ = "0.1.0"
APP_NAME = "Earned"
APP_ID = "io.github.earnedapp.Earned"  # reverse-DNS: the .desktop file, AppStream metainfo, icon name
