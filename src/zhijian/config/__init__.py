"""Django project configuration: settings, urls, the Celery app, WSGI/ASGI entry points."""

from zhijian.config.celery import app as celery_app

__all__ = ["celery_app"]
