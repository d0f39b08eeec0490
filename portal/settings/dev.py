"""Local development: no environment needed (SQLite file, database search, local memory cache)."""

from .base import *  # noqa: F403

DEBUG = True
# Dev-only key; production refuses to start without its own.
SECRET_KEY = "django-insecure-dev-only-larportalen"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

try:
    from .local import *  # noqa: F403
except ImportError:
    pass
