"""WeasyPrint needs Pango from the system: tests that make PDFs skip locally (fail in CI) without it."""

import os

from tests.conftest import service_required


def require_weasyprint():
    """Skip the calling test with a reason unless WeasyPrint and its libraries load."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        pass
    else:
        os.environ.setdefault("WEASYPRINT_READY", "1")
    service_required("WEASYPRINT_READY", "WeasyPrint med Pango (apt-get install libpango-1.0-0 libpangoft2-1.0-0)")
