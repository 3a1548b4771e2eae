pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// The staff PIN pad (reached by the hidden long-press); five wrong PINs lock it for five minutes.
KioskScreen {
    id: screen
    screenName: "pin"
    objectName: "pinScreen"

    property string pin: ""

    Connections {
        target: Staff
        function onChanged() {
            if (Staff.unlocked && AppState.currentScreen === "pin") {
                screen.pin = "";
                AppState.back();
                AppState.open("staff", {});
                if (SetupWizard.opensOnStaffVisit())  // unenrolled, the wizard neither finished nor dismissed
                    AppState.open("SetupWizardScreen.qml", {});
            } else if (!Staff.checking && Staff.message !== "") {
                screen.pin = "";
            }
        }
    }

    // Portrait: the keys under the title and message. Landscape (height is scarce): beside them.
    Grid {
        anchors.centerIn: parent
        columns: screen.portrait ? 1 : 2
        columnSpacing: 64
        rowSpacing: 28
        horizontalItemAlignment: Grid.AlignHCenter
        verticalItemAlignment: Grid.AlignVCenter

        Column {
            width: Math.min(screen.width - 2 * screen.margin, 720) / (screen.portrait ? 1 : 1.4)
            spacing: 28

            ScreenTitle {
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                text: qsTr("工作人员登录")
            }
            Text {
                objectName: "pinDots"
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                text: screen.pin === "" ? qsTr("请输入 PIN") : "●".repeat(screen.pin.length)
                color: AppState.textColor
                font.family: AppState.fontFamily
                font.pixelSize: AppState.titlePx
                font.letterSpacing: 12
            }
            // Its two lines are always laid out, so the keys never move when a message appears.
            Text {
                objectName: "pinMessage"
                width: parent.width
                height: Math.ceil(AppState.bodyPx * 1.4) * 2
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
                text: Staff.checking ? qsTr("正在核对……") : Staff.message
                color: AppState.accent
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                wrapMode: Text.Wrap
            }
        }
        Grid {
            id: keys
            columns: 3
            spacing: 20
            Repeater {
                model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "del", "0", "ok"]
                delegate: KButton {
                    required property string modelData
                    objectName: "pin_" + modelData
                    width: 200
                    height: 120
                    textPx: 44
                    filled: modelData === "ok"
                    text: modelData === "del" ? qsTr("删除") : (modelData === "ok" ? qsTr("确定") : modelData)
                    onClicked: {
                        if (modelData === "del")
                            screen.pin = screen.pin.slice(0, -1);
                        else if (modelData === "ok")
                            Staff.attempt(screen.pin);
                        else if (screen.pin.length < 8)
                            screen.pin += modelData;
                    }
                }
            }
        }
    }
}
