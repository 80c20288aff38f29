"""Cross-cutting pieces every app uses: the tenant restriction, model mixins, problem details."""
