import sys

from voicemail_coach.app.cli.main import main

sys.exit(main())
