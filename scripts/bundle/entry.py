"""The bundle's executable: the same `voicemail-coach` command pip installs."""

import sys

from voicemail_coach.app.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
