"""Consultants' pages: sign in, packs and versions, the live editor, diff, publish, audit log."""
