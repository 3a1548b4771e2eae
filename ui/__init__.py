"""The touch UI: PySide6 + Qt Quick over the services of `kiosk`.

`ui.app` starts it; the view-models (QObjects registered for QML as module ``Kiosk``) live next to the
QML files in `ui/qml`, and call the `kiosk` services on worker threads (`ui.worker`).
"""
