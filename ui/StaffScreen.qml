pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Kiosk

// Staff mode: tier and compliance, device status, content statistics, sync with the city, local notices (post / edit /
// withdraw), idle timeout and default font scale, and leaving staff or kiosk mode.
KioskScreen {
    id: screen
    screenName: "staff"
    objectName: "staffScreen"

    property string editingId: ""
    property bool formOpen: false
    property string photo: ""
    property bool draftRestored: false  // the form opened on the draft left unsaved last time

    function statusColor(status: string): color {
        if (status === "present")
            return AppState.ok;
        if (status === "missing")
            return AppState.accent;
        return AppState.subtext;
    }

    function stepOf(key: string): string {
        const setting = Staff.settings[key];
        return setting ? String(setting.step) : "";
    }

    // Whether one tap moves the setting: not past the bounds the option declares.
    function canStep(key: string, direction: int): bool {
        const setting = Staff.settings[key];
        if (!setting)
            return false;
        return direction < 0 ? setting.value > setting.minimum : setting.value < setting.maximum;
    }

    function openForm(row: var) {
        const draft = row ? null : (Staff.draft || null);  // a new notice continues the unsaved draft, if any
        screen.editingId = row ? row.id : "";
        titleField.text = row ? row.title : (draft ? draft.title : "");
        textField.text = row ? row.text : (draft ? draft.text : "");
        fromField.text = row ? row.validFromIso : (draft ? draft.validFrom : "");
        toField.text = row ? row.validToIso : (draft ? draft.validTo : "");
        screen.photo = "";
        screen.draftRestored = draft !== null;
        screen.formOpen = true;
    }

    function keepDraft() {
        if (screen.formOpen && screen.editingId === "")
            Staff.keepDraft(titleField.text, textField.text, fromField.text, toField.text);
    }

    Component.onCompleted: Staff.refresh()

    Connections {
        target: Staff
        function onNoticeSaved() {
            screen.formOpen = false;
            AppState.hideKeyboard();
        }
    }

    Flickable {
        id: flick
        objectName: "staffFlick"
        anchors.fill: parent
        anchors.margins: screen.margin
        contentHeight: content.implicitHeight + 40
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ScrollBar {
            width: 16
            policy: ScrollBar.AlwaysOn
        }

        Column {
            id: content
            width: flick.width - 28
            spacing: 22

            ScreenTitle {
                width: parent.width
                text: qsTr("工作人员模式")
            }

            Text {
                objectName: "staffMessage"
                width: parent.width
                visible: Staff.message !== ""
                text: Staff.message
                color: Staff.messageIsError ? AppState.accent : AppState.ok
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                wrapMode: Text.Wrap
            }

            Flow {
                width: content.width
                spacing: 24
                KButton {
                    objectName: "staffExit"
                    width: Math.max(420, implicitWidth)
                    filled: true
                    text: qsTr("退出工作人员模式")
                    onClicked: {
                        Staff.lock();
                        AppState.home();
                    }
                }
                KButton {
                    objectName: "quitKiosk"
                    width: Math.max(420, implicitWidth)
                    text: qsTr("退出一体机程序")
                    onClicked: confirm.ask(qsTr("退出一体机程序后，屏幕上不再有政务公开专区，居民无法使用，要由工作人员或技术人员重新启动。确定退出吗？"),
                                           qsTr("退出程序"), () => AppState.quitKiosk())
                }
            }
            // --- 首次设置: the setup wizard (kiosk/setup_wizard.py), first while the kiosk is unenrolled ---
            Column {
                objectName: "setupSection"
                width: content.width
                spacing: 22
                SectionTitle {
                    width: parent.width
                    text: qsTr("首次设置")
                }
                KButton {
                    objectName: "openSetupWizard"
                    width: Math.max(420, implicitWidth)
                    filled: Staff.sync.enrolled !== true
                    text: qsTr("设置向导：大厅、登记、设备、PIN、测试打印")
                    onClicked: AppState.open("SetupWizardScreen.qml", {})
                }
            }
            // --- 排队叫号: the staff section of kiosk/features/queue.py, which opens its screen ---
            Column {
                objectName: "queueSection"
                visible: Staff.sections.includes("queue")
                width: content.width
                spacing: 22
                SectionTitle {
                    text: qsTr("排队叫号")
                }
                KButton {
                    objectName: "openStaffQueue"
                    width: Math.max(420, implicitWidth)
                    filled: true
                    text: qsTr("业务和窗口、配对叫号页面、报表")
                    onClicked: AppState.open("StaffQueueScreen.qml", {})
                }
            }
            // --- 公示屏: emergency notices on the hall's displays and their reports (kiosk/signage/desk.py) ---
            Column {
                objectName: "displaySection"
                width: content.width
                spacing: 22
                SectionTitle {
                    text: qsTr("公示屏")
                }
                KButton {
                    objectName: "openStaffDisplay"
                    width: Math.max(420, implicitWidth)
                    filled: true
                    text: qsTr("紧急通知插播、公示屏状态")
                    onClicked: AppState.open("StaffDisplayScreen.qml", {})
                }
            }
            // --- 数据统计: the staff section of kiosk/features/statistics.py, which opens its screen ---
            Column {
                objectName: "statisticsSection"
                visible: Staff.sections.includes("statistics")
                width: content.width
                spacing: 22
                SectionTitle {
                    text: qsTr("数据统计")
                }
                KButton {
                    objectName: "openStatistics"
                    width: Math.max(420, implicitWidth)
                    filled: true
                    text: qsTr("查看使用统计、导出到U盘")
                    onClicked: AppState.openFeature("statistics")
                }
            }
            // --- 信息公开申请: the staff section of kiosk/features/applications.py, which opens its screen ---
            Column {
                objectName: "applicationsSection"
                visible: Staff.sections.includes("applications")
                width: content.width
                spacing: 22
                SectionTitle {
                    text: qsTr("信息公开申请")
                }
                KButton {
                    objectName: "openStaffApplications"
                    width: Math.max(420, implicitWidth)
                    filled: true
                    text: qsTr("代为填写申请、补打回执")
                    onClicked: AppState.open("ApplicationStaffScreen.qml", {})
                }
            }
            // --- local notices: the staff section of 公示公告 (kiosk/features/notices.py) ---
            Column {
                objectName: "noticesSection"
                visible: Staff.sections.includes("notices")
                width: content.width
                spacing: 22
                SectionTitle {
                    text: Staff.tier === "村" ? qsTr("本地公告（村务公开）") : qsTr("本地公告（%1级发布）").arg(Staff.tier)
                }
                KButton {
                    objectName: "newNoticeButton"
                    visible: !screen.formOpen
                    width: 420
                    filled: true
                    text: qsTr("＋ 发布新公告")
                    onClicked: screen.openForm(null)
                }
                Column {
                    objectName: "noticeForm"
                    visible: screen.formOpen
                    width: content.width
                    spacing: 14
                    Label {
                        text: screen.editingId === "" ? qsTr("发布新公告") : qsTr("修改公告")
                        font.family: AppState.fontFamily
                        font.pixelSize: AppState.bodyPx
                        font.bold: true
                        color: AppState.textColor
                    }
                    Text {
                        objectName: "draftRestored"
                        visible: screen.draftRestored
                        text: qsTr("已恢复上次未发布的草稿")
                        color: AppState.subtext
                        font.family: AppState.fontFamily
                        font.pixelSize: AppState.smallPx
                    }
                    FormField {
                        id: titleField
                        objectName: "noticeTitle"
                        width: parent.width
                        placeholderText: qsTr("标题")
                        onTextChanged: screen.keepDraft()
                    }
                    Rectangle {
                        width: parent.width
                        height: 260
                        color: AppState.surface
                        border.color: AppState.border
                        border.width: 2
                        radius: 8
                        TextArea {
                            id: textField
                            objectName: "noticeText"
                            anchors.fill: parent
                            anchors.margins: 8
                            placeholderText: qsTr("公告内容")
                            onTextChanged: screen.keepDraft()
                            placeholderTextColor: AppState.subtext
                            wrapMode: TextEdit.Wrap
                            color: AppState.textColor
                            font.family: AppState.fontFamily
                            font.pixelSize: AppState.bodyPx
                            background: null
                        }
                    }
                    DateChooser {
                        id: fromField
                        objectName: "noticeFrom"
                        width: parent.width
                        label: qsTr("开始公示")
                        emptyText: qsTr("今天")
                        onTextChanged: screen.keepDraft()
                    }
                    DateChooser {
                        id: toField
                        objectName: "noticeTo"
                        width: parent.width
                        label: qsTr("结束公示")
                        emptyText: qsTr("长期")
                        onTextChanged: screen.keepDraft()
                    }
                    Text {
                        width: parent.width
                        text: Staff.photoChoices.length > 0 ? qsTr("照片（可选，来自U盘）：%1").arg(screen.photo === "" ? qsTr("未选择") : screen.photo)
                                                            : qsTr("照片：未找到U盘上的图片（插入U盘后重新打开本页）")
                        color: AppState.subtext
                        font.family: AppState.fontFamily
                        font.pixelSize: AppState.smallPx
                        wrapMode: Text.Wrap
                    }
                    Flow {
                        width: parent.width
                        spacing: 12
                        Repeater {
                            model: Staff.photoChoices
                            delegate: KButton {
                                required property string modelData
                                text: modelData.split("/").pop()
                                filled: screen.photo === modelData
                                onClicked: screen.photo = screen.photo === modelData ? "" : modelData
                            }
                        }
                    }
                    Row {
                        spacing: 16
                        KButton {
                            objectName: "saveNotice"
                            width: 320
                            filled: true
                            text: qsTr("保存并发布")
                            onClicked: Staff.saveNotice(screen.editingId, titleField.text, textField.text, fromField.text, toField.text, screen.photo)
                        }
                        KButton {
                            objectName: "cancelNotice"
                            width: 240
                            text: qsTr("取消")
                            onClicked: {
                                screen.formOpen = false;
                                Staff.discardDraft();
                                AppState.hideKeyboard();
                            }
                        }
                    }
                }
                Repeater {
                    model: Staff.localNotices
                    delegate: Rectangle {
                        id: localNotice
                        required property var modelData
                        required property int index
                        width: content.width
                        height: Math.max(noticeButtons.height, noticeInfo.implicitHeight) + 28
                        color: AppState.surface
                        border.color: AppState.border
                        border.width: 2
                        radius: 10
                        Column {
                            id: noticeInfo
                            anchors.left: parent.left
                            anchors.right: noticeButtons.left
                            anchors.verticalCenter: parent.verticalCenter
                            anchors.margins: 16
                            Text {
                                width: parent.width
                                text: localNotice.modelData.title
                                color: AppState.textColor
                                font.family: AppState.fontFamily
                                font.pixelSize: AppState.bodyPx
                                font.bold: true
                                wrapMode: Text.Wrap
                            }
                            Text {
                                objectName: "noticeScheduled_" + localNotice.index
                                visible: localNotice.modelData.scheduled === true
                                text: qsTr("未开始：%1起向居民公示").arg(localNotice.modelData.validFrom)
                                color: AppState.accent
                                font.family: AppState.fontFamily
                                font.pixelSize: AppState.smallPx
                                font.bold: true
                            }
                            Text {
                                width: parent.width
                                text: qsTr("有效期：%1 至 %2").arg(localNotice.modelData.validFrom).arg(localNotice.modelData.validTo)
                                color: AppState.subtext
                                font.family: AppState.fontFamily
                                font.pixelSize: AppState.smallPx
                            }
                        }
                        Row {
                            id: noticeButtons
                            anchors.right: parent.right
                            anchors.rightMargin: 12
                            anchors.verticalCenter: parent.verticalCenter
                            spacing: 12
                            KButton {
                                objectName: "editNotice_" + localNotice.index
                                width: 150
                                text: qsTr("修改")
                                onClicked: screen.openForm(localNotice.modelData)
                            }
                            KButton {
                                objectName: "withdrawNotice_" + localNotice.index
                                width: 150
                                text: qsTr("撤回")
                                onClicked: confirm.ask(qsTr("撤回后，居民将不再看到公告《%1》。确定撤回吗？").arg(localNotice.modelData.title),
                                                       qsTr("撤回公告"), () => Staff.withdrawNotice(localNotice.modelData.id))
                            }
                        }
                    }
                }
            }

            // --- statistics ---
            SectionTitle {
                text: qsTr("资料统计")
            }
            Text {
                objectName: "staffStats"
                width: content.width
                text: Staff.stats.documents === undefined ? qsTr("资料库暂时无法使用") :
                      Staff.stats.scheduledNotices > 0
                      ? qsTr("政府公报 %1 期；政策文件 %2 篇；政策解读 %3 篇；公示公告正在公示 %4 条（另有 %5 条未开始），其中本地发布的共 %6 条；办事指南 %7 项")
                        .arg(Staff.stats.issues).arg(Staff.stats.documents).arg(Staff.stats.interpretations)
                        .arg(Staff.stats.currentNotices).arg(Staff.stats.scheduledNotices)
                        .arg(Staff.stats.localNotices).arg(Staff.stats.guides)
                      : qsTr("政府公报 %1 期；政策文件 %2 篇；政策解读 %3 篇；公示公告正在公示 %4 条，其中本地发布的共 %5 条；办事指南 %6 项")
                        .arg(Staff.stats.issues).arg(Staff.stats.documents).arg(Staff.stats.interpretations)
                        .arg(Staff.stats.currentNotices).arg(Staff.stats.localNotices).arg(Staff.stats.guides)
                color: AppState.textColor
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                wrapMode: Text.Wrap
            }

            // --- sync with the city ---
            SectionTitle {
                text: qsTr("同步")
            }
            Text {
                objectName: "syncState"
                width: content.width
                // written (and translated) once, by kiosk/sync_text.py
                text: (Staff.sync.lines || []).join("\n")
                color: AppState.textColor
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                wrapMode: Text.Wrap
                lineHeight: 1.2
            }
            Text {
                objectName: "syncStale"
                width: content.width
                visible: Staff.sync.staleText !== undefined && Staff.sync.staleText !== ""
                text: Staff.sync.staleText || ""
                color: AppState.accent
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                font.bold: true
                wrapMode: Text.Wrap
            }
            Text {
                objectName: "syncWarning"
                width: content.width
                visible: !!Staff.sync.warning
                text: Staff.sync.warning || ""
                color: AppState.accent
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                font.bold: true
                wrapMode: Text.Wrap
            }
            Text {
                objectName: "syncError"
                width: content.width
                visible: !!Staff.sync.errorText
                text: Staff.sync.errorText || ""
                color: AppState.subtext
                font.family: AppState.fontFamily
                font.pixelSize: AppState.smallPx
                wrapMode: Text.Wrap
            }
            KButton {
                objectName: "syncNow"
                visible: Staff.sync.enrolled === true && Staff.sync.available === true
                enabled: !Staff.syncing
                width: 420
                filled: true
                text: Staff.syncing ? qsTr("正在同步……") : qsTr("立即同步")
                onClicked: Staff.syncNow()
            }
            Text {
                objectName: "syncResult"
                width: content.width
                visible: Staff.syncResult !== ""
                text: Staff.syncResult
                color: AppState.textColor
                font.family: AppState.fontFamily
                font.pixelSize: AppState.smallPx
                wrapMode: Text.Wrap
            }

            // --- devices ---
            SectionTitle {
                text: qsTr("设备状态")
            }
            Repeater {
                model: Staff.devices
                delegate: Text {
                    required property var modelData
                    width: content.width
                    text: modelData.name + "：" + modelData.status + (modelData.address === "" ? qsTr("（如需使用，请联系技术人员连接并配置）")
                                                                     : modelData.address.startsWith("sim://") ? qsTr("（演示用模拟设备）") : "")
                    color: modelData.ok ? AppState.textColor : AppState.accent
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.bodyPx
                    wrapMode: Text.Wrap
                }
            }

            KButton {
                objectName: "recheckDevices"
                width: 420
                enabled: !Staff.rechecking
                text: Staff.rechecking ? qsTr("正在检测……") : qsTr("重新检测")
                onClicked: Staff.recheckDevices()
            }

            // --- settings: value, step and bounds come from the staff desk (kiosk/options.py) ---
            SectionTitle {
                text: qsTr("设置")
            }
            Flow {
                width: content.width
                spacing: 16
                Text {
                    width: Math.min(implicitWidth, content.width)
                    height: 96
                    verticalAlignment: Text.AlignVCenter
                    text: qsTr("无人操作返回首页：%1 秒").arg(Staff.idleTimeout)
                    color: AppState.textColor
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.bodyPx
                }
                KButton {
                    objectName: "idleLess"
                    width: Math.max(150, implicitWidth)
                    enabled: screen.canStep("kiosk.idle_timeout", -1)
                    text: qsTr("－%1秒").arg(screen.stepOf("kiosk.idle_timeout"))
                    onClicked: Staff.stepSetting("kiosk.idle_timeout", -1)
                }
                KButton {
                    objectName: "idleMore"
                    width: Math.max(150, implicitWidth)
                    enabled: screen.canStep("kiosk.idle_timeout", 1)
                    text: qsTr("＋%1秒").arg(screen.stepOf("kiosk.idle_timeout"))
                    onClicked: Staff.stepSetting("kiosk.idle_timeout", 1)
                }
            }
            Flow {
                width: content.width
                spacing: 16
                Text {
                    width: Math.min(implicitWidth, content.width)
                    height: 96
                    verticalAlignment: Text.AlignVCenter
                    text: qsTr("默认字号：%1 倍").arg(Staff.fontScale.toFixed(1))
                    color: AppState.textColor
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.bodyPx
                }
                KButton {
                    objectName: "fontScaleLess"
                    width: Math.max(150, implicitWidth)
                    enabled: screen.canStep("kiosk.font_scale", -1)
                    text: qsTr("－%1").arg(screen.stepOf("kiosk.font_scale"))
                    onClicked: Staff.stepSetting("kiosk.font_scale", -1)
                }
                KButton {
                    objectName: "fontScaleMore"
                    width: Math.max(150, implicitWidth)
                    enabled: screen.canStep("kiosk.font_scale", 1)
                    text: qsTr("＋%1").arg(screen.stepOf("kiosk.font_scale"))
                    onClicked: Staff.stepSetting("kiosk.font_scale", 1)
                }
            }

            // --- tier and compliance ---
            SectionTitle {
                text: (Staff.compliant ? qsTr("专区层级：%1级　（必备设施齐全）") : qsTr("专区层级：%1级　（缺少必备设施）")).arg(Staff.tier)
            }
            Repeater {
                model: Staff.facilities
                delegate: Rectangle {
                    id: facility
                    required property var modelData
                    width: content.width
                    height: facilityRow.implicitHeight + 20
                    color: AppState.surface
                    border.color: AppState.border
                    border.width: 1
                    Column {
                        id: facilityRow
                        anchors.verticalCenter: parent.verticalCenter
                        x: 16
                        width: parent.width - 32
                        spacing: 4
                        Text {
                            width: parent.width
                            text: facility.modelData.name + (facility.modelData.provided_by !== "" ? qsTr("（由“%1”提供）").arg(facility.modelData.provided_by) : "")
                            color: AppState.textColor
                            font.family: AppState.fontFamily
                            font.pixelSize: AppState.smallPx
                            wrapMode: Text.Wrap
                        }
                        Text {
                            width: parent.width
                            text: facility.modelData.requirement_name + "　" + facility.modelData.status_name
                                  + (facility.modelData.detail !== "" ? "（" + facility.modelData.detail + "）" : "")
                            color: screen.statusColor(facility.modelData.status)
                            font.family: AppState.fontFamily
                            font.pixelSize: AppState.smallPx
                            font.bold: true
                            wrapMode: Text.Wrap
                        }
                    }
                }
            }

        }
    }

    ConfirmDialog {
        id: confirm
    }
}
