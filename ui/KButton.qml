import QtQuick
import Kiosk

// A large, clearly bordered touch button (at least 96 px high: touch targets >= 90 px).
Rectangle {
    id: control

    property string text: ""
    property string subtitle: ""
    property bool filled: false
    property bool enabledLook: true
    property int textPx: AppState.bodyPx

    signal clicked

    implicitHeight: Math.max(96, column.implicitHeight + 32)
    implicitWidth: Math.max(160, label.implicitWidth + 56)
    radius: 14
    border.width: 3
    border.color: control.filled ? AppState.primary : AppState.border
    color: area.pressed ? AppState.pressed : (control.filled ? AppState.primary : AppState.surface)
    opacity: control.enabledLook ? 1.0 : 0.45
    Accessible.role: Accessible.Button
    Accessible.name: control.text

    Column {
        id: column
        anchors.centerIn: parent
        width: control.width - 28
        spacing: 4

        Text {
            id: label
            width: parent.width
            text: control.text
            color: control.filled && !area.pressed ? AppState.onPrimary : AppState.textColor
            font.family: AppState.fontFamily
            font.pixelSize: control.textPx
            font.bold: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
        }

        Text {
            width: parent.width
            visible: control.subtitle !== ""
            text: control.subtitle
            color: control.filled && !area.pressed ? AppState.onPrimary : AppState.subtext
            font.family: AppState.fontFamily
            font.pixelSize: AppState.smallPx
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
        }
    }

    MouseArea {
        id: area
        anchors.fill: parent
        enabled: control.enabledLook
        onClicked: control.clicked()
    }
}
