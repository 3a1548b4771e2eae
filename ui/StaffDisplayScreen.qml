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
    // the playlist entry being made
    property string show: "notices"
    property var weekdays: [1, 2, 3, 4, 5, 6, 7]
    property string daypart: "all"
    property int priority: 0
    property int seconds: 20

    function toggleDay(day: int) {
        const days = screen.weekdays.slice();
        const at = days.indexOf(day);
        if (at >= 0)
            days.splice(at, 1);
        else
            days.push(day);
        screen.weekdays = days.sort();
    }

    // a playlist field's error, in Chinese, under its chooser
    component FieldError: Text {
        required property string field
        required property var errors  // the view-model's fieldErrors
        objectName: "entryError_" + field
        width: parent ? parent.width : 0
        visible: text !== ""
        text: errors[field] || ""
        color: AppState.accent
        font.family: AppState.fontFamily
        font.pixelSize: AppState.bodyPx
        wrapMode: Text.Wrap
    }

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

            // --- the hall's playlist -----------------------------------------------------------------
            SectionTitle {
                text: qsTr("播放列表")
            }
            Repeater {
                model: signage.playlist
                delegate: Flow {
                    id: entryRow
                    required property var modelData
                    width: content.width
                    spacing: 18
                    Text {
                        objectName: "entry_" + entryRow.modelData.id
                        width: Math.min(content.width, Math.max(implicitWidth, content.width - 260))
                        text: qsTr("%1：%2；%3").arg(entryRow.modelData.name).arg(entryRow.modelData.when)
                              .arg(entryRow.modelData.detail)
                        color: AppState.textColor
                        font.family: AppState.fontFamily
                        font.pixelSize: AppState.bodyPx
                        wrapMode: Text.Wrap
                    }
                    KButton {
                        objectName: "deleteEntry_" + entryRow.modelData.id
                        width: Math.max(implicitWidth, 200)
                        text: qsTr("删除")
                        onClicked: signage.deleteEntry(entryRow.modelData.id)
                    }
                }
            }
            Text {
                width: parent.width
                text: qsTr("添加播放项")
                color: AppState.textColor
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                font.bold: true
            }
            Flow {
                width: parent.width
                spacing: 12
                Repeater {
                    model: [["notices", qsTr("公示牌")], ["gazette", qsTr("电子阅报栏")], ["item", qsTr("单篇内容")]]
                    delegate: KButton {
                        required property var modelData
                        objectName: "entryShow_" + modelData[0]
                        width: Math.max(implicitWidth, 220)
                        text: (screen.show === modelData[0] ? "✓ " : "") + modelData[1]
                        filled: screen.show === modelData[0]
                        onClicked: screen.show = modelData[0]
                    }
                }
            }
            FieldError {
                field: "show"
                errors: signage.fieldErrors
            }
            FormField {
                id: itemField
                objectName: "entryItem"
                width: parent.width
                visible: screen.show === "item"
                placeholderText: qsTr("内容编号")
            }
            FieldError {
                field: "item"
                errors: signage.fieldErrors
            }
            DateChooser {
                id: fromField
                objectName: "entryFrom"
                width: parent.width
                label: qsTr("开始日期")
                emptyText: qsTr("即日")
            }
            FieldError {
                field: "from"
                errors: signage.fieldErrors
            }
            DateChooser {
                id: toField
                objectName: "entryTo"
                width: parent.width
                label: qsTr("结束日期")
                emptyText: qsTr("长期")
            }
            FieldError {
                field: "to"
                errors: signage.fieldErrors
            }
            Flow {
                width: parent.width
                spacing: 12
                Repeater {
                    model: [qsTr("周一"), qsTr("周二"), qsTr("周三"), qsTr("周四"), qsTr("周五"), qsTr("周六"), qsTr("周日")]
                    delegate: KButton {
                        required property string modelData
                        required property int index
                        objectName: "entryDay_" + (index + 1)
                        width: Math.max(implicitWidth, 150)
                        text: (screen.weekdays.indexOf(index + 1) >= 0 ? "✓ " : "") + modelData
                        filled: screen.weekdays.indexOf(index + 1) >= 0
                        onClicked: screen.toggleDay(index + 1)
                    }
                }
            }
            FieldError {
                field: "weekdays"
                errors: signage.fieldErrors
            }
            Flow {
                width: parent.width
                spacing: 12
                Repeater {
                    model: signage.dayparts
                    delegate: KButton {
                        required property var modelData
                        objectName: "entryDaypart_" + modelData[0]
                        width: Math.max(implicitWidth, 220)
                        text: (screen.daypart === modelData[0] ? "✓ " : "") + modelData[1]
                        filled: screen.daypart === modelData[0]
                        onClicked: screen.daypart = modelData[0]
                    }
                }
            }
            FieldError {
                field: "times"
                errors: signage.fieldErrors
            }
            Flow {
                width: parent.width
                spacing: 12
                Repeater {
                    model: [[0, qsTr("优先级 0")], [5, qsTr("优先级 5")], [10, qsTr("优先级 10")]]
                    delegate: KButton {
                        required property var modelData
                        objectName: "entryPriority_" + modelData[0]
                        width: Math.max(implicitWidth, 220)
                        text: (screen.priority === modelData[0] ? "✓ " : "") + modelData[1]
                        filled: screen.priority === modelData[0]
                        onClicked: screen.priority = modelData[0]
                    }
                }
            }
            FieldError {
                field: "priority"
                errors: signage.fieldErrors
            }
            Flow {
                width: parent.width
                spacing: 12
                Repeater {
                    model: [[10, qsTr("每页 10 秒")], [20, qsTr("每页 20 秒")], [30, qsTr("每页 30 秒")], [60, qsTr("每页 60 秒")]]
                    delegate: KButton {
                        required property var modelData
                        objectName: "entrySeconds_" + modelData[0]
                        width: Math.max(implicitWidth, 220)
                        text: (screen.seconds === modelData[0] ? "✓ " : "") + modelData[1]
                        filled: screen.seconds === modelData[0]
                        onClicked: screen.seconds = modelData[0]
                    }
                }
            }
            FieldError {
                field: "seconds"
                errors: signage.fieldErrors
            }
            KButton {
                objectName: "addEntry"
                width: Math.max(implicitWidth, 360)
                filled: true
                text: qsTr("添加到播放列表")
                onClicked: signage.addEntry(screen.show, itemField.text, fromField.text, toField.text, screen.weekdays,
                                            screen.daypart, screen.priority, screen.seconds)
            }
        }
    }
}
