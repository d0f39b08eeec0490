from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls

from core.routes import PAGE_FILE_PATTERN
from portal import api, site_files
from search import views as search_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    # Documents (/dokument/) and uploads (/media/) go through the portal, which checks who may see them.
    path("", include("home.file_urls")),
    path("sok/", search_views.search, name="search"),
    path("sok/forslag/", search_views.autocomplete, name="search_autocomplete"),
    path("sitemap.xml", site_files.sitemap, name="sitemap"),
    path("robots.txt", site_files.robots_txt, name="robots_txt"),
    path("favicon.ico", site_files.favicon, name="favicon"),
    path("api/v2/", include("portal.api")),
    # Whatever else is under /api/ and ends in a slash is an API address that does not exist: a
    # JSON 404 rather than the page tree's HTML one (without the slash, Django first redirects).
    re_path(r"^api/(?:.*/)?$", api.api_not_found),
    path("", include("larande.urls")),
    # Open data and permalinks; a page's own feeds and downloads are routes of the page (core/routes.py).
    path("", include("larande.publishing.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

urlpatterns += [
    # Files that are routes of a page (…/diagram.svg, …/dokument/….pdf): Wagtail's own pattern
    # only takes addresses that end in a slash.
    re_path(PAGE_FILE_PATTERN, wagtail_views.serve, name="wagtail_serve_page_file"),
    path("", include(wagtail_urls)),
]

handler400 = "home.views.bad_request"
handler403 = "home.views.permission_denied"
handler404 = "home.views.page_not_found"
handler500 = "home.views.server_error"
