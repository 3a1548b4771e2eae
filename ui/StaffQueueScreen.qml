pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Kiosk

// Staff: the queue's services and windows (add, edit; a window's PIN and its lock), a window's calling
// page paired by a QR code, the paired devices (revoke one or all), and the reports per day, week and
// month (tickets, waits, service times, 过号, ratings) with their CSV.
KioskScreen {
    id: screen
    screenName: "staffQueue"
    objectName: "staffQueueScreen"

    QueueStaff {
        id: staff
    }
    Connections {
        target: staff
        function onSaved() {
            screen.serviceForm = {};
            screen.windowForm = {};
        }
    }

    // The service or window being edited: a copy of its values ({} none); `isNew` when adding.
    property var serviceForm: ({})
    property var windowForm: ({})
    property bool isNew: false

    function editService(values, fresh) {
        screen.windowForm = {};
        screen.isNew = fresh;
        screen.serviceForm = fresh ? {key: "", name: "", prefix: "", hours: ["08:30-12:00", "13:30-17:00"],
                                      daily_cap: 300, id_card: "optional", category: "公民类", estimate_minutes: 5}
                                   : Object.assign({}, values);
        // The fields are filled once here, not bound: a tap on a choice below must not undo typing.
        keyField.text = screen.serviceForm.key;
        nameField.text = screen.serviceForm.name;
        prefixField.text = screen.serviceForm.prefix;
        hoursField.text = screen.serviceForm.hours.join("、");
        capField.text = String(screen.serviceForm.daily_cap);
        minutesField.text = String(screen.serviceForm.estimate_minutes);
    }
    function pinText(window) {
        if (!window.pinSet)
            return qsTr("未设配对密码（只能扫码配对）");
        if (window.pinStaffOnly)
            return qsTr("密码配对已锁定：多次输错，需工作人员解除");
        if (window.pinLockedMinutes > 0)
            return qsTr("密码配对已锁定，约 %1 分钟后自动解除").arg(window.pinLockedMinutes);
        return qsTr("已设配对密码");
    }
    function editWindow(values, fresh) {
        screen.serviceForm = {};
        screen.isNew = fresh;
        screen.windowForm = fresh ? {number: staff.windows.length + 1, name: "", services: []}
                                  : Object.assign({}, values);
        windowNumber.text = String(screen.windowForm.number);
        windowName.text = screen.windowForm.name;
        windowPin.text = "";
    }

    // The message sits under the title, so it is seen wherever the list is scrolled to (a form's save
    // is far down); a Column leaves no gap while there is none.
    Column {
        id: header
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: screen.margin
        spacing: 12
        ScreenTitle {
            width: parent.width
            text: qsTr("排队叫号设置")
        }
        Text {
            objectName: "staffQueueMessage"
            width: parent.width
            visible: staff.message !== ""
            text: staff.message
            color: staff.messageIsError ? AppState.accent : AppState.ok
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

            Text {
                width: parent.width
                visible: staff.printFailures > 0
                text: qsTr("今天有 %1 张号票未能打印（打印机缺纸或故障），请检查打印机。").arg(staff.printFailures)
                color: AppState.accent
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                wrapMode: Text.Wrap
            }

            // --- services ----------------------------------------------------------------------------
            SectionTitle {
                text: qsTr("业务")
            }
            Message {
                width: parent.width
                horizontalAlignment: Text.AlignLeft
                visible: staff.services.length === 0
                text: qsTr("还没有业务。新增业务和窗口后，首页出现“排队取号”。")
            }
            Repeater {
                model: staff.services
                delegate: Flow {
                    id: serviceRow
                    required property var modelData
                    width: content.width
                    spacing: 18
                    Text {
                        width: Math.min(content.width, Math.max(implicitWidth, content.width - 360))
                        text: qsTr("%1 %2（%3）：今天已取 %4，等候 %5 人").arg(serviceRow.modelData.prefix).arg(serviceRow.modelData.name)
                              .arg(serviceRow.modelData.hours.join("、")).arg(serviceRow.modelData.issuedToday).arg(serviceRow.modelData.waiting)
                        color: AppState.textColor
                        font.family: AppState.fontFamily
                        font.pixelSize: AppState.bodyPx
                        wrapMode: Text.Wrap
                    }
                    KButton {
                        objectName: "editService_" + serviceRow.modelData.key
                        width: Math.max(implicitWidth, 200)
                        text: qsTr("修改")
                        onClicked: screen.editService(serviceRow.modelData, false)
                    }
                }
            }
            KButton {
                objectName: "addService"
                width: Math.max(implicitWidth, 320)
                text: qsTr("新增业务")
                onClicked: screen.editService({}, true)
            }

            // the service form
            Column {
                objectName: "serviceForm"
                visible: screen.serviceForm.prefix !== undefined
                width: parent.width
                spacing: 16
                Text {
                    width: parent.width
                    visible: screen.isNew
                    text: qsTr("编号（字母或数字，如 shebao）")
                    color: AppState.subtext
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.smallPx
                    wrapMode: Text.Wrap
                }
                FormField {
                    id: keyField
                    objectName: "serviceKey"
                    visible: screen.isNew
                    width: parent.width
                    placeholderText: qsTr("编号（字母或数字，如 shebao）")
                }
                Text {
                    width: parent.width
                    text: qsTr("业务名称")
                    color: AppState.subtext
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.smallPx
                    wrapMode: Text.Wrap
                }
                FormField {
                    id: nameField
                    objectName: "serviceName"
                    width: parent.width
                    placeholderText: qsTr("业务名称")
                }
                Text {
                    width: parent.width
                    text: qsTr("号码前缀（1–2 个大写字母）")
                    color: AppState.subtext
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.smallPx
                    wrapMode: Text.Wrap
                }
                FormField {
                    id: prefixField
                    objectName: "servicePrefix"
                    width: parent.width
                    placeholderText: qsTr("号码前缀，如 A")
                }
                Text {
                    width: parent.width
                    text: qsTr("办理时间（如 08:30-12:00、13:30-17:00，午休不写）")
                    color: AppState.subtext
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.smallPx
                    wrapMode: Text.Wrap
                }
                FormField {
                    id: hoursField
                    objectName: "serviceHours"
                    width: parent.width
                    placeholderText: qsTr("办理时间")
                }
                Text {
                    width: parent.width
                    text: qsTr("每天最多取号数")
                    color: AppState.subtext
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.smallPx
                    wrapMode: Text.Wrap
                }
                FormField {
                    id: capField
                    objectName: "serviceCap"
                    width: parent.width
                    inputMethodHints: Qt.ImhDigitsOnly
                    placeholderText: qsTr("每天最多取号数")
                }
                Text {
                    width: parent.width
                    text: qsTr("每人大约办理几分钟（用于估计等候时间）")
                    color: AppState.subtext
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.smallPx
                    wrapMode: Text.Wrap
                }
                FormField {
                    id: minutesField
                    objectName: "serviceMinutes"
                    width: parent.width
                    inputMethodHints: Qt.ImhDigitsOnly
                    placeholderText: qsTr("每人大约办理几分钟")
                }
                Flow {
                    width: parent.width
                    spacing: 16
                    Repeater {
                        model: [["none", qsTr("不刷身份证")], ["optional", qsTr("可刷身份证")], ["required", qsTr("必须刷身份证")]]
                        delegate: KButton {
                            required property var modelData
                            objectName: "idCard_" + modelData[0]
                            width: Math.max(implicitWidth, 260)
                            filled: screen.serviceForm.id_card === modelData[0]
                            text: modelData[1]
                            onClicked: screen.serviceForm = Object.assign({}, screen.serviceForm, {id_card: modelData[0]})
                        }
                    }
                }
                Flow {
                    width: parent.width
                    spacing: 16
                    Repeater {
                        model: ["公民类", "企业类"]
                        delegate: KButton {
                            required property string modelData
                            width: Math.max(implicitWidth, 260)
                            filled: screen.serviceForm.category === modelData
                            text: modelData
                            onClicked: screen.serviceForm = Object.assign({}, screen.serviceForm, {category: modelData})
                        }
                    }
                }
                Flow {
                    width: parent.width
                    spacing: 16
                    KButton {
                        objectName: "saveService"
                        width: Math.max(implicitWidth, 260)
                        filled: true
                        text: qsTr("保存")
                        onClicked: {
                            staff.saveService(Object.assign({}, screen.serviceForm, {
                                key: screen.isNew ? keyField.text.trim() : screen.serviceForm.key,
                                name: nameField.text.trim(),
                                prefix: prefixField.text.trim().toUpperCase(),
                                hours: hoursField.text,
                                daily_cap: capField.text,
                                estimate_minutes: minutesField.text
                            }));
                        }
                    }
                    KButton {
                        width: Math.max(implicitWidth, 260)
                        text: qsTr("取消")
                        onClicked: screen.serviceForm = {}
                    }
                }
            }

            // --- windows -----------------------------------------------------------------------------
            SectionTitle {
                text: qsTr("窗口")
            }
            Repeater {
                model: staff.windows
                delegate: Flow {
                    id: windowRow
                    required property var modelData
                    width: content.width
                    spacing: 18
                    Text {
                        width: Math.min(content.width, Math.max(implicitWidth, content.width - 600))
                        text: qsTr("%1：%2%3").arg(windowRow.modelData.name).arg(windowRow.modelData.serviceNames || qsTr("无业务"))
                              .arg(windowRow.modelData.paused ? qsTr("（暂停服务）") : (windowRow.modelData.current ? qsTr("（正在办理 %1）").arg(windowRow.modelData.current) : ""))
                              + "\n" + screen.pinText(windowRow.modelData)
                        color: AppState.textColor
                        font.family: AppState.fontFamily
                        font.pixelSize: AppState.bodyPx
                        wrapMode: Text.Wrap
                    }
                    KButton {
                        objectName: "pairWindow_" + windowRow.modelData.number
                        width: Math.max(implicitWidth, 260)
                        filled: true
                        text: qsTr("配对叫号页面")
                        onClicked: staff.pair(windowRow.modelData.number)
                    }
                    KButton {
                        objectName: "unlockPin_" + windowRow.modelData.number
                        visible: windowRow.modelData.pinStaffOnly || windowRow.modelData.pinLockedMinutes > 0
                        width: Math.max(implicitWidth, 260)
                        text: qsTr("解除密码锁定")
                        onClicked: staff.unlockWindowPin(windowRow.modelData.number)
                    }
                    KButton {
                        objectName: "editWindow_" + windowRow.modelData.number
                        width: Math.max(implicitWidth, 200)
                        text: qsTr("修改")
                        onClicked: screen.editWindow(windowRow.modelData, false)
                    }
                }
            }
            KButton {
                objectName: "addWindow"
                width: Math.max(implicitWidth, 320)
                text: qsTr("新增窗口")
                onClicked: screen.editWindow({}, true)
            }

            // the window form
            Column {
                objectName: "windowForm"
                visible: screen.windowForm.number !== undefined
                width: parent.width
                spacing: 16
                Text {
                    width: parent.width
                    visible: screen.isNew
                    text: qsTr("窗口号")
                    color: AppState.subtext
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.smallPx
                    wrapMode: Text.Wrap
                }
                FormField {
                    id: windowNumber
                    objectName: "windowNumber"
                    visible: screen.isNew
                    width: parent.width
                    inputMethodHints: Qt.ImhDigitsOnly
                    placeholderText: qsTr("窗口号")
                }
                Text {
                    width: parent.width
                    text: qsTr("窗口名称")
                    color: AppState.subtext
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.smallPx
                    wrapMode: Text.Wrap
                }
                FormField {
                    id: windowName
                    objectName: "windowName"
                    width: parent.width
                    placeholderText: qsTr("窗口名称，如 3号窗口")
                }
                Flow {
                    width: parent.width
                    spacing: 16
                    Repeater {
                        model: staff.services
                        delegate: KButton {
                            required property var modelData
                            objectName: "windowService_" + modelData.key
                            readonly property bool served: (screen.windowForm.services || []).includes(modelData.key)
                            width: Math.max(implicitWidth, 260)
                            filled: served
                            text: (served ? "✓ " : "") + modelData.name
                            onClicked: {
                                const chosen = (screen.windowForm.services || []).filter(k => k !== modelData.key);
                                if (!served)
                                    chosen.push(modelData.key);
                                screen.windowForm = Object.assign({}, screen.windowForm, {services: chosen});
                            }
                        }
                    }
                }
                // the window's PIN for 窗口号 + 密码 pairing, set on its own (a saved window only)
                Flow {
                    width: parent.width
                    visible: !screen.isNew
                    spacing: 16
                    FormField {
                        id: windowPin
                        objectName: "windowPin"
                        width: parent.width
                        echoMode: TextInput.Password
                        inputMethodHints: Qt.ImhDigitsOnly
                        maximumLength: 8
                        placeholderText: qsTr("新配对密码，6–8 位数字")
                    }
                    KButton {
                        objectName: "setWindowPin"
                        width: Math.max(implicitWidth, 260)
                        text: qsTr("设置配对密码")
                        onClicked: {
                            staff.setWindowPin(screen.windowForm.number, windowPin.text);
                            windowPin.text = "";
                        }
                    }
                }
                Flow {
                    width: parent.width
                    spacing: 16
                    KButton {
                        objectName: "saveWindow"
                        width: Math.max(implicitWidth, 260)
                        filled: true
                        text: qsTr("保存")
                        onClicked: staff.saveWindow(parseInt(windowNumber.text) || 0, windowName.text.trim(), screen.windowForm.services || [])
                    }
                    KButton {
                        width: Math.max(implicitWidth, 260)
                        text: qsTr("取消")
                        onClicked: screen.windowForm = {}
                    }
                }
            }

            // the pairing QR of the window asked for
            Column {
                objectName: "pairing"
                visible: staff.pairing.qr !== undefined
                width: parent.width
                spacing: 12
                Text {
                    width: parent.width
                    text: qsTr("用%1的手机或电脑扫描下面的二维码，打开叫号页面并确认配对（%2 分钟内有效，只能用一次）。")
                          .arg(staff.pairing.name || "").arg(staff.pairing.minutes || 0)
                    color: AppState.textColor
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.bodyPx
                    wrapMode: Text.Wrap
                }
                Image {
                    objectName: "pairingQr"
                    width: 360
                    height: 360
                    source: staff.pairing.qr || ""
                    fillMode: Image.PreserveAspectFit
                    smooth: false
                }
            }

            // --- paired devices: each window's phones and PCs, revoked one by one or all ---------------
            SectionTitle {
                text: qsTr("已配对的设备")
            }
            Text {
                width: parent.width
                visible: staff.devices.length === 0
                text: qsTr("没有已配对的设备。")
                color: AppState.subtext
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                wrapMode: Text.Wrap
            }
            Repeater {
                model: staff.devices
                delegate: Flow {
                    id: deviceRow
                    required property var modelData
                    width: content.width
                    spacing: 18
                    Text {
                        objectName: "device_" + deviceRow.modelData.id
                        width: Math.min(content.width, Math.max(implicitWidth, content.width - 300))
                        text: qsTr("%1：%2\n配对于 %3，%4").arg(deviceRow.modelData.windowName)
                              .arg(deviceRow.modelData.label || qsTr("未知设备"))
                              .arg(deviceRow.modelData.pairedAt)
                              .arg(deviceRow.modelData.lastSeen ? qsTr("最近使用 %1").arg(deviceRow.modelData.lastSeen) : qsTr("尚未使用"))
                        color: AppState.textColor
                        font.family: AppState.fontFamily
                        font.pixelSize: AppState.bodyPx
                        wrapMode: Text.Wrap
                    }
                    KButton {
                        objectName: "revokeDevice_" + deviceRow.modelData.id
                        width: Math.max(implicitWidth, 200)
                        text: qsTr("撤销")
                        onClicked: staff.revokeDevice(deviceRow.modelData.id)
                    }
                }
            }
            KButton {
                objectName: "revokeAllDevices"
                visible: staff.devices.length > 1
                width: Math.max(implicitWidth, 320)
                text: qsTr("撤销全部设备")
                onClicked: confirm.ask(qsTr("撤销后，这 %1 台手机和电脑都不能再叫号，要在各窗口重新扫码配对。确定撤销全部设备吗？")
                                       .arg(staff.devices.length), qsTr("撤销全部"), () => staff.revokeAllDevices())
            }

            // --- reports -----------------------------------------------------------------------------
            SectionTitle {
                text: qsTr("报表")
            }
            Flow {
                width: parent.width
                spacing: 16
                Repeater {
                    model: [["day", qsTr("今天")], ["week", qsTr("本周")], ["month", qsTr("本月")]]
                    delegate: KButton {
                        required property var modelData
                        objectName: "report_" + modelData[0]
                        width: Math.max(implicitWidth, 200)
                        text: modelData[1]
                        onClicked: staff.report(modelData[0])
                    }
                }
                KButton {
                    objectName: "exportReport"
                    visible: staff.reportRows.length > 0
                    width: Math.max(implicitWidth, 260)
                    text: qsTr("导出 CSV")
                    onClicked: staff.exportReport()
                }
            }
            Text {
                width: parent.width
                visible: staff.reportSpan !== ""
                text: staff.reportSpan
                color: AppState.subtext
                font.family: AppState.fontFamily
                font.pixelSize: AppState.smallPx
                wrapMode: Text.Wrap
            }
            Repeater {
                model: staff.reportRows
                delegate: Text {
                    required property var modelData
                    required property int index
                    objectName: "reportRow_" + index
                    width: content.width
                    text: qsTr("%1：取号 %2，办结 %3，过号 %4，等候中位 %5 分钟（P90 %6），办理中位 %7 分钟，评价 %8 条（满意 %9）")
                          .arg(modelData.name).arg(modelData.issued).arg(modelData.served).arg(modelData.no_shows)
                          .arg(modelData.wait_median === null ? "–" : modelData.wait_median)
                          .arg(modelData.wait_p90 === null ? "–" : modelData.wait_p90)
                          .arg(modelData.service_median === null ? "–" : modelData.service_median)
                          .arg(modelData.ratings).arg(modelData.satisfied)
                    color: AppState.textColor
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.smallPx
                    font.bold: modelData.group === "total"
                    wrapMode: Text.Wrap
                }
            }
        }
    }

    ConfirmDialog {
        id: confirm
    }
}
