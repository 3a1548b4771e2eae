import QtQuick
import Kiosk

// "系统维护中": shown instead of the screens when the library cannot be opened. Never a traceback.
Rectangle {
    id: screen
    property string message: ""
    color: AppState.bg

    Column {
        anchors.centerIn: parent
        width: parent.width * 0.8
        spacing: 40
        Text {
            width: parent.width
            text: qsTr("系统维护中")
            color: AppState.textColor
            font.family: AppState.fontFamily
            font.pixelSize: 72
            font.bold: true
            horizontalAlignment: Text.AlignHCenter
        }
        Text {
            width: parent.width
            text: qsTr("本机暂时不能查询资料，请到服务台咨询工作人员。给您带来不便，敬请谅解。")
            color: AppState.textColor
            font.family: AppState.fontFamily
            font.pixelSize: AppState.titlePx
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
        }
        Text {
            objectName: "maintenanceDetail"
            width: parent.width
            text: screen.message
            color: AppState.subtext
            font.family: AppState.fontFamily
            font.pixelSize: AppState.smallPx
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
        }
    }
}
