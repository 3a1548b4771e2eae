import QtQuick
import Kiosk

// A section heading on the staff screen.
Text {
    topPadding: 18
    color: AppState.primary
    font.family: AppState.fontFamily
    font.pixelSize: AppState.titlePx
    font.bold: true
    wrapMode: Text.Wrap
}
