import QtQuick
import Kiosk

// A date without typing: the date in words, and buttons that move it by a day, a week or a month;
// empty means `emptyText` (今天, 长期). `text` is the ISO date (YYYY-MM-DD) or "".
Column {
    id: chooser

    property string text: ""
    property string label: ""
    property string emptyText: ""
    signal edited

    function pad(n: int): string {
        return n < 10 ? "0" + n : String(n);
    }

    // Local dates throughout (toISOString would give the UTC day, a day early before 08:00 in China).
    function shift(days: int, months: int) {
        const parts = chooser.text === "" ? null : chooser.text.split("-").map(Number);
        const day = parts ? new Date(parts[0], parts[1] - 1, parts[2]) : new Date();
        day.setMonth(day.getMonth() + months);
        day.setDate(day.getDate() + days);
        chooser.text = day.getFullYear() + "-" + pad(day.getMonth() + 1) + "-" + pad(day.getDate());
        chooser.edited();
    }

    spacing: 10

    Text {
        objectName: chooser.objectName + "Shown"
        width: chooser.width
        text: chooser.label + "：" + (chooser.text === "" ? chooser.emptyText
              : chooser.text.replace(/^(\d+)-0?(\d+)-0?(\d+)$/, "$1年$2月$3日"))
        color: AppState.textColor
        font.family: AppState.fontFamily
        font.pixelSize: AppState.bodyPx
        font.bold: true
        wrapMode: Text.Wrap
    }
    Flow {
        width: chooser.width
        spacing: 12
        KButton {
            objectName: chooser.objectName + "Earlier"
            width: Math.max(150, implicitWidth)
            text: qsTr("前一天")
            onClicked: chooser.shift(-1, 0)
        }
        KButton {
            objectName: chooser.objectName + "Later"
            width: Math.max(150, implicitWidth)
            text: qsTr("后一天")
            onClicked: chooser.shift(1, 0)
        }
        KButton {
            objectName: chooser.objectName + "Week"
            width: Math.max(150, implicitWidth)
            text: qsTr("加一周")
            onClicked: chooser.shift(7, 0)
        }
        KButton {
            objectName: chooser.objectName + "Month"
            width: Math.max(150, implicitWidth)
            text: qsTr("加一月")
            onClicked: chooser.shift(0, 1)
        }
        KButton {
            objectName: chooser.objectName + "Clear"
            width: Math.max(150, implicitWidth)
            text: chooser.emptyText
            onClicked: {
                chooser.text = "";
                chooser.edited();
            }
        }
    }
}
