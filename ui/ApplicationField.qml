import QtQuick
import QtQuick.Controls
import Kiosk

// One field of the 信息公开申请 form: its label, a large text field (the Pinyin keyboard types into it, or
// a text area for long text) and its Chinese error right beside it.
Column {
    id: field
    property string key: ""
    property string label: ""
    property string hint: ""
    property string value: ""
    property string error: ""
    property bool multiline: false
    property int inputHints: Qt.ImhNone
    signal edited(string text)

    spacing: 8

    Text {
        width: field.width
        text: field.label
        color: AppState.textColor
        font.family: AppState.fontFamily
        font.pixelSize: AppState.bodyPx
        font.bold: true
        wrapMode: Text.Wrap
    }
    FormField {
        id: line
        objectName: "appField_" + field.key
        visible: !field.multiline
        width: field.width
        text: field.value
        placeholderText: field.hint
        inputMethodHints: field.inputHints
        onTextChanged: if (text !== field.value) field.edited(text)
        background: Rectangle {
            color: AppState.surface
            border.color: field.error !== "" ? AppState.accent : AppState.border
            border.width: field.error !== "" ? 4 : 2
            radius: 8
        }
    }
    Rectangle {
        visible: field.multiline
        width: field.width
        height: Math.max(240, area.implicitHeight + 16)
        color: AppState.surface
        border.color: field.error !== "" ? AppState.accent : AppState.border
        border.width: field.error !== "" ? 4 : 2
        radius: 8
        TextArea {
            id: area
            objectName: "appArea_" + field.key
            anchors.fill: parent
            anchors.margins: 8
            text: field.value
            placeholderText: field.hint
            placeholderTextColor: AppState.subtext
            wrapMode: TextEdit.Wrap
            color: AppState.textColor
            font.family: AppState.fontFamily
            font.pixelSize: AppState.bodyPx
            background: null
            onTextChanged: if (text !== field.value) field.edited(text)
        }
    }
    Text {
        objectName: "appError_" + field.key
        width: field.width
        visible: field.error !== ""
        text: field.error
        color: AppState.accent
        font.family: AppState.fontFamily
        font.pixelSize: AppState.bodyPx
        font.bold: true
        wrapMode: Text.Wrap
    }
}
