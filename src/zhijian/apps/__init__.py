"""Django apps: thin adapters around the domain core."""
