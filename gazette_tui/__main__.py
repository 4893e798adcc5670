from gazette_tui.cli import main

raise SystemExit(main())
