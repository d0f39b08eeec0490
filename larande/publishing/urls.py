"""Feeds, open data and permalinks: fixed addresses, included in portal/urls.py before Wagtail's
catch-all so that /resultat/rss/ is the feed and not a page called "rss"."""

from django.urls import path, re_path

from larande.publishing import feeds, opendata_views

app_name = "outputs"
urlpatterns = [
    path("resultat/rss/", feeds.results_rss, name="results_rss"),
    path("resultat/atom/", feeds.results_atom, name="results_atom"),
    path("lardomar/rss/", feeds.lessons_rss, name="lessons_rss"),
    path("lardomar/atom/", feeds.lessons_atom, name="lessons_atom"),
    path("oppna-data/", opendata_views.open_data_index, name="open_data"),
    re_path(r"^oppna-data/(?P<filename>[^/]+)$", opendata_views.open_data_download, name="open_data_download"),
    path("permalank/<int:page_id>/", opendata_views.permalink, name="permalink"),
]
