"""The operator's fixtures of ops_walk14: a broken mail folder and its repair."""

from tests.ops_walk14.conftest import broken_mail_folder, mail_repaired  # noqa: F401
