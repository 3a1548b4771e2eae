"""The city side of zwgk-kiosk: signing keys, kiosk enrolment, channel publishing, USB export and a
reference server (channel files, upload inbox, fleet view). Shares only the channel format with the
kiosk (`content.channel`); the kiosk never imports this package."""
