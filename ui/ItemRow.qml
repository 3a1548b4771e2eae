import QtQuick
import Kiosk

// One tappable row of a list: a title and a line of details (文号, date, kind).
Rectangle {
    id: row

    property string title: ""
    property string details: ""
    property string badge: ""
    property bool active: true

    signal clicked

    implicitHeight: Math.max(110, content.implicitHeight + 36)
    radius: 12
    color: area.pressed ? AppState.pressed : AppState.surface
    border.width: 2
    border.color: AppState.border
    opacity: row.active ? 1.0 : 0.55
    Accessible.role: Accessible.Button
    Accessible.name: row.title

    Column {
        id: content
        anchors.left: parent.left
        anchors.right: arrow.left
        anchors.verticalCenter: parent.verticalCenter
        anchors.leftMargin: 24
        anchors.rightMargin: 12
        spacing: 6

        Text {
            width: parent.width
            visible: row.badge !== ""
            text: row.badge
            color: AppState.accent
            font.family: AppState.fontFamily
            font.pixelSize: AppState.smallPx
            font.bold: true
        }
        Text {
            width: parent.width
            text: row.title
            color: AppState.textColor
            font.family: AppState.fontFamily
            font.pixelSize: AppState.bodyPx
            font.bold: true
            wrapMode: Text.Wrap
        }
        Text {
            width: parent.width
            visible: row.details !== ""
            text: row.details
            color: AppState.subtext
            font.family: AppState.fontFamily
            font.pixelSize: AppState.smallPx
            wrapMode: Text.Wrap
        }
    }

    Text {
        id: arrow
        anchors.right: parent.right
        anchors.rightMargin: 24
        anchors.verticalCenter: parent.verticalCenter
        visible: row.active
        text: "›"
        color: AppState.primary
        font.pixelSize: AppState.titlePx * 1.4
        font.bold: true
    }

    MouseArea {
        id: area
        anchors.fill: parent
        enabled: row.active
        onClicked: row.clicked()
    }
}
