pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// Our own big letter keypad for 拼音首字母 search: no input method, one tap per letter.
Column {
    id: pad
    property int columns: 7
    spacing: 14

    Grid {
        id: grid
        columns: pad.columns
        spacing: 14
        width: parent.width
        Repeater {
            model: "ABCDEFGHIJKLMNOPQRSTUVWXYZ".split("")
            delegate: KButton {
                required property string modelData
                objectName: "key_" + modelData.toLowerCase()
                width: (grid.width - grid.spacing * (pad.columns - 1)) / pad.columns
                height: 96
                text: modelData
                textPx: 44
                onClicked: Search.typeLetter(modelData)
            }
        }
    }
    Row {
        spacing: 14
        width: parent.width
        KButton {
            objectName: "key_back"
            width: (parent.width - 14) / 2
            text: qsTr("⌫ 删除一个字母")
            onClicked: Search.backspace()
        }
        KButton {
            objectName: "key_clear"
            width: (parent.width - 14) / 2
            text: qsTr("全部清空")
            onClicked: Search.clear()
        }
    }
}
