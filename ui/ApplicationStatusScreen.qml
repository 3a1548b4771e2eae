pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Kiosk

// 查询申请进度: the application number from the receipt and the last four digits of the phone given, then
// what became of it: received with its deadline, 补正, 延期, 答复 with the kind of reply.
KioskScreen {
    id: screen
    screenName: "applicationStatus"
    objectName: "applicationStatusScreen"

    ApplicationStatus {
        id: status
    }

    ScreenTitle {
        id: title
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: screen.margin
        text: qsTr("查询申请进度")
    }

    Flickable {
        id: flick
        anchors.top: title.bottom
        anchors.topMargin: 24
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.leftMargin: screen.margin
        anchors.rightMargin: screen.margin
        anchors.bottomMargin: screen.margin
        contentHeight: content.implicitHeight
        clip: true
        ScrollBar.vertical: ScrollBar {
            width: 18
            policy: ScrollBar.AsNeeded
        }

        Column {
            id: content
            width: flick.width - 24
            spacing: 24

            ApplicationField {
                id: numberField
                width: parent.width
                key: "status_number"
                label: qsTr("申请编号（见申请回执）")
                hint: qsTr("如 NNA9RF-261204-073C")
                inputHints: Qt.ImhPreferUppercase | Qt.ImhNoPredictiveText
                onEdited: text => numberField.value = text
            }
            ApplicationField {
                id: phoneField
                width: parent.width
                key: "status_phone"
                label: qsTr("申请时所留电话号码的后4位")
                inputHints: Qt.ImhDigitsOnly
                onEdited: text => phoneField.value = text
            }
            KButton {
                objectName: "applicationStatusLook"
                width: Math.max(implicitWidth, 360)
                height: Math.max(implicitHeight, 120)
                filled: true
                text: status.busy ? qsTr("正在查询…") : qsTr("查询")
                enabledLook: !status.busy
                onClicked: status.look(numberField.value, phoneField.value)
            }
            Text {
                objectName: "applicationStatusMessage"
                width: parent.width
                visible: status.message !== ""
                text: status.message
                color: AppState.accent
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                font.bold: true
                wrapMode: Text.Wrap
            }
            Text {
                objectName: "applicationStatusState"
                width: parent.width
                visible: (status.found.state || "") !== ""
                text: qsTr("申请 %1：%2").arg(status.found.number || "").arg(status.found.state || "")
                color: AppState.primary
                font.family: AppState.fontFamily
                font.pixelSize: AppState.titlePx
                font.bold: true
                wrapMode: Text.WrapAnywhere
            }
            Repeater {
                model: status.found.rows || []
                delegate: Rectangle {
                    id: row
                    required property var modelData
                    required property int index
                    objectName: "statusRow_" + index
                    width: content.width
                    height: rowColumn.implicitHeight + 32
                    color: AppState.surface
                    border.color: AppState.border
                    border.width: 2
                    radius: 8
                    Column {
                        id: rowColumn
                        anchors.left: parent.left
                        anchors.right: parent.right
                        anchors.top: parent.top
                        anchors.margins: 16
                        spacing: 8
                        Text {
                            width: parent.width
                            text: row.modelData.title
                            color: AppState.textColor
                            font.family: AppState.fontFamily
                            font.pixelSize: AppState.titlePx
                            font.bold: true
                            wrapMode: Text.Wrap
                        }
                        Text {
                            width: parent.width
                            visible: row.modelData.text !== ""
                            text: row.modelData.text
                            color: AppState.textColor
                            font.family: AppState.fontFamily
                            font.pixelSize: AppState.bodyPx
                            wrapMode: Text.Wrap
                        }
                    }
                }
            }
        }
    }
}
