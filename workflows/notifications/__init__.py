"""Notifications: the in-app message and its e-mail, and the milestones that send one."""
