pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// A choice of the 信息公开申请 form as large buttons (the chosen one filled), with its error beside it.
Column {
    id: choice
    property string key: ""
    property string label: ""
    property var options: []
    property string value: ""
    property string error: ""
    signal chosen(string option)

    spacing: 8

    Text {
        width: choice.width
        text: choice.label
        color: AppState.textColor
        font.family: AppState.fontFamily
        font.pixelSize: AppState.bodyPx
        font.bold: true
        wrapMode: Text.Wrap
    }
    Flow {
        width: choice.width
        spacing: 16
        Repeater {
            model: choice.options
            delegate: KButton {
                required property string modelData
                required property int index
                objectName: "appChoice_" + choice.key + "_" + index
                width: Math.min(choice.width, Math.max(implicitWidth, 240))
                filled: choice.value === modelData
                text: (choice.value === modelData ? "✓ " : "") + modelData
                onClicked: choice.chosen(modelData)
            }
        }
    }
    Text {
        objectName: "appError_" + choice.key
        width: choice.width
        visible: choice.error !== ""
        text: choice.error
        color: AppState.accent
        font.family: AppState.fontFamily
        font.pixelSize: AppState.bodyPx
        font.bold: true
        wrapMode: Text.Wrap
    }
}
