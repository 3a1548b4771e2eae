import QtQuick
import Kiosk

// A centred message for empty lists, loading and errors.
Text {
    color: AppState.subtext
    font.family: AppState.fontFamily
    font.pixelSize: AppState.bodyPx
    horizontalAlignment: Text.AlignHCenter
    wrapMode: Text.Wrap
}
