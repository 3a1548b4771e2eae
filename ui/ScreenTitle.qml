import QtQuick
import Kiosk

// The big title line at the top of a screen.
Text {
    color: AppState.textColor
    font.family: AppState.fontFamily
    font.pixelSize: AppState.titlePx
    font.bold: true
    wrapMode: Text.Wrap
}
