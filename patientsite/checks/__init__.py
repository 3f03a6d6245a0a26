"""Checks: the build's own gates between the model and rendering (the translation policy, each page's
review date and unsafe markup), and the `check` command's quality gates on the built site."""
