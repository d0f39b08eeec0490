from django.apps import AppConfig


class HomeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "home"
    verbose_name = "Start och allmänna sidor"

    def ready(self):
        from portal import scheduling

        scheduling.connect_signals()
