"""Founders' pages: home, the questionnaire with its live preview, and the result page."""
