"""Settings shared by every environment. Secrets and service addresses never live here."""

import os
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF, UNSAFE_INLINE

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

DEBUG = False

INSTALLED_APPS = [
    "core",
    "home",
    "larande",
    "search",
    "wagtail_modeladmin",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.api.v2",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    "axes",
    # Last: the content version's receivers run after every other app's (portal/content_version.py).
    "portal.apps.PortalConfig",
]

# A form sent without a valid token gets a Swedish explanation, not Django's English page.
CSRF_FAILURE_VIEW = "home.views.csrf_failure"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Headers on every response, including the redirects and errors of the middleware below.
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "portal.security.PortalCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Scheduled publishing and expiry happen before the first request after they are due.
    "portal.scheduling.ScheduledPublishingMiddleware",
    # Anonymous pages from the cache, after due changes have moved the content version (portal/pagecache.py).
    "portal.pagecache.PageCacheMiddleware",
    # The request's site and root page from the cache, once per content version (portal/content_cache.py).
    "portal.content_cache.SiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A refused deletion (something content uses) becomes a Swedish message, never a server error.
    "larande.records.deletion.DeletionRefusalMiddleware",
    # Last, as django-axes requires: it turns a locked-out login attempt into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
            # Each concept keeps its template tags beside its code (larande/<concept>/templatetags/);
            # the shared ones are found in core/templatetags/ as usual.
            "libraries": {
                "chain_tags": "larande.chains.templatetags.chain_tags",
                "concept_map_tags": "larande.glossary.templatetags.concept_map_tags",
                "result_tags": "larande.evaluation.templatetags.result_tags",
                "term_tags": "larande.glossary.templatetags.term_tags",
            },
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "larportalen",
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Swedish first: interface, content and admin.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = [("sv", "Svenska"), ("en", "English")]
# The project's own Swedish for what Wagtail leaves in English, and "granskning" for Wagtail's
# "moderering" (locale/sv/LC_MESSAGES/django.po; read before the apps' catalogues).
LOCALE_PATHS = [BASE_DIR / "locale"]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Lärportalen"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
# New pages' addresses in plain ASCII made from the title (å→a, ä→a, ö→o, dashes kept), the same
# in the admin's JavaScript and on the server (core/slugs.py); existing addresses are kept.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Uploaded files are only ever served by the portal, which checks that a published, public page
# uses them (home/files.py, home/file_views.py): documents through /dokument/ (never a redirect to
# the file), images and renditions through /media/.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# The path of an internal nginx location over MEDIA_ROOT; when set, nginx sends the files the
# portal has allowed (X-Accel-Redirect). Empty: the portal streams them itself.
MEDIA_ACCEL_REDIRECT = ""

# Wagtail's own index serves the admin's page search; the public search (search/) has its own
# Swedish-aware engines, chosen by ELASTICSEARCH_URL.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "larportalen")
ELASTICSEARCH_TIMEOUT = float(os.environ.get("ELASTICSEARCH_TIMEOUT", "3"))
# After Elasticsearch fails, the public search skips it (answering from the database) for this long.
SEARCH_ES_RETRY_SECONDS = float(os.environ.get("SEARCH_ES_RETRY_SECONDS", "30"))

# The read-only Wagtail API (/api/v2/, portal/api.py): bounded pages, rich text as the site shows
# it, numbers as JSON numbers.
WAGTAILAPI_LIMIT_MAX = 100
WAGTAILAPI_SEARCH_ENABLED = True
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
REST_FRAMEWORK = {"COERCE_DECIMAL_TO_STRING": False}

# --- Security headers and logins (portal/security.py; README: Drift → Säkerhet) ---
# Public pages: scripts and styles only from the portal's own static files, no inline code and no
# eval. A template that needs script gets a file under static/js/; an external source, if ever
# needed, is added to the directive that needs it here (and in the admin's policy if it is used
# there), never as 'unsafe-inline'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# The Wagtail admin (/admin/): Wagtail writes inline scripts (InlinePanel) and inline styles, and
# shows uploaded images' previews as data: and blob: URLs; it frames its own previews.
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
    }
}
# Features the portal never uses, denied to it and to anything it might ever frame. Only names
# that Chromium knows: an unknown one costs a console warning on every page (the browser test
# fails on it), which is why e.g. ambient-light-sensor and bluetooth are not listed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The admin would otherwise load avatars from Gravatar (sending a hash of each editor's address)
# and check wagtail.org for new versions from the browser: both are outside the policy above.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Reverse proxies in front of the portal that append to X-Forwarded-For (production sets it from
# the environment): they decide which address is the client's for login throttling.
TRUSTED_PROXY_COUNT = 0

# Login throttling (django-axes): 10 failed logins for one username from one address, or 20 from
# one address whatever the usernames, lock that out for 15 minutes (each further try restarts
# the 15 minutes). `manage.py axes_reset` unlocks everything at once.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "portal.security.LoginThrottleHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = 10
LOGIN_FAILURE_LIMIT_PER_ADDRESS = 20
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "portal.security.client_address"
AXES_LOCKOUT_CALLABLE = "portal.security.lockout_response"
# Failed attempts are kept (they are the count); successful logins are not logged with address
# and browser: nothing needs that record.
AXES_DISABLE_ACCESS_LOG = True
# No banner at every start. Log lines mask usernames and addresses (axes' default); the database
# keeps them for the count and for `axes_reset_username`/`axes_reset_ip`.
AXES_VERBOSE = False

# --- The anonymous page cache (portal/pagecache.py, portal/content_version.py; README: Drift → Cache) ---
# Off here, in development and in the tests (whose own cache tests turn it on); on in production.
PAGE_CACHE_ENABLED = False
# Seconds an entry lives in the portal's cache at most (a new content version forgets it sooner).
PAGE_CACHE_SECONDS = 600
# Cache-Control of anonymous responses: browsers keep a page max-age seconds, Varnish s-maxage
# (it is purged on every change); both capped at the next scheduled go-live or expiry. Browsers
# cannot be purged, so they revalidate every time (a cheap 304): a page that turns private or
# changes is never shown again from a browser's cache.
PAGE_CACHE_MAX_AGE = 0
PAGE_CACHE_S_MAXAGE = 600
# Entries with a query string (searches, filters) per content version; beyond that they render uncached.
PAGE_CACHE_MAX_QUERY_ENTRIES = 2000
PAGE_CACHE_MAX_ENTRY_BYTES = 2 * 1024 * 1024
# Varnish in front (deploy/varnish/default.vcl): Wagtail's frontend cache bans everything in it when
# the content version moves, and once more PURGE_REPEAT_SECONDS later. Set in production from
# FRONTEND_CACHE_URL; empty: no frontend cache.
WAGTAILFRONTENDCACHE = {}
PURGE_REPEAT_SECONDS = 0.2
