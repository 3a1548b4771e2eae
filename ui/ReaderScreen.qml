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
    }
    Component.onDestruction: reader.leave()

    Rectangle {
        anchors.fill: parent
        color: AppState.bg
    }

    Flow {
        id: tools
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.topMargin: screen.margin
        anchors.leftMargin: screen.margin
        anchors.rightMargin: screen.margin
        spacing: 16

        KButton {
            objectName: "fontSmaller"
            width: Math.max(190, implicitWidth)
            text: qsTr("字变小")
            enabledLook: AppState.fontStep > 0
            onClicked: AppState.fontSmaller()
        }
        KButton {
            objectName: "fontLarger"
            width: Math.max(190, implicitWidth)
            text: qsTr("字变大")
            enabledLook: AppState.fontStep < AppState.fontSteps - 1
            onClicked: AppState.fontLarger()
        }
        KButton {
            objectName: "interpretationButton"
            visible: screen.interpretation !== null
            width: Math.max(screen.portrait ? 340 : 480, implicitWidth)
            filled: true
            text: qsTr("看政策解读 ›")
            onClicked: AppState.open("reader", {itemId: screen.interpretation.id})
        }
        KButton {
            objectName: "printButton"
            visible: reader.canPrint
            width: Math.max(220, implicitWidth)
            text: reader.printState === "printing" ? qsTr("正在打印") : qsTr("打印要点")
            enabledLook: reader.printState !== "printing"
            onClicked: reader.printOut()
        }
        KButton {
            objectName: "applyForInformation"
            visible: reader.kind === "document" && AppState.functions.some(f => f.key === "applications")
            width: Math.max(screen.portrait ? 340 : 480, implicitWidth)
            text: qsTr("申请公开相关信息")
            onClicked: AppState.open("applications", {itemId: reader.itemId, docTitle: reader.title, docNumber: reader.docNumber})
        }
        KButton {
            objectName: "originalButton"
            visible: screen.original !== null
            width: Math.max(screen.portrait ? 340 : 480, implicitWidth)
            filled: true
            text: qsTr("‹ 看政策原文")
            onClicked: AppState.open("reader", {itemId: screen.original.id})
        }
    }

    Text {
        id: printStatus
        objectName: "printStatus"
        anchors.top: tools.bottom
        anchors.topMargin: 12
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.leftMargin: screen.margin
        anchors.rightMargin: screen.margin
        visible: reader.printState !== "" && reader.printState !== "printing"
        text: reader.printState === "done" ? qsTr("已打印，请在出纸口取走小票。") : qsTr("没有打印：%1").arg(reader.printState)
        color: reader.printState === "done" ? AppState.textColor : AppState.accent
        font.family: AppState.fontFamily
        font.pixelSize: AppState.bodyPx
        font.bold: true
        wrapMode: Text.Wrap

        Timer {
            running: printStatus.visible
            interval: 10000
            onTriggered: reader.clearPrintState()
        }
    }

    Rectangle {
        id: pageBox
        anchors.top: printStatus.visible ? printStatus.bottom : tools.bottom
        anchors.topMargin: 20
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: screen.portrait ? pager.top : parent.bottom
        anchors.bottomMargin: screen.portrait ? 16 : 24
        anchors.leftMargin: screen.margin
        anchors.rightMargin: screen.portrait ? screen.margin : pager.width + 2 * screen.margin
        color: AppState.surface
        border.color: AppState.border
        border.width: 2
        radius: 12

        // The document as a list of blocks: only what is on screen is laid out and drawn, and a table
        // is drawn cell by cell (see kiosk/richtext.py for why no block is a rich-text table).
        ListView {
            id: flick
            objectName: "readerBody"
            anchors.fill: parent
            anchors.margins: 28
            anchors.rightMargin: 10
            clip: true
            model: reader.blocks
            cacheBuffer: Math.max(0, height)
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {
                width: 18
                policy: ScrollBar.AlwaysOn
            }

            // A list view keeps its first row in place when the header above it grows (the title
            // loading, a larger type size): a resident at the top stays at the top, title included.
            property bool atTop: true
            onContentYChanged: atTop = contentY <= originY + 1
            onOriginYChanged: if (atTop) contentY = originY

            header: Item {
                id: head
                width: flick.width - 30
                height: Math.max(titleColumn.implicitHeight, qrBox.visible ? qrBox.height : 0) + 28

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
                    }
                    Text {
                        width: parent.width
                        text: [reader.docNumber, reader.issuer, reader.date, reader.level !== "" ? qsTr("发布层级：%1").arg(reader.level) : "",
                               reader.validity !== "" ? qsTr("有效期：%1").arg(reader.validity) : ""].filter(s => s).join("　")
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
                        color: AppState.qrBackground
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

            delegate: Loader {
                id: block
                required property var modelData
                required property int index
                objectName: "block_" + index
                width: flick.width - 30
                sourceComponent: modelData.kind === "row" ? tableRow : modelData.kind === "rule" ? rule : textBlock

                Component {
                    id: textBlock
                    Item {
                        readonly property bool isItem: block.modelData.kind === "item"
                        readonly property bool isHeading: block.modelData.kind === "heading"
                        readonly property real sizeFactor: isHeading ? ({1: 1.45, 2: 1.3, 3: 1.18, 4: 1.08})[block.modelData.level] || 1.0 : 1.0
                        height: blockText.implicitHeight + (isHeading ? AppState.bodyPx * 0.8 : AppState.bodyPx * 0.5)
                        Text {
                            visible: parent.isItem
                            width: AppState.bodyPx * 2
                            text: block.modelData.marker || ""
                            horizontalAlignment: Text.AlignRight
                            color: AppState.textColor
                            font.family: AppState.fontFamily
                            font.pixelSize: AppState.bodyPx
                            lineHeight: 1.25
                        }
                        Text {
                            id: blockText
                            objectName: parent.isHeading ? "headingText" : "blockText"
                            x: parent.isItem ? AppState.bodyPx * 2.5 : 0
                            y: parent.isHeading ? AppState.bodyPx * 0.5 : 0
                            width: parent.width - x
                            text: block.modelData.html || ""
                            textFormat: Text.StyledText
                            wrapMode: Text.Wrap
                            color: parent.isHeading ? AppState.primary : AppState.textColor
                            font.family: AppState.fontFamily
                            font.pixelSize: Math.round(AppState.bodyPx * parent.sizeFactor)
                            font.bold: parent.isHeading
                            lineHeight: 1.25
                        }
                    }
                }

                Component {
                    id: rule
                    Item {
                        height: AppState.bodyPx
                        Rectangle {
                            anchors.verticalCenter: parent.verticalCenter
                            width: parent.width
                            height: 2
                            color: AppState.border
                        }
                    }
                }

                // One table row: cells placed by the fractions the blocks carry, so every row of a table
                // (and a cell spanning columns) lines up; grid lines overlap by one pixel.
                Component {
                    id: tableRow
                    Item {
                        id: row
                        readonly property int pad: Math.max(6, Math.round(AppState.bodyPx / 3))
                        readonly property int gap: block.modelData.last ? AppState.bodyPx / 2 : 0
                        height: cellTexts.childrenRect.height + 2 * pad + gap
                        Repeater {
                            model: block.modelData.cells
                            delegate: Rectangle {
                                required property var modelData
                                x: Math.round(modelData.x * row.width)
                                width: Math.round((modelData.x + modelData.w) * row.width) - x + 2
                                y: block.modelData.first ? 0 : -2
                                height: row.height - row.gap - y
                                color: block.modelData.head ? AppState.pressed : AppState.surface
                                border.color: AppState.border
                                border.width: 2
                            }
                        }
                        Item {
                            id: cellTexts
                            width: row.width
                            Repeater {
                                model: block.modelData.cells
                                delegate: Text {
                                    required property var modelData
                                    x: Math.round(modelData.x * row.width) + row.pad
                                    y: row.pad
                                    width: Math.round(modelData.w * row.width) - 2 * row.pad
                                    text: modelData.html
                                    textFormat: Text.StyledText
                                    wrapMode: Text.Wrap
                                    color: AppState.textColor
                                    font.family: AppState.fontFamily
                                    font.pixelSize: AppState.bodyPx
                                    font.bold: block.modelData.head
                                }
                            }
                        }
                    }
                }
            }

            footer: Column {
                width: flick.width - 30
                spacing: 24
                Repeater {
                    model: reader.photos
                    delegate: Image {
                        required property string modelData
                        width: parent.width
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
            visible: reader.loading && reader.blocks.length === 0 || reader.error !== ""
            text: reader.error !== "" ? reader.error : qsTr("正在打开……")
        }
    }

    // Portrait: page buttons under the text. Landscape (height is scarce): in a column beside it.
    Pager {
        id: pager
        view: flick
        vertical: !screen.portrait
        anchors.bottom: screen.portrait ? parent.bottom : undefined
        anchors.bottomMargin: 16
        anchors.horizontalCenter: screen.portrait ? parent.horizontalCenter : undefined
        anchors.right: screen.portrait ? undefined : parent.right
        anchors.rightMargin: screen.margin
        anchors.verticalCenter: screen.portrait ? undefined : pageBox.verticalCenter
        buttonWidth: screen.portrait ? 300 : 240
    }
}
