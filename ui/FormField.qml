import QtQuick
import QtQuick.Controls
import Kiosk

// A large single-line text field for staff forms.
TextField {
    implicitHeight: 96
    color: AppState.textColor
    placeholderTextColor: AppState.subtext
    font.family: AppState.fontFamily
    font.pixelSize: AppState.bodyPx
    leftPadding: 16
    background: Rectangle {
        color: AppState.surface
        border.color: AppState.border
        border.width: 2
        radius: 8
    }
}
