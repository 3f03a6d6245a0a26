"""patientsite: a multilingual patient-information static site generator.

The build is one straight line of stages over frozen values:
load (config, facts, content, catalogs) -> model (assemble_site) -> render -> write.
"""

__version__ = "0.1.0"
