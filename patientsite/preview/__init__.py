"""The preview: the change plan, the rebuild from the last build's state, the watcher and the web server."""
