#!/usr/bin/env python3
"""Build or preview the clinic's patient-information site: python build.py [build|serve|status|check]."""

import sys

from patientsite.cli import main

if __name__ == "__main__":
    sys.exit(main())
