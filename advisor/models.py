"""Database models of the advisor (none yet)."""
