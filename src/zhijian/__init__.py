"""Zhijian (智建): the digital thread of intelligent construction."""

__version__ = "0.1.0"
