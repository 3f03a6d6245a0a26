"""The commands (`build`, `serve`, `status`, `check`, `i18n`): each offers `add_arguments(parser)` and
`run(args, root)`; cli.py dispatches. The build never imports a command."""
