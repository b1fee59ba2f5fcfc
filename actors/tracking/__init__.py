"""Visitor tracking (访客轨迹): pure policies over what a browser reports, apart from actors."""
