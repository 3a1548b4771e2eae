import QtQuick
import Kiosk

// The idle countdown: "即将返回首页" with the seconds left; any touch keeps the resident's screen.
Rectangle {
    id: overlay
    property int seconds: 0
    color: "#cc000000"

    MouseArea {
        anchors.fill: parent
        onClicked: AppState.touch()
    }

    Rectangle {
        anchors.centerIn: parent
        width: Math.min(parent.width * 0.85, 900)
        height: box.implicitHeight + 96
        radius: 24
        color: AppState.surface
        border.width: 4
        border.color: AppState.primary

        Column {
            id: box
            anchors.centerIn: parent
            width: parent.width - 96
            spacing: 36
            Text {
                width: parent.width
                text: qsTr("即将返回首页")
                color: AppState.textColor
                font.family: AppState.fontFamily
                font.pixelSize: 60
                font.bold: true
                horizontalAlignment: Text.AlignHCenter
            }
            Text {
                objectName: "idleSeconds"
                width: parent.width
                text: overlay.seconds
                color: AppState.accent
                font.family: AppState.fontFamily
                font.pixelSize: 140
                font.bold: true
                horizontalAlignment: Text.AlignHCenter
            }
            Text {
                width: parent.width
                text: qsTr("您输入和查看的内容将被清除。如需继续，请点击下方按钮。")
                color: AppState.textColor
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
            }
            KButton {
                objectName: "continueButton"
                anchors.horizontalCenter: parent.horizontalCenter
                width: parent.width * 0.8
                filled: true
                text: qsTr("继续使用")
                textPx: AppState.titlePx
                onClicked: AppState.touch()
            }
        }
    }
}
