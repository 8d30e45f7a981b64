"""Validators shared by every form."""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms import Field, Form, ValidationError


class Printable:
    """Refuse control characters (NUL breaks PostgreSQL text; the rest are never meant)."""

    def __init__(self, message: str = _l("Remove the hidden control characters from this "
                                          "answer."),
                 allow_newlines: bool = False) -> None:
        self.message = message
        self.allowed = {"\n", "\r", "\t"} if allow_newlines else set()

    def __call__(self, form: Form, field: Field) -> None:
        if any(unicodedata.category(ch) == "Cc" and ch not in self.allowed
               for ch in field.data or ""):
            raise ValidationError(self.message)
