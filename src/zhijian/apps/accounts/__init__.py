"""Accounts: the custom user, organisations (with their USCC), memberships and roles, API tokens."""
