pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Kiosk

// Staff: 公示屏. An emergency notice (紧急通知) interrupts every display of the hall until it ends or is
// withdrawn; below, what each display reports (what it shows since when, or how long it has been silent).
KioskScreen {
    id: screen
    screenName: "staffDisplay"
    objectName: "staffDisplayScreen"

    StaffSignage {
        id: signage
    }
    Connections {
        target: signage
        function onPosted() {
            titleField.text = "";
            textField.text = "";
            AppState.hideKeyboard();
        }
    }

    property int hours: 1  // how long the next notice stays up (0: until withdrawn)

    Column {
        id: header
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: screen.margin
        spacing: 12
        ScreenTitle {
            width: parent.width
            text: qsTr("公示屏")
        }
        Text {
            objectName: "staffDisplayMessage"
            width: parent.width
            visible: signage.message !== ""
            text: signage.message
            color: signage.messageIsError ? AppState.accent : AppState.ok
            font.family: AppState.fontFamily
            font.pixelSize: AppState.bodyPx
            font.bold: true
            wrapMode: Text.Wrap
        }
    }

    Flickable {
        id: flick
        anchors.top: header.bottom
        anchors.topMargin: 20
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
            spacing: 22

            // --- the notices up now ------------------------------------------------------------------
            SectionTitle {
                text: qsTr("正在插播的紧急通知")
            }
            Message {
                objectName: "noEmergency"
                width: parent.width
                horizontalAlignment: Text.AlignLeft
                visible: signage.notices.length === 0
                text: qsTr("没有。公示屏按播放列表正常播放。")
            }
            Repeater {
                model: signage.notices
                delegate: Flow {
                    id: noticeRow
                    required property var modelData
                    required property int index
                    width: content.width
                    spacing: 18
                    Text {
                        objectName: "emergency_" + noticeRow.index
                        width: Math.min(content.width, Math.max(implicitWidth, content.width - 260))
                        text: qsTr("%1（%2%3）").arg(noticeRow.modelData.title).arg(noticeRow.modelData.until)
                              .arg(noticeRow.modelData.fromCity ? qsTr("，市级下发") : "")
                        color: AppState.textColor
                        font.family: AppState.fontFamily
                        font.pixelSize: AppState.bodyPx
                        wrapMode: Text.Wrap
                    }
                    KButton {
                        objectName: "withdrawEmergency_" + noticeRow.index
                        width: Math.max(implicitWidth, 200)
                        text: qsTr("撤回")
                        onClicked: signage.withdraw(noticeRow.modelData.id)
                    }
                }
            }

            // --- a new one -----------------------------------------------------------------------------
            SectionTitle {
                text: qsTr("发布紧急通知")
            }
            FormField {
                id: titleField
                objectName: "emergencyTitle"
                width: parent.width
                placeholderText: qsTr("标题，如：下午停电暂停办理")
            }
            Rectangle {
                width: parent.width
                height: Math.max(200, textField.implicitHeight + 16)
                color: AppState.surface
                border.color: AppState.border
                border.width: 2
                radius: 8
                TextArea {
                    id: textField
                    objectName: "emergencyText"
                    anchors.fill: parent
                    anchors.margins: 8
                    placeholderText: qsTr("内容（可不填）")
                    placeholderTextColor: AppState.subtext
                    wrapMode: TextEdit.Wrap
                    color: AppState.textColor
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.bodyPx
                    background: null
                }
            }
            Text {
                width: parent.width
                text: qsTr("插播多久")
                color: AppState.textColor
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                font.bold: true
            }
            Flow {
                width: parent.width
                spacing: 12
                Repeater {
                    model: [[1, qsTr("1小时")], [4, qsTr("4小时")], [24, qsTr("24小时")], [0, qsTr("撤回为止")]]
                    delegate: KButton {
                        required property var modelData
                        objectName: "emergencyHours_" + modelData[0]
                        width: Math.max(implicitWidth, 200)
                        text: (screen.hours === modelData[0] ? "✓ " : "") + modelData[1]
                        filled: screen.hours === modelData[0]
                        onClicked: screen.hours = modelData[0]
                    }
                }
            }
            KButton {
                objectName: "postEmergency"
                width: Math.max(implicitWidth, 360)
                filled: true
                text: qsTr("发布并插播")
                onClicked: signage.post(titleField.text, textField.text, screen.hours)
            }

            // --- the displays ----------------------------------------------------------------------------
            SectionTitle {
                text: qsTr("公示屏状态")
            }
            Message {
                objectName: "noDisplay"
                width: parent.width
                horizontalAlignment: Text.AlignLeft
                visible: signage.displays.length === 0
                text: qsTr("还没有公示屏连接本机（公示屏运行 kiosk display 后，每分钟报告一次）。")
            }
            Repeater {
                model: signage.displays
                delegate: Text {
                    required property string modelData
                    required property int index
                    objectName: "displayLine_" + index
                    width: content.width
                    text: modelData
                    color: AppState.textColor
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.bodyPx
                    wrapMode: Text.Wrap
                }
            }
            Flow {
                width: parent.width
                spacing: 12
                KButton {
                    objectName: "refreshDisplays"
                    width: Math.max(implicitWidth, 260)
                    text: qsTr("刷新")
                    onClicked: signage.refresh()
                }
                KButton {
                    objectName: "pairDisplay"
                    width: Math.max(implicitWidth, 260)
                    text: qsTr("配对其他电脑上的公示屏")
                    onClicked: signage.pairDisplay()
                }
                KButton {
                    objectName: "sendScreenshots"
                    width: Math.max(implicitWidth, 260)
                    text: qsTr("截图发给市级平台")
                    onClicked: signage.sendScreenshots()
                }
            }
        }
    }
}
