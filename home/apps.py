from django.apps import AppConfig


class HomeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "home"
    verbose_name = "Start och allmänna sidor"

    def ready(self):
        from wagtail.signals import page_published

        from home.files import reindex_published_page
        from portal import scheduling

        # Which files a visitor may see follows the reference index of published pages (home/files.py).
        page_published.connect(reindex_published_page, dispatch_uid="home_files_reindex_published_page")
        scheduling.connect_signals()
