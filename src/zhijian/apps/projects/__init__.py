"""Projects: the project, its "1+2+N" team and its buildings."""
