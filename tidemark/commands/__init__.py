"""One module per `tidemark` subcommand, each with `add_parser(subparsers)` setting its `func`."""
