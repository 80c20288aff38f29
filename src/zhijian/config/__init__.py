"""Django settings, URLs, Celery app."""
