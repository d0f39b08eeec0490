"""Test settings: fast hashing, plain static storage, database and search from the environment."""

import os

import dj_database_url

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# TEST_DATABASE_URL picks PostgreSQL for a whole run; otherwise an SQLite database that the
# test runner creates in memory, never the dev file.
if os.environ.get("TEST_DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["TEST_DATABASE_URL"])}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

# The public search uses the database engine unless a test opts into Elasticsearch.
ELASTICSEARCH_URL = ""
ELASTICSEARCH_INDEX_PREFIX = "larportalen-test"
# One folder per pytest-xdist worker (gw0, gw1, …): tests that write files, list a folder or
# clean up after themselves never see another worker's files.
MEDIA_ROOT = BASE_DIR / ".test-media" / os.environ.get("PYTEST_XDIST_WORKER", "main")  # noqa: F405
