from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete, post_save


class CommonConfig(AppConfig):
    name = "zhijian.apps.common"
    label = "common"
    verbose_name = "Common"

    def ready(self) -> None:
        from zhijian.apps.common.page_cache import watch_connection
        from zhijian.apps.common.tenancy import memberships_changed

        # Every write to the tables kept pages show bumps their data version (page_cache.py).
        connection_created.connect(watch_connection, dispatch_uid="page-cache-watch")

        # sees_whole_city() caches its answer on the user object: a change forgets it.
        for model in ("accounts.Membership", "accounts.Organization"):
            post_save.connect(memberships_changed, sender=model, dispatch_uid=f"tenancy-{model}-save")
            post_delete.connect(memberships_changed, sender=model, dispatch_uid=f"tenancy-{model}-delete")
