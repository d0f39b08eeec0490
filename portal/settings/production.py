"""Production: everything secret or site-specific comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured(
        "SECRET_KEY saknas eller är för svag: sätt miljövariabeln SECRET_KEY till minst 50 "
        "slumpmässiga tecken (SECRET_KEY is missing or too weak)."
    )

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith(".")]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=600)}

# Uploaded images and documents: a folder on persistent storage, served only through the portal's
# own views (home/file_views.py; standard: media/ beside the code). Backups (manage.py backup) read it from here.
if os.environ.get("MEDIA_ROOT"):
    MEDIA_ROOT = Path(os.environ["MEDIA_ROOT"])


def _env_flag(name: str, default: bool = False) -> bool:
    """A yes/no variable: true/false (also 1/0, yes/no, ja/nej); anything else stops the start."""
    value = os.environ.get(name, "true" if default else "false").strip().lower()
    if value in ("true", "1", "yes", "ja"):
        return True
    if value in ("false", "0", "no", "nej", ""):
        return False
    raise ImproperlyConfigured(f"{name} ska vara true eller false, inte {value!r}.")


# The cache fails soft (portal/cache.py): when Redis is unreachable or the cache directory cannot
# be written, pages render uncached, writes are skipped and a warning is logged (at most once a
# minute per process); after a failure the cache rests for CACHE_BREAKER_SECONDS in that process.
CACHE_OPTIONS = {"BREAKER_SECONDS": float(os.environ.get("CACHE_BREAKER_SECONDS", "5"))}
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.FailSoftRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "larportalen",
            "OPTIONS": {
                **CACHE_OPTIONS,
                # Seconds; short, so that a wrong or blackholed address costs little (never retried).
                "socket_connect_timeout": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.5")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
            },
        }
    }
else:
    # Without Redis, a cache on disk that every worker process on this host shares: the glossary's
    # version (term explanations), the suggestion form's rate limit and the search's circuit
    # breaker must be the same in every process, or one worker could go on explaining a concept
    # that another has seen unpublished. Use Redis when the portal runs on more than one host.
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.FailSoftFileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / "var" / "cache")),  # noqa: F405
            "OPTIONS": CACHE_OPTIONS,
        }
    }

# The anonymous page cache (portal/pagecache.py) in the cache above; PAGE_CACHE=false turns it off.
PAGE_CACHE_ENABLED = _env_flag("PAGE_CACHE", default=True)
# Varnish in front (deploy/varnish/default.vcl), e.g. http://127.0.0.1:6081: banned on every change.
if os.environ.get("FRONTEND_CACHE_URL"):
    WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "portal.frontend_cache.TimeoutHTTPBackend",
            "LOCATION": os.environ["FRONTEND_CACHE_URL"],
            "TIMEOUT": float(os.environ.get("FRONTEND_CACHE_TIMEOUT", "2")),
        }
    }

# WhiteNoise serves the collected static files straight from the application server.
MIDDLEWARE = [*MIDDLEWARE[:1], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]  # noqa: F405

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# nginx in front with an `internal` location over MEDIA_ROOT (see the README): it sends the files.
MEDIA_ACCEL_REDIRECT = os.environ.get("MEDIA_ACCEL_REDIRECT", "")


def _env_count(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise ImproperlyConfigured(f"{name} ska vara ett heltal, 0 eller större, inte {value!r}.")
    return int(value)


# How many reverse proxies sit in front of the app, each appending to X-Forwarded-For: their entries
# identify the client for login throttling and the suggestion form's rate limit (0 = the
# connection's address). Never more than there are: the client writes the entries further left.
TRUSTED_PROXY_COUNT = _env_count("TRUSTED_PROXY_COUNT", 0)
SUGGESTION_TRUSTED_PROXIES = _env_count("SUGGESTION_TRUSTED_PROXIES", TRUSTED_PROXY_COUNT)
# X-Forwarded-Proto says whether the visitor used HTTPS, but anyone can send it: trust it only when
# the operator declares a proxy that terminates TLS and sets the header itself.
TLS_TERMINATING_PROXY = _env_flag("TLS_TERMINATING_PROXY")
if TLS_TERMINATING_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SUGGESTION_RATE_LIMIT = int(os.environ.get("SUGGESTION_RATE_LIMIT", "5"))
SUGGESTION_RATE_WINDOW = int(os.environ.get("SUGGESTION_RATE_WINDOW", "600"))
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() == "true"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Content-Security-Policy, Permissions-Policy, nosniff, Referrer-Policy and X-Frame-Options are
# set in base.py, for every environment alike.

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

try:
    from .local import *  # noqa: F403
except ImportError:
    pass
