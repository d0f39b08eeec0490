from wagtail import hooks

from portal.scheduling import expired_page_guard

hooks.register("before_serve_page", expired_page_guard)
