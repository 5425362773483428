"""manage.py create_editor USERNAME: an account in the Rule editors group, for local use."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rest_framework.authtoken.models import Token

from advisor.models import ensure_editors_group


class Command(BaseCommand):
    help = "Create (or update) a user in the Rule editors group; prints a password if none given."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--password", default=None, help="the password (default: a new random one, printed)"
        )
        parser.add_argument("--token", action="store_true", help="also print an API token")

    def handle(
        self, *args: Any, username: str, password: str | None, token: bool, **o: Any
    ) -> None:
        model = get_user_model()
        chosen = password or secrets.token_urlsafe(12)
        try:  # before anything is stored: a refused password leaves no account behind
            validate_password(chosen, model(username=username))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages), returncode=2) from None
        user, created = model.objects.get_or_create(username=username)
        user.set_password(chosen)
        user.save()
        user.groups.add(ensure_editors_group())
        state = "created" if created else "updated"
        self.stdout.write(f"{state} rule editor {username}")
        if password is None:
            self.stdout.write(f"password: {chosen}")
        if token:
            self.stdout.write(f"API token: {Token.objects.get_or_create(user=user)[0].key}")
