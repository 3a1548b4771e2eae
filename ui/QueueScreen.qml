pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Kiosk

// 排队取号: choose a service (people waiting, estimate), the ID card with consent when the service asks
// for it, confirm (绿色通道), then the number, big, with the printed ticket or what to do without it.
KioskScreen {
    id: screen
    screenName: "queue"
    objectName: "queueScreen"
    // Opened from a 办事指南 (取号办理): the service linked to that guide is chosen for the resident.
    property string guideId: ""
    property string guideTitle: ""

    QueueBoard {
        id: board
        guide: screen.guideId
    }
    // back from a service's 办事指南: the list again, its people waiting as they are now
    property bool wasLeft: false
    StackView.onDeactivated: wasLeft = true
    StackView.onActivated: {
        if (wasLeft && board.step === "choose")
            board.reload();
    }

    ScreenTitle {
        id: title
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: screen.margin
        text: board.step === "done" ? qsTr("取号成功") : qsTr("排队取号")
    }

    Flickable {
        id: flick
        objectName: "queueFlick"
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
                objectName: "queueMessage"
                width: parent.width
                visible: board.message !== "" && board.step !== "done"
                text: board.message
                color: AppState.accent
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                font.bold: true
                wrapMode: Text.Wrap
            }

            // --- choose a service ---------------------------------------------------------------
            Message {
                width: parent.width
                visible: board.step === "choose" && !board.busy && board.services.length === 0
                text: qsTr("暂无可以取号的业务，请到服务台咨询")
            }

            Text {
                width: parent.width
                visible: board.step === "choose" && board.services.length > 0
                text: qsTr("请选择要办理的业务")
                color: AppState.subtext
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                wrapMode: Text.Wrap
            }

            Grid {
                id: grid
                visible: board.step === "choose"
                width: parent.width
                columns: screen.portrait ? 1 : 2
                columnSpacing: 24
                rowSpacing: 24

                Repeater {
                    model: board.services
                    // the service's button, and under it its 办事指南 when it links one (back comes here)
                    delegate: Column {
                        id: serviceCell
                        required property var modelData
                        width: (grid.width - (grid.columns - 1) * grid.columnSpacing) / grid.columns
                        spacing: 8
                        KButton {
                            objectName: "service_" + serviceCell.modelData.key
                            width: parent.width
                            height: Math.max(implicitHeight, 160)
                            textPx: AppState.titlePx
                            text: serviceCell.modelData.prefix + "  " + serviceCell.modelData.name
                            subtitle: serviceCell.modelData.open
                                      ? qsTr("等候 %1 人 · %2").arg(serviceCell.modelData.waiting).arg(serviceCell.modelData.estimate)
                                        + (serviceCell.modelData.idCard === "required" ? qsTr(" · 需刷身份证") : "")
                                      : serviceCell.modelData.closedReason
                            enabledLook: serviceCell.modelData.open
                            onClicked: board.choose(serviceCell.modelData.key)
                        }
                        KButton {
                            objectName: "serviceGuide_" + serviceCell.modelData.key
                            visible: serviceCell.modelData.guide !== ""
                            width: parent.width
                            text: qsTr("查看办事指南")
                            onClicked: AppState.open("GuideScreen.qml", {itemId: serviceCell.modelData.guide})
                        }
                    }
                }
            }

            // --- the ID card, with consent ---------------------------------------------------------
            Text {
                objectName: "queueConsent"
                width: parent.width
                visible: board.step === "card"
                text: board.chosen.idCard === "required"
                      ? qsTr("“%1”需要读取您的身份证，用于确认每人每天只取一个号。").arg(board.chosen.name || "")
                      : qsTr("刷身份证可确认您的年龄：年满规定年龄自动进入绿色通道。")
                color: AppState.textColor
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                wrapMode: Text.Wrap
            }
            Text {
                width: parent.width
                visible: board.step === "card"
                text: qsTr("本机不保存您的身份证号码和姓名，只保存当天有效的加密摘要。请把身份证放在读卡区，再点“同意并读卡”。")
                color: AppState.subtext
                font.family: AppState.fontFamily
                font.pixelSize: AppState.smallPx
                wrapMode: Text.Wrap
            }
            Flow {
                width: parent.width
                spacing: 24
                visible: board.step === "card"
                KButton {
                    objectName: "queueReadCard"
                    width: Math.max(implicitWidth, 320)
                    height: Math.max(implicitHeight, 120)
                    filled: true
                    text: board.busy ? qsTr("正在读卡…") : qsTr("同意并读卡")
                    enabledLook: !board.busy
                    onClicked: board.readCard()
                }
                KButton {
                    objectName: "queueSkipCard"
                    width: Math.max(implicitWidth, 320)
                    height: Math.max(implicitHeight, 120)
                    visible: board.chosen.idCard === "optional"
                    text: qsTr("不刷卡")
                    onClicked: board.skipCard()
                }
                KButton {
                    objectName: "queueCardBack"
                    width: Math.max(implicitWidth, 320)
                    height: Math.max(implicitHeight, 120)
                    text: qsTr("返回")
                    onClicked: board.back()
                }
            }

            // --- confirm ---------------------------------------------------------------------------
            Text {
                objectName: "queueConfirmText"
                width: parent.width
                visible: board.step === "confirm"
                text: qsTr("您要办理：%1").arg(board.chosen.name || "")
                color: AppState.textColor
                font.family: AppState.fontFamily
                font.pixelSize: AppState.titlePx
                font.bold: true
                wrapMode: Text.Wrap
            }
            Text {
                width: parent.width
                visible: board.step === "confirm"
                text: qsTr("前面等候 %1 人，%2").arg(board.chosen.waiting || 0).arg(board.chosen.estimate || "")
                      + (board.card.name ? qsTr("。已读取身份证：%1").arg(board.card.name) : "")
                color: AppState.subtext
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                wrapMode: Text.Wrap
            }
            KButton {
                objectName: "queuePriority"
                visible: board.step === "confirm"
                width: parent.width
                filled: board.priority
                text: board.priority ? qsTr("✓ 绿色通道") : qsTr("绿色通道")
                subtitle: qsTr("老年人、残疾人、孕妇、军人等优先办理，请到窗口出示相关证件")
                onClicked: board.setPriority(!board.priority)
            }
            Flow {
                width: parent.width
                spacing: 24
                visible: board.step === "confirm"
                KButton {
                    objectName: "queueConfirm"
                    width: Math.max(implicitWidth, 320)
                    height: Math.max(implicitHeight, 120)
                    filled: true
                    textPx: AppState.titlePx
                    text: board.busy ? qsTr("正在取号…") : qsTr("确认取号")
                    enabledLook: !board.busy
                    onClicked: board.confirm()
                }
                KButton {
                    objectName: "queueOfferCard"
                    width: Math.max(implicitWidth, 320)
                    height: Math.max(implicitHeight, 120)
                    visible: board.chosen.idCard === "optional" && !board.card.name
                    text: qsTr("刷身份证")
                    onClicked: board.offerCard()
                }
                KButton {
                    objectName: "queueConfirmBack"
                    width: Math.max(implicitWidth, 320)
                    height: Math.max(implicitHeight, 120)
                    text: qsTr("返回")
                    onClicked: board.back()
                }
            }

            // --- the number ------------------------------------------------------------------------
            Text {
                width: parent.width
                visible: board.step === "done"
                text: board.ticket.service || ""
                color: AppState.textColor
                font.family: AppState.fontFamily
                font.pixelSize: AppState.titlePx
                font.bold: true
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
            }
            Text {
                objectName: "queueNumber"
                width: parent.width
                visible: board.step === "done"
                text: board.ticket.number || ""
                color: AppState.primary
                font.family: AppState.fontFamily
                font.pixelSize: Math.min(AppState.headlinePx * 4, parent.width / 3.2)
                font.bold: true
                horizontalAlignment: Text.AlignHCenter
            }
            Text {
                width: parent.width
                visible: board.step === "done" && board.ticket.priority === true
                text: qsTr("绿色通道")
                color: AppState.ok
                font.family: AppState.fontFamily
                font.pixelSize: AppState.titlePx
                font.bold: true
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
            }
            Text {
                objectName: "queueAhead"
                width: parent.width
                visible: board.step === "done"
                text: qsTr("前面等候 %1 人，%2").arg(board.ticket.ahead || 0).arg(board.ticket.estimate || "")
                color: AppState.textColor
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
            }
            Text {
                objectName: "queuePrinted"
                width: parent.width
                visible: board.step === "done"
                text: board.ticket.printed ? qsTr("请取走号票，留意叫号屏幕和语音提示。") : (board.ticket.message || qsTr("请记下您的号码，留意叫号。"))
                color: board.ticket.printed ? AppState.ok : AppState.accent
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                font.bold: true
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
            }
            Flow {
                width: parent.width
                spacing: 24
                visible: board.step === "done"
                KButton {
                    objectName: "queueDone"
                    width: Math.max(implicitWidth, 320)
                    height: Math.max(implicitHeight, 120)
                    filled: true
                    text: qsTr("完成")
                    onClicked: AppState.home()
                }
                KButton {
                    objectName: "queueReprint"
                    width: Math.max(implicitWidth, 320)
                    height: Math.max(implicitHeight, 120)
                    visible: board.ticket.canReprint === true
                    text: qsTr("重新打印")
                    enabledLook: !board.busy
                    onClicked: board.reprint()
                }
            }
        }
    }
}
