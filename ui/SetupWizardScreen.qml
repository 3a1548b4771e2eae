pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Kiosk

// The first-boot setup wizard (kiosk/setup_wizard.py): hall and tier, enrolment from a USB stick, device
// detection, the staff PIN, a test print; one step at a time, each can be skipped and taken again.
KioskScreen {
    id: screen
    screenName: "setupWizard"
    objectName: "setupWizardScreen"

    property string step: ""  // open from the staff screen on one step; empty: the next one not done
    property string pin: ""
    property string firstPin: ""  // the PIN typed once, waiting to be typed again

    function statusOf(key: string): string {
        const found = SetupWizard.steps.find(s => s.key === key);
        return found ? found.status : "open";
    }

    function statusText(status: string): string {
        if (status === "done")
            return qsTr("已完成");
        if (status === "skipped")
            return qsTr("已跳过");
        return qsTr("未完成");
    }

    function finish() {
        SetupWizard.dismiss();
        Staff.lock();
        AppState.home();
    }

    Component.onCompleted: SetupWizard.start(screen.step)

    Connections {
        target: SetupWizard
        function onChanged() {
            if (SetupWizard.current !== "pin" || SetupWizard.recoveryCode !== "") {
                screen.pin = "";
                screen.firstPin = "";
            }
        }
    }

    Flickable {
        id: flick
        objectName: "setupFlick"
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.bottom: actions.top
        anchors.margins: screen.margin
        anchors.bottomMargin: 16
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
                text: qsTr("首次设置")
            }

            Text {
                objectName: "setupMessage"
                width: parent.width
                visible: SetupWizard.message !== "" || SetupWizard.busy
                text: SetupWizard.busy ? qsTr("请稍候……") : SetupWizard.message
                color: SetupWizard.messageIsError ? AppState.accent : AppState.ok
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                wrapMode: Text.Wrap
            }

            // The steps: where staff are, what is done; a tap takes a step again.
            Flow {
                width: content.width
                spacing: 16
                Repeater {
                    model: SetupWizard.steps
                    delegate: KButton {
                        required property var modelData
                        required property int index
                        objectName: "setupStep_" + modelData.key
                        width: Math.min(content.width, Math.max(300, implicitWidth))
                        filled: SetupWizard.current === modelData.key
                        text: (index + 1) + ". " + modelData.title
                        subtitle: screen.statusText(modelData.status)
                        onClicked: SetupWizard.show(modelData.key)
                    }
                }
            }

            // --- 1. the hall and its tier (staff settings over the configuration file, in force at the next start) ---
            Column {
                id: hallStep
                objectName: "setupHall"
                visible: SetupWizard.current === "hall"
                width: content.width
                spacing: 16
                property string chosenTier: ""
                property bool filled: false
                // Filled once each time the step is shown (as soon as the wizard knows the hall), not bound:
                // the wizard's other changes must not undo typing.
                function fill() {
                    if (!visible || filled || SetupWizard.hallName === "")
                        return;
                    hallField.text = SetupWizard.hallName;
                    hallStep.chosenTier = SetupWizard.tier;
                    filled = true;
                }
                onVisibleChanged: {
                    if (!visible)
                        filled = false;
                    fill();
                }
                Component.onCompleted: fill()
                Connections {
                    target: SetupWizard
                    function onChanged() {
                        hallStep.fill();
                    }
                }
                SectionTitle {
                    width: parent.width
                    text: qsTr("大厅名称和层级")
                }
                FormField {
                    id: hallField
                    objectName: "setupHallName"
                    width: parent.width
                    placeholderText: qsTr("服务大厅名称")
                }
                Text {
                    width: parent.width
                    text: qsTr("专区层级（决定首页提供的功能和应配设施）")
                    color: AppState.textColor
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.bodyPx
                    font.bold: true
                    wrapMode: Text.Wrap
                }
                Flow {
                    width: parent.width
                    spacing: 12
                    Repeater {
                        model: SetupWizard.tiers
                        delegate: KButton {
                            required property string modelData
                            objectName: "setupTier_" + modelData
                            width: Math.max(implicitWidth, 160)
                            text: (hallStep.chosenTier === modelData ? "✓ " : "") + modelData
                            filled: hallStep.chosenTier === modelData
                            onClicked: hallStep.chosenTier = modelData
                        }
                    }
                }
                KButton {
                    objectName: "setupSaveHall"
                    width: Math.max(implicitWidth, 320)
                    filled: true
                    text: qsTr("保存名称和层级")
                    onClicked: SetupWizard.saveHall(hallField.text, hallStep.chosenTier)
                }
                Text {
                    objectName: "setupHallText"
                    width: parent.width
                    text: qsTr("现为：%1（%2）。").arg(SetupWizard.hallName).arg(SetupWizard.tier)
                    color: AppState.subtext
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.smallPx
                    wrapMode: Text.Wrap
                }
            }

            // --- 2. enrolment: the city's file from a USB stick ---
            Column {
                objectName: "setupEnrolment"
                visible: SetupWizard.current === "enrolment"
                width: content.width
                spacing: 16
                SectionTitle {
                    width: parent.width
                    text: qsTr("登记到市级平台")
                }
                Text {
                    objectName: "setupEnrolmentText"
                    width: parent.width
                    text: SetupWizard.enrolled
                          ? qsTr("本机已登记，将与市级平台同步内容。")
                          : qsTr("请插入存有登记文件的U盘（市级平台用 city enrol 生成，文件名以 .enrol.json 结尾），再点“查找登记文件”。市级平台暂不支持扫码登记。")
                    color: AppState.textColor
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.bodyPx
                    wrapMode: Text.Wrap
                }
                Repeater {
                    model: SetupWizard.enrolled ? [] : SetupWizard.files
                    delegate: KButton {
                        required property string modelData
                        required property int index
                        objectName: "setupEnrolFile_" + index
                        width: content.width
                        filled: true
                        text: qsTr("用此文件登记")
                        subtitle: modelData
                        enabledLook: !SetupWizard.busy
                        onClicked: SetupWizard.enrol(modelData)
                    }
                }
                KButton {
                    objectName: "setupFindFiles"
                    visible: !SetupWizard.enrolled
                    width: Math.max(420, implicitWidth)
                    text: qsTr("查找登记文件")
                    enabledLook: !SetupWizard.busy
                    onClicked: SetupWizard.findFiles()
                }
            }

            // --- 3. devices: the diagnosis with each remedy ---
            Column {
                objectName: "setupDevices"
                visible: SetupWizard.current === "devices"
                width: content.width
                spacing: 16
                SectionTitle {
                    width: parent.width
                    text: qsTr("设备检测")
                }
                Repeater {
                    model: SetupWizard.devices
                    delegate: Text {
                        required property var modelData
                        objectName: "setupDevice"
                        width: content.width
                        text: modelData.hint ? qsTr("%1：%2\n处理办法：%3").arg(modelData.title).arg(modelData.summary).arg(modelData.hint)
                                             : qsTr("%1：%2").arg(modelData.title).arg(modelData.summary)
                        color: modelData.state === "ok" ? AppState.ok : AppState.textColor
                        font.family: AppState.fontFamily
                        font.pixelSize: AppState.bodyPx
                        wrapMode: Text.Wrap
                    }
                }
                KButton {
                    objectName: "setupRecheck"
                    width: Math.max(420, implicitWidth)
                    text: qsTr("重新检测")
                    enabledLook: !SetupWizard.busy
                    onClicked: SetupWizard.diagnose()
                }
            }

            // --- 4. the staff PIN, typed twice, and its recovery code ---
            Column {
                objectName: "setupPin"
                visible: SetupWizard.current === "pin"
                width: content.width
                spacing: 16
                SectionTitle {
                    width: parent.width
                    text: qsTr("工作人员 PIN")
                }
                Text {
                    objectName: "setupPinPrompt"
                    width: parent.width
                    visible: SetupWizard.recoveryCode === ""
                    text: screen.firstPin !== "" ? qsTr("请再输入一次")
                          : (SetupWizard.hasPin ? qsTr("已设置 PIN，可以在此更换：请输入新的 PIN（6 到 8 位数字）")
                                                : qsTr("请输入新的 PIN（6 到 8 位数字）"))
                    color: AppState.textColor
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.bodyPx
                    wrapMode: Text.Wrap
                }
                Text {
                    objectName: "setupPinDots"
                    width: parent.width
                    visible: SetupWizard.recoveryCode === ""
                    text: screen.pin === "" ? " " : "●".repeat(screen.pin.length)
                    color: AppState.textColor
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.titlePx
                    font.letterSpacing: 12
                }
                KButton {
                    objectName: "setupPrintRecovery"
                    visible: SetupWizard.recoveryCode !== ""
                    width: Math.max(420, implicitWidth)
                    text: qsTr("打印恢复码")
                    enabledLook: !SetupWizard.busy
                    onClicked: SetupWizard.printRecovery()
                }
                Grid {
                    visible: SetupWizard.recoveryCode === ""
                    columns: 3
                    spacing: 20
                    Repeater {
                        model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "del", "0", "ok"]
                        delegate: KButton {
                            required property string modelData
                            objectName: "setupPin_" + modelData
                            width: Math.min(200, (content.width - 40) / 3)
                            height: 110
                            textPx: 44
                            filled: modelData === "ok"
                            text: modelData === "del" ? qsTr("删除") : (modelData === "ok" ? qsTr("确定") : modelData)
                            onClicked: {
                                if (modelData === "del") {
                                    screen.pin = screen.pin.slice(0, -1);
                                } else if (modelData === "ok") {
                                    if (screen.firstPin === "") {
                                        screen.firstPin = screen.pin;
                                        screen.pin = "";
                                    } else {
                                        SetupWizard.setPin(screen.firstPin, screen.pin);
                                        screen.firstPin = "";
                                        screen.pin = "";
                                    }
                                } else if (screen.pin.length < 8) {
                                    screen.pin += modelData;
                                }
                            }
                        }
                    }
                }
            }

            // --- 5. a test print on the configured printer ---
            Column {
                objectName: "setupPrint"
                visible: SetupWizard.current === "print"
                width: content.width
                spacing: 16
                SectionTitle {
                    width: parent.width
                    text: qsTr("测试打印")
                }
                KButton {
                    objectName: "setupTestPrint"
                    width: Math.max(420, implicitWidth)
                    filled: true
                    text: qsTr("打印测试页")
                    enabledLook: !SetupWizard.busy
                    onClicked: SetupWizard.testPrint()
                }
            }

            // --- all steps taken ---
            Text {
                objectName: "setupSummary"
                width: parent.width
                visible: SetupWizard.current === "summary"
                text: SetupWizard.enrolled ? qsTr("设置完成。") : qsTr("设置完成。本机尚未登记：在登记前只提供本机已有的内容，登记后可在工作人员模式中再次打开设置向导。")
                color: AppState.textColor
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                wrapMode: Text.Wrap
            }
        }
    }

    // What to do with the step shown: always on screen, under the step's own content.
    Flow {
        id: actions
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: screen.margin
        spacing: 24
        KButton {
            objectName: "setupNext"
            // steps staff only look at, or one they have finished (the others are skipped)
            visible: SetupWizard.current === "hall" || SetupWizard.current === "devices"
                     || (SetupWizard.current !== "summary" && screen.statusOf(SetupWizard.current) === "done")
            width: Math.max(300, implicitWidth)
            filled: true
            text: qsTr("下一步")
            enabledLook: !SetupWizard.busy
            onClicked: SetupWizard.confirm()
        }
        KButton {
            objectName: "setupSkip"
            visible: SetupWizard.current !== "summary" && SetupWizard.current !== ""
                     && screen.statusOf(SetupWizard.current) !== "done"
            width: Math.max(300, implicitWidth)
            text: qsTr("跳过此步")
            enabledLook: !SetupWizard.busy
            onClicked: SetupWizard.skip()
        }
        KButton {
            objectName: "setupFinish"
            width: Math.max(300, implicitWidth)
            filled: SetupWizard.current === "summary"
            text: SetupWizard.current === "summary" ? qsTr("完成") : qsTr("以后再说")
            onClicked: screen.finish()
        }
    }
}
