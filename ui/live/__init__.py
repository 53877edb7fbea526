"""The Live crisis page, one component a module: intake, header, scenarios, decisions...

``ui/pages/live.py`` only picks what to show; :mod:`ui.live.view` lays out a crisis.
"""
