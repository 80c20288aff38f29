from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CommonConfig(AppConfig):
    name = "zhijian.apps.common"
    label = "common"
    verbose_name = "Common"

    def ready(self) -> None:
        from zhijian.apps.common.tenancy import memberships_changed

        # sees_whole_city() caches its answer on the user object: a change forgets it.
        for model in ("accounts.Membership", "accounts.Organization"):
            post_save.connect(memberships_changed, sender=model, dispatch_uid=f"tenancy-{model}-save")
            post_delete.connect(memberships_changed, sender=model, dispatch_uid=f"tenancy-{model}-delete")
