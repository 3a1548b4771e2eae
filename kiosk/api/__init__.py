"""The kiosk's local HTTP API (calling pages, the display's feed, health): the only part of `kiosk/`
that listens on a port. `runner.ApiRunner` starts it for `kiosk run`; `server` says how it is put together."""
