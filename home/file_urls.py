"""Addresses of uploaded files, all answered by the portal (home/file_views.py).

`wagtaildocs_serve` and `wagtaildocs_authenticate_with_password` keep Wagtail's names, so
`Document.url` and Wagtail's collection password form point here. `/media/` is MEDIA_URL: the
addresses Wagtail's storage gives images and renditions are served by the portal too, never as
plain files.
"""

import re

from django.conf import settings
from django.urls import re_path
from wagtail.documents.views.serve import authenticate_with_password

from home.file_views import serve_document, serve_media

urlpatterns = [
    re_path(
        r"^dokument/(?P<document_id>\d{1,18})/(?P<document_filename>[^/]+)\Z",
        serve_document,
        name="wagtaildocs_serve",
    ),
    re_path(
        r"^dokument/authenticate_with_password/(?P<restriction_id>\d{1,18})/\Z",
        authenticate_with_password,
        name="wagtaildocs_authenticate_with_password",
    ),
    re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)\Z", serve_media, name="media"),
]
