from ppl2album_tui.cli import main

raise SystemExit(main())
