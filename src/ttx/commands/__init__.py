"""One module per `ttx` command, each with `run(args) -> int`."""
