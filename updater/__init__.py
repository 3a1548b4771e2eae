"""The root helper that installs signed kiosk updates (`zwgk-kiosk-update`, run at night by
`zwgk-kiosk-update.timer`, never by the GUI): the standard library and `cryptography` only, so nothing the
kiosk user can change is imported into a root process."""
