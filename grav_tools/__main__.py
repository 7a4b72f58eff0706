"""Allow `python -m grav_tools`."""

from grav_tools.cli import main

if __name__ == "__main__":
    main()
