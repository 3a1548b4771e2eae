pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Kiosk

// 信息公开申请: 公民 or 法人或其他组织; for a citizen the ID card read with consent (or typed); the form in
// large fields; the review page in large type; submit → the number, the deadline and the printed receipt.
// Staff's 代为填写 opens it with staffFill. A document the resident was reading arrives as itemId/docTitle/docNumber.
KioskScreen {
    id: screen
    screenName: "application"
    objectName: "applicationScreen"
    property bool staffFill: false
    property string itemId: ""
    property string docTitle: ""
    property string docNumber: ""

    ApplicationForm {
        id: form
        staffFill: screen.staffFill
        itemId: screen.itemId
        docTitle: screen.docTitle
        docNumber: screen.docNumber
    }

    readonly property bool organisation: form.values.kind === "法人或其他组织"
    // Every step starts at its top (the form is scrolled far down when 下一步 is tapped).
    readonly property string step: form.step
    onStepChanged: flick.contentY = 0
    readonly property int buttonWidth: screen.portrait ? (content.width - 24) / 2 : 360

    ScreenTitle {
        id: title
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: screen.margin
        text: form.step === "done" ? qsTr("申请已受理")
              : form.step === "review" ? qsTr("请核对申请内容")
              : (screen.staffFill ? qsTr("信息公开申请（工作人员代为填写）") : qsTr("信息公开申请"))
    }

    Flickable {
        id: flick
        objectName: "applicationFlick"
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
                objectName: "applicationMessage"
                width: parent.width
                visible: form.message !== ""
                text: form.message
                color: AppState.accent
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                font.bold: true
                wrapMode: Text.Wrap
            }
            Text {
                objectName: "applicationPicked"
                width: parent.width
                visible: screen.docTitle !== "" && form.step !== "done"
                text: qsTr("申请公开与《%1》%2相关的信息").arg(screen.docTitle).arg(screen.docNumber ? "（" + screen.docNumber + "）" : "")
                color: AppState.subtext
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                wrapMode: Text.Wrap
            }

            // --- who applies ------------------------------------------------------------------------
            Text {
                width: parent.width
                visible: form.step === "kind"
                text: qsTr("依据《政府信息公开条例》，您可以向行政机关申请获取政府信息。请选择申请人类型：")
                color: AppState.textColor
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                wrapMode: Text.Wrap
            }
            KButton {
                objectName: "applicantCitizen"
                visible: form.step === "kind"
                width: parent.width
                height: Math.max(implicitHeight, 150)
                textPx: AppState.titlePx
                text: qsTr("公民")
                subtitle: qsTr("以个人名义申请，可刷身份证自动填写")
                onClicked: form.chooseKind("公民")
            }
            KButton {
                objectName: "applicantOrganisation"
                visible: form.step === "kind"
                width: parent.width
                height: Math.max(implicitHeight, 150)
                textPx: AppState.titlePx
                text: qsTr("法人或其他组织")
                subtitle: qsTr("以单位名义申请，需填写统一社会信用代码")
                onClicked: form.chooseKind("法人或其他组织")
            }

            // --- the ID card, with consent ------------------------------------------------------------
            Text {
                objectName: "applicationConsent"
                width: parent.width
                visible: form.step === "card"
                text: qsTr("读取身份证信息用于本次申请")
                color: AppState.textColor
                font.family: AppState.fontFamily
                font.pixelSize: AppState.titlePx
                font.bold: true
                wrapMode: Text.Wrap
            }
            Text {
                width: parent.width
                visible: form.step === "card"
                text: qsTr("读取的姓名、身份证号码和住址只用于填写本次申请，加密后提交受理机关，本机不保存。离开或超时后自动清除。请把身份证放在读卡区，再点“同意并读卡”；也可以不刷卡，手工填写。")
                color: AppState.subtext
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                wrapMode: Text.Wrap
            }
            Flow {
                width: parent.width
                spacing: 24
                visible: form.step === "card"
                KButton {
                    objectName: "applicationReadCard"
                    width: Math.min(content.width, Math.max(screen.buttonWidth, implicitWidth))
                    height: Math.max(implicitHeight, 120)
                    filled: true
                    text: form.busy ? qsTr("正在读卡…") : qsTr("同意并读卡")
                    enabledLook: !form.busy
                    onClicked: form.readCard()
                }
                KButton {
                    objectName: "applicationTypeIn"
                    width: Math.min(content.width, Math.max(screen.buttonWidth, implicitWidth))
                    height: Math.max(implicitHeight, 120)
                    text: qsTr("不刷卡，手工填写")
                    onClicked: form.typeIn()
                }
            }

            // --- the form -----------------------------------------------------------------------------
            Column {
                id: fields
                objectName: "applicationForm"
                visible: form.step === "form"
                width: parent.width
                spacing: 24

                SectionTitle {
                    text: qsTr("申请人信息")
                }
                ApplicationField {
                    width: parent.width
                    key: "name"
                    label: screen.organisation ? qsTr("法人或其他组织名称") : qsTr("姓名")
                    value: form.values.name || ""
                    error: form.errors.name || ""
                    onEdited: text => form.setValue("name", text)
                }
                Text {
                    objectName: "applicationCardRead"
                    width: parent.width
                    visible: form.cardMasked !== ""
                    text: qsTr("身份证号码：%1（已从身份证读取）").arg(form.cardMasked)
                    color: AppState.textColor
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.bodyPx
                    wrapMode: Text.Wrap
                }
                ApplicationField {
                    visible: !screen.organisation && form.cardMasked === ""
                    width: parent.width
                    key: "id_number"
                    label: qsTr("身份证号码")
                    hint: qsTr("18位，最后一位可能是X")
                    inputHints: Qt.ImhPreferNumbers | Qt.ImhPreferUppercase
                    value: form.values.id_number || ""
                    error: form.errors.id_number || ""
                    onEdited: text => form.setValue("id_number", text)
                }
                ApplicationField {
                    visible: screen.organisation
                    width: parent.width
                    key: "credit_code"
                    label: qsTr("统一社会信用代码")
                    hint: qsTr("18位，见营业执照")
                    inputHints: Qt.ImhPreferUppercase
                    value: form.values.credit_code || ""
                    error: form.errors.credit_code || ""
                    onEdited: text => form.setValue("credit_code", text)
                }
                ApplicationField {
                    visible: screen.organisation
                    width: parent.width
                    key: "legal_representative"
                    label: qsTr("法定代表人")
                    value: form.values.legal_representative || ""
                    error: form.errors.legal_representative || ""
                    onEdited: text => form.setValue("legal_representative", text)
                }
                ApplicationField {
                    visible: screen.organisation
                    width: parent.width
                    key: "contact_person"
                    label: qsTr("联系人姓名")
                    value: form.values.contact_person || ""
                    error: form.errors.contact_person || ""
                    onEdited: text => form.setValue("contact_person", text)
                }
                ApplicationField {
                    width: parent.width
                    key: "phone"
                    label: qsTr("联系电话")
                    hint: qsTr("11位手机号码，或带区号的固定电话")
                    inputHints: Qt.ImhDialableCharactersOnly
                    value: form.values.phone || ""
                    error: form.errors.phone || ""
                    onEdited: text => form.setValue("phone", text)
                }
                ApplicationField {
                    width: parent.width
                    key: "address"
                    label: qsTr("通信地址")
                    value: form.values.address || ""
                    error: form.errors.address || ""
                    onEdited: text => form.setValue("address", text)
                }
                ApplicationField {
                    width: parent.width
                    key: "email"
                    label: qsTr("电子邮箱（选填）")
                    inputHints: Qt.ImhEmailCharactersOnly
                    value: form.values.email || ""
                    error: form.errors.email || ""
                    onEdited: text => form.setValue("email", text)
                }

                SectionTitle {
                    text: qsTr("所需信息")
                }
                ApplicationField {
                    width: parent.width
                    key: "description"
                    multiline: true
                    label: qsTr("所需信息的名称、文号或其他特征描述")
                    hint: qsTr("如：本镇低保资金发放名单")
                    value: form.values.description || ""
                    error: form.errors.description || ""
                    onEdited: text => {
                        form.setValue("description", text);
                        relatedLookup.restart();
                    }
                }
                Timer {
                    id: relatedLookup
                    interval: 600  // once typing pauses
                    onTriggered: form.lookUpRelated(form.values.description || "")
                }
                // Information already published needs no application (条例 Art. 36(一)): offer it first.
                Column {
                    objectName: "applicationRelated"
                    width: parent.width
                    visible: form.related.length > 0
                    spacing: 12
                    Text {
                        width: parent.width
                        text: qsTr("本机已公开以下文件，可能就有您要的信息，可先点开阅读（已公开的信息无需申请）：")
                        color: AppState.textColor
                        font.family: AppState.fontFamily
                        font.pixelSize: AppState.bodyPx
                        wrapMode: Text.Wrap
                    }
                    Repeater {
                        model: form.related
                        KButton {
                            required property var modelData
                            required property int index
                            objectName: "applicationRelated_" + index
                            width: parent.width
                            height: Math.max(implicitHeight, 110)
                            text: modelData.title
                            subtitle: modelData.docNumber
                            onClicked: AppState.open("reader", {itemId: modelData.id})
                        }
                    }
                }

                SectionTitle {
                    text: qsTr("获取信息的方式")
                }
                ApplicationChoice {
                    width: parent.width
                    key: "medium"
                    label: qsTr("提供形式")
                    options: ["纸质", "电子数据"]
                    value: form.values.medium || ""
                    error: form.errors.medium || ""
                    onChosen: option => form.setValue("medium", option)
                }
                ApplicationChoice {
                    width: parent.width
                    key: "route"
                    label: qsTr("获取方式")
                    options: ["自行领取", "邮寄", "电子邮件"]
                    value: form.values.route || ""
                    error: form.errors.route || ""
                    onChosen: option => form.setValue("route", option)
                }
                ApplicationChoice {
                    width: parent.width
                    key: "agency"
                    label: qsTr("受理机关")
                    options: form.agencies
                    value: form.values.agency || ""
                    error: form.errors.agency || ""
                    onChosen: option => form.setValue("agency", option)
                }
                Flow {
                    width: parent.width
                    spacing: 24
                    KButton {
                        objectName: "applicationNext"
                        width: Math.min(content.width, Math.max(screen.buttonWidth, implicitWidth))
                        height: Math.max(implicitHeight, 120)
                        filled: true
                        text: form.busy ? qsTr("正在检查…") : qsTr("下一步：核对")
                        enabledLook: !form.busy
                        onClicked: form.review()
                    }
                    KButton {
                        objectName: "applicationFormBack"
                        width: Math.min(content.width, Math.max(screen.buttonWidth, implicitWidth))
                        height: Math.max(implicitHeight, 120)
                        text: qsTr("返回")
                        onClicked: form.back()
                    }
                }
            }

            // --- review, in large type ------------------------------------------------------------------
            Repeater {
                model: form.step !== "review" ? [] : [
                    [qsTr("申请人"), (form.values.name || "") + "（" + form.values.kind + "）"],
                    [screen.organisation ? qsTr("统一社会信用代码") : qsTr("身份证号码"),
                     screen.organisation ? form.values.credit_code : (form.cardMasked || form.values.id_number)],
                    [qsTr("联系电话"), form.values.phone],
                    [qsTr("通信地址"), form.values.address],
                    [qsTr("电子邮箱"), form.values.email || qsTr("（未填写）")],
                    [qsTr("所需信息"), form.values.description],
                    [qsTr("提供形式"), form.values.medium + "，" + form.values.route],
                    [qsTr("受理机关"), form.values.agency]
                ]
                delegate: Column {
                    required property var modelData
                    required property int index
                    objectName: "reviewRow_" + index
                    width: content.width
                    spacing: 4
                    Text {
                        width: parent.width
                        text: parent.modelData[0]
                        color: AppState.subtext
                        font.family: AppState.fontFamily
                        font.pixelSize: AppState.bodyPx
                        wrapMode: Text.Wrap
                    }
                    Text {
                        width: parent.width
                        text: parent.modelData[1] || ""
                        color: AppState.textColor
                        font.family: AppState.fontFamily
                        font.pixelSize: AppState.titlePx
                        font.bold: true
                        wrapMode: Text.Wrap
                    }
                }
            }
            Flow {
                width: parent.width
                spacing: 24
                visible: form.step === "review"
                KButton {
                    objectName: "applicationSubmit"
                    width: Math.min(content.width, Math.max(screen.buttonWidth, implicitWidth))
                    height: Math.max(implicitHeight, 120)
                    filled: true
                    textPx: AppState.titlePx
                    text: form.busy ? qsTr("正在提交…") : qsTr("提交申请")
                    enabledLook: !form.busy
                    onClicked: form.submit()
                }
                KButton {
                    objectName: "applicationEdit"
                    width: Math.min(content.width, Math.max(screen.buttonWidth, implicitWidth))
                    height: Math.max(implicitHeight, 120)
                    text: qsTr("返回修改")
                    onClicked: form.edit()
                }
            }

            // --- the number ------------------------------------------------------------------------------
            Text {
                width: parent.width
                visible: form.step === "done"
                text: qsTr("申请编号")
                color: AppState.textColor
                font.family: AppState.fontFamily
                font.pixelSize: AppState.titlePx
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
            }
            Text {
                objectName: "applicationNumber"
                width: parent.width
                visible: form.step === "done"
                text: form.result.number || ""
                color: AppState.primary
                font.family: AppState.fontFamily
                font.pixelSize: Math.min(AppState.headlinePx * 2, parent.width / 11)
                font.bold: true
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WrapAnywhere
            }
            Text {
                objectName: "applicationDeadline"
                width: parent.width
                visible: form.step === "done"
                text: qsTr("收到日期：%1\n受理机关：%2\n答复期限：%3").arg(form.result.receivedOn || "")
                      .arg(form.result.agency || "").arg(form.result.deadline || "")
                color: AppState.textColor
                font.family: AppState.fontFamily
                font.pixelSize: AppState.titlePx
                font.bold: true
                wrapMode: Text.Wrap
            }
            Text {
                width: parent.width
                visible: form.step === "done"
                text: form.result.estimated
                      ? qsTr("%1，可依法延长一次，延长不超过 20 个工作日。（预估：当年节假日安排尚未发布，发布后重新计算。）").arg(form.result.rule || "")
                      : qsTr("%1，可依法延长一次，延长不超过 20 个工作日。").arg(form.result.rule || "")
                color: AppState.subtext
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                wrapMode: Text.Wrap
            }
            Text {
                objectName: "applicationPrinted"
                width: parent.width
                visible: form.step === "done"
                text: form.result.printed ? qsTr("请取走回执，凭申请编号可在“查询申请进度”查看答复。")
                                          : (form.result.message || "")
                color: form.result.printed ? AppState.ok : AppState.accent
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                font.bold: true
                wrapMode: Text.Wrap
            }
            KButton {
                objectName: "applicationDone"
                visible: form.step === "done"
                width: Math.min(content.width, Math.max(screen.buttonWidth, implicitWidth))
                height: Math.max(implicitHeight, 120)
                filled: true
                text: qsTr("完成")
                onClicked: AppState.home()
            }
        }
    }
}
