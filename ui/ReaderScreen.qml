pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Kiosk

// Reading one document in large type: font size steps, page buttons and touch scrolling, its 解读 (or
// the original document) one tap away, a QR code for the online version, photos of a notice.
KioskScreen {
    id: screen
    screenName: "reader"
    objectName: "readerScreen"

    property string itemId: ""

    readonly property var interpretation: {
        const rows = reader.related.filter(r => r.role === "interpretation");
        return rows.length ? rows[0] : null;
    }
    readonly property var original: {
        const rows = reader.related.filter(r => r.role === "original");
        return rows.length ? rows[0] : null;
    }

    Reader {
        id: reader
        itemId: screen.itemId
        Component.onCompleted: reader.setStyle(AppState.bodyPx, AppState.highContrast)
    }

    Connections {
        target: AppState
        function onThemeChanged() {
            reader.setStyle(AppState.bodyPx, AppState.highContrast);
        }
    }

    Rectangle {
        anchors.fill: parent
        color: AppState.bg
    }

    Item {
        id: head
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: screen.margin
        height: Math.max(titleColumn.implicitHeight, qrBox.visible ? qrBox.height : 0)

        Column {
            id: titleColumn
            anchors.left: parent.left
            anchors.right: qrBox.visible ? qrBox.left : parent.right
            anchors.rightMargin: qrBox.visible ? 24 : 0
            spacing: 10
            Text {
                objectName: "readerKind"
                text: reader.kindName
                color: AppState.accent
                font.family: AppState.fontFamily
                font.pixelSize: AppState.smallPx
                font.bold: true
            }
            Text {
                objectName: "readerTitle"
                width: parent.width
                text: reader.title
                color: AppState.textColor
                font.family: AppState.fontFamily
                font.pixelSize: AppState.titlePx
                font.bold: true
                wrapMode: Text.Wrap
                maximumLineCount: 4
                elide: Text.ElideRight
            }
            Text {
                width: parent.width
                text: [reader.docNumber, reader.issuer, reader.date, reader.level !== "" ? qsTr("发布层级：") + reader.level : "",
                       reader.validity !== "" ? qsTr("有效期：") + reader.validity : ""].filter(s => s).join("　")
                visible: text !== ""
                color: AppState.subtext
                font.family: AppState.fontFamily
                font.pixelSize: AppState.smallPx
                wrapMode: Text.Wrap
            }
        }

        Column {
            id: qrBox
            objectName: "qrCode"
            anchors.right: parent.right
            anchors.top: parent.top
            visible: reader.qr !== ""
            width: 220
            spacing: 6
            Rectangle {
                width: 220
                height: 220
                color: "#ffffff"
                border.color: AppState.border
                border.width: 2
                Image {
                    anchors.fill: parent
                    anchors.margins: 8
                    source: reader.qr
                    fillMode: Image.PreserveAspectFit
                    smooth: false
                }
            }
            Text {
                width: parent.width
                text: qsTr("扫码看网上原文")
                color: AppState.subtext
                font.family: AppState.fontFamily
                font.pixelSize: AppState.smallPx
                horizontalAlignment: Text.AlignHCenter
            }
        }
    }

    Flow {
        id: tools
        anchors.left: parent.left
        anchors.right: screen.portrait ? parent.right : pager.left
        anchors.top: head.bottom
        anchors.topMargin: 20
        anchors.leftMargin: screen.margin
        anchors.rightMargin: screen.margin
        spacing: 16

        KButton {
            objectName: "fontSmaller"
            width: 190
            text: qsTr("字变小")
            enabledLook: AppState.fontStep > 0
            onClicked: AppState.fontSmaller()
        }
        KButton {
            objectName: "fontLarger"
            width: 190
            text: qsTr("字变大")
            enabledLook: AppState.fontStep < AppState.fontSteps - 1
            onClicked: AppState.fontLarger()
        }
        KButton {
            objectName: "interpretationButton"
            visible: screen.interpretation !== null
            width: screen.portrait ? 420 : 480
            filled: true
            text: qsTr("看政策解读 ›")
            onClicked: AppState.open("reader", {itemId: screen.interpretation.id})
        }
        KButton {
            objectName: "originalButton"
            visible: screen.original !== null
            width: screen.portrait ? 420 : 480
            filled: true
            text: qsTr("‹ 看政策原文")
            onClicked: AppState.open("reader", {itemId: screen.original.id})
        }
    }

    Rectangle {
        id: page
        anchors.top: tools.bottom
        anchors.topMargin: 20
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: screen.portrait ? pager.top : parent.bottom
        anchors.bottomMargin: screen.portrait ? 16 : 24
        anchors.leftMargin: screen.margin
        anchors.rightMargin: screen.margin
        color: AppState.surface
        border.color: AppState.border
        border.width: 2
        radius: 12

        Flickable {
            id: flick
            objectName: "readerFlick"
            anchors.fill: parent
            anchors.margins: 28
            clip: true
            contentWidth: width
            contentHeight: body.implicitHeight
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {
                width: 18
                policy: ScrollBar.AlwaysOn
            }

            Column {
                id: body
                width: flick.width - 30
                spacing: 24
                Text {
                    objectName: "readerBody"
                    width: parent.width
                    text: reader.html
                    textFormat: Text.RichText
                    wrapMode: Text.Wrap
                    color: AppState.textColor
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.bodyPx
                    lineHeight: 1.25
                }
                Repeater {
                    model: reader.photos
                    delegate: Image {
                        required property string modelData
                        width: body.width
                        height: Math.min(implicitHeight * width / Math.max(1, implicitWidth), 900)
                        source: modelData
                        fillMode: Image.PreserveAspectFit
                        asynchronous: true
                    }
                }
            }
        }

        Message {
            anchors.centerIn: parent
            width: parent.width - 60
            visible: reader.loading && reader.html === "" || reader.error !== ""
            text: reader.error !== "" ? reader.error : qsTr("正在打开……")
        }
    }

    // Portrait: page buttons under the text. Landscape (height is scarce): beside the type buttons.
    Row {
        id: pager
        anchors.bottom: screen.portrait ? parent.bottom : undefined
        anchors.bottomMargin: 16
        anchors.horizontalCenter: screen.portrait ? parent.horizontalCenter : undefined
        anchors.top: screen.portrait ? undefined : tools.top
        anchors.right: screen.portrait ? undefined : parent.right
        anchors.rightMargin: screen.margin
        spacing: screen.portrait ? 32 : 16
        KButton {
            objectName: "pageUp"
            width: screen.portrait ? 300 : 260
            text: qsTr("▲ 上一页")
            enabledLook: flick.contentY > 0
            onClicked: flick.contentY = Math.max(0, flick.contentY - flick.height * 0.9)
        }
        KButton {
            objectName: "pageDown"
            width: screen.portrait ? 300 : 260
            text: qsTr("▼ 下一页")
            enabledLook: flick.contentY + flick.height < flick.contentHeight - 1
            onClicked: flick.contentY = Math.min(flick.contentHeight - flick.height, flick.contentY + flick.height * 0.9)
        }
    }
}
