"""BoU Desktop: collect and compile SKL's survey on systematic follow-up of placed children."""

__version__ = "0.1.0"
APP_NAME = "BoU Desktop"
