"""Architecture Decision Advisor: the Django project and app in one package."""
