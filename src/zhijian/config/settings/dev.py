"""Development: ``make run`` on one machine, SQLite and the SQLite-backed broker by default."""

from zhijian.config.settings.base import *  # noqa: F403
from zhijian.config.settings.base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)

# runserver serves static files from the apps (staticfiles finders); collectstatic is for production.
STATIC_ROOT = None
