pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Kiosk

// Staff: 信息公开申请 on this kiosk: why it takes none (no city key), 代为填写 (staff fill the form on a
// resident's behalf, Art. 29), and the recent applications with 补打回执.
KioskScreen {
    id: screen
    screenName: "applicationStaff"
    objectName: "applicationStaffScreen"

    ApplicationStaff {
        id: staff
    }

    ScreenTitle {
        id: title
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: screen.margin
        text: qsTr("信息公开申请")
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

            Text {
                objectName: "applicationUnavailable"
                width: parent.width
                visible: staff.unavailable !== ""
                text: staff.unavailable
                color: AppState.accent
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                font.bold: true
                wrapMode: Text.Wrap
            }
            KButton {
                objectName: "applicationStaffFill"
                visible: staff.unavailable === ""
                width: Math.max(420, implicitWidth)
                filled: true
                text: qsTr("代为填写申请")
                subtitle: qsTr("申请人书写确有困难时，由工作人员代为填写（条例第二十九条）")
                onClicked: AppState.open("applications", {staffFill: true})
            }
            Text {
                objectName: "applicationStaffMessage"
                width: parent.width
                visible: staff.message !== ""
                text: staff.message
                color: AppState.textColor
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                font.bold: true
                wrapMode: Text.Wrap
            }
            SectionTitle {
                visible: staff.recent.length > 0
                text: qsTr("最近的申请")
            }
            Repeater {
                model: staff.recent
                delegate: Rectangle {
                    id: row
                    required property var modelData
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
                        spacing: 12
                        Text {
                            width: parent.width
                            text: row.modelData.number
                            color: AppState.textColor
                            font.family: AppState.fontFamily
                            font.pixelSize: AppState.titlePx
                            font.bold: true
                            wrapMode: Text.WrapAnywhere
                        }
                        Text {
                            width: parent.width
                            text: qsTr("收到 %1 · 答复期限 %2 · %3 · %4").arg(row.modelData.receivedOn)
                                  .arg(row.modelData.deadline).arg(row.modelData.agency)
                                  .arg(row.modelData.status === "received" ? qsTr("已受理") : qsTr("未受理"))
                            color: AppState.subtext
                            font.family: AppState.fontFamily
                            font.pixelSize: AppState.bodyPx
                            wrapMode: Text.Wrap
                        }
                        KButton {
                            objectName: "reprint_" + row.modelData.number
                            visible: row.modelData.status === "received"
                            width: Math.max(300, implicitWidth)
                            text: qsTr("补打回执")
                            onClicked: staff.reprint(row.modelData.number)
                        }
                    }
                }
            }
        }
    }
}
