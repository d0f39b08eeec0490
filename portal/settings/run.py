"""`make run`: production, served by gunicorn over plain HTTP on loopback.

Everything is production's (DEBUG off, WhiteNoise, the Swedish error pages, the page cache, the
shared cache on disk or Redis, SQLite and the database search unless DATABASE_URL and
ELASTICSEARCH_URL say otherwise); only what needs TLS differs, so that the admin login works on
http://127.0.0.1. The Makefile supplies SECRET_KEY (kept in var/secret-key).
"""

import os

os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")

from .production import *  # noqa: E402, F403

ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
CSRF_TRUSTED_ORIGINS = []
# Plain HTTP: a secure cookie would never come back, and the login would fail.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
