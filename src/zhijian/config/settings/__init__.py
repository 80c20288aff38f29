"""Settings modules: ``base`` (shared, env-driven), ``dev`` (default), ``test``, ``prod``."""
