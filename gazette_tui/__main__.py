from gazette_tui.cli import main

if __name__ == "__main__":  # a worker process may import this module again: it must not run the CLI
    raise SystemExit(main())
