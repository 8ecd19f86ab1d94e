"""Password rules in the portal's words (AUTH_PASSWORD_VALIDATORS)."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Django puts the field's label into one sentence ("… too similar to the e-mail"), which Polish cannot
# inflect ("do e-mail"): a whole sentence per attribute instead.
SIMILAR_TO = {
    "email": _("The password is too similar to your e-mail address."),
    "first_name": _("The password is too similar to your first name."),
    "last_name": _("The password is too similar to your last name."),
}


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    """Django's check, attribute by attribute, naming the attribute in a sentence of its own."""

    def validate(self, password: str, user=None) -> None:
        for attribute in self.user_attributes:
            one = password_validation.UserAttributeSimilarityValidator((attribute,), self.max_similarity)
            try:
                one.validate(password, user)
            except ValidationError as error:
                if attribute not in SIMILAR_TO:
                    raise
                raise ValidationError(SIMILAR_TO[attribute], code="password_too_similar") from error
