"""Review: model versions, submissions and their rounds, check runs, findings, comments, waivers."""
