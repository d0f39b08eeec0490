"""Open data and permalinks: addresses that belong to no page, included in portal/urls.py before
Wagtail's catch-all. The feeds are routes of the result and lesson lists (core/routes.py)."""

from django.urls import path, re_path

from larande.publishing import opendata_views

app_name = "outputs"
urlpatterns = [
    path("oppna-data/", opendata_views.open_data_index, name="open_data"),
    re_path(r"^oppna-data/(?P<filename>[^/]+)$", opendata_views.open_data_download, name="open_data_download"),
    path("permalank/<int:page_id>/", opendata_views.permalink, name="permalink"),
]
