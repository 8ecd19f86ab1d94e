"""Portal users: one model for client users, staff, analysts and admins; e-mail is the login."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.core.choice_labels import ChoiceLabels
from backend.core.number_keys import key_index, phone_key_field
from backend.core.text_search import email_domain_key_field, email_key_field, name_key_field


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        if not email:
            raise ValueError("E-mail is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("role", User.Role.ADMIN)
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(ChoiceLabels, AbstractBaseUser, PermissionsMixin):
    class Role(models.TextChoices):
        CLIENT = "client", _("Client user")
        STAFF = "staff", _("Staff (customer service)")
        ANALYST = "analyst", _("Process analyst")
        ADMIN = "admin", _("Administrator")

    email = models.EmailField(_("e-mail"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.CLIENT)
    language = models.CharField(
        _("language"), max_length=8, default="pl", choices=[("pl", "Polski"), ("en", "English")]
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Django admin access; separate from the portal role so staff need not be admins.
    is_staff = models.BooleanField(_("admin site access"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # Customer service's client search (requests_app/staff_client_search.py): keys the database keeps.
    name_key = name_key_field("first_name", "last_name", max_length=301)
    phone_key = phone_key_field("phone")
    email_key = email_key_field("email")
    email_domain_key = email_domain_key_field("email")

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        indexes = [
            key_index("phone_key", name="user_phone_key"),
            key_index("email_key", name="user_email_key"),
            key_index("email_domain_key", name="user_email_domain_key"),
        ]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    @property
    def is_client_user(self) -> bool:
        return self.role == self.Role.CLIENT

    @property
    def is_back_office(self) -> bool:
        """Staff, analysts and admins all work the back office."""
        return self.role in {self.Role.STAFF, self.Role.ANALYST, self.Role.ADMIN}

    @property
    def is_analyst(self) -> bool:
        return self.role in {self.Role.ANALYST, self.Role.ADMIN}

    def derive_admin_access(self) -> None:
        """Make the Django admin flags agree with the role, as create_superuser makes them: an administrator
        has admin site access and is a superuser, a client user has neither, staff and analysts may be
        given admin site access (with their groups' permissions) but are never superusers."""
        if self.role == self.Role.ADMIN:
            self.is_staff = self.is_superuser = True
            return
        self.is_superuser = False
        if self.role == self.Role.CLIENT:
            self.is_staff = False


class SecondFactorSecret(models.Model):
    """The per-user secret that "remember this device" cookies are bound to.

    Rotating it (forget devices, reset or switch off two-factor login) voids every remembered browser
    at once; a password change voids them too, since the cookie is also bound to the password hash.
    """

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="second_factor_secret", verbose_name=_("user")
    )
    remember_secret = models.CharField(max_length=64)
    rotated_at = models.DateTimeField(_("rotated at"), default=timezone.now)

    class Meta:
        verbose_name = _("second factor secret")
        verbose_name_plural = _("second factor secrets")


class ActivationCode(models.Model):
    """The second channel of an activation: a one-time code handed over by staff or the client's admin.

    Only its keyed hash is stored; the code is shown once to whoever issued it. The activation page
    needs the e-mailed link and this code; after ACTIVATION_CODE_MAX_ATTEMPTS wrong codes it is void.
    """

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="activation_code", verbose_name=_("user")
    )
    code_hash = models.CharField(max_length=128)
    issued_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("issued by")
    )
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    failed_attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")
