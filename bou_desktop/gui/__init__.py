"""The Qt front: windows, views and dialogs on top of the core."""
