pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Kiosk

// One 办事指南 in large type, paged like the reader: 受理条件, the materials checklist, the steps, fees,
// time limits, where (窗口指示, hall map), hours, phone, complaints, common questions. 打印材料清单 when a
// printer is configured; 取号办理 only when this kiosk offers the queue function.
KioskScreen {
    id: screen
    screenName: "guide"
    objectName: "guideScreen"

    property string itemId: ""

    readonly property bool queueOffered: AppState.functions.some(f => f.key === "queue")

    GuidePage {
        id: page
        itemId: screen.itemId
    }
    StackView.onRemoved: page.left()

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
            objectName: "printChecklist"
            visible: page.canPrint && page.hasMaterials
            width: Math.max(300, implicitWidth)
            text: page.printState === "printing" ? qsTr("正在打印") : qsTr("打印材料清单")
            enabledLook: page.printState !== "printing"
            onClicked: page.printChecklist()
        }
        KButton {
            objectName: "takeNumber"
            visible: screen.queueOffered && page.title !== ""
            width: Math.max(260, implicitWidth)
            filled: true
            text: qsTr("取号办理")
            onClicked: AppState.open("queue", {guideId: screen.itemId, guideTitle: page.title})
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
        visible: page.printState !== "" && page.printState !== "printing"
        text: page.printState === "done" ? qsTr("已打印，请在出纸口取走材料清单。") : qsTr("没有打印：%1").arg(page.printState)
        color: page.printState === "done" ? AppState.textColor : AppState.accent
        font.family: AppState.fontFamily
        font.pixelSize: AppState.bodyPx
        font.bold: true
        wrapMode: Text.Wrap

        Timer {
            running: printStatus.visible
            interval: 10000
            onTriggered: page.clearPrintState()
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

        ListView {
            id: flick
            objectName: "guideBody"
            anchors.fill: parent
            anchors.margins: 28
            anchors.rightMargin: 10
            clip: true
            model: page.blocks
            cacheBuffer: Math.max(0, height)
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {
                width: 18
                policy: ScrollBar.AlwaysOn
            }

            // A resident at the top stays at the top when the header grows (the title loading, larger type).
            property bool atTop: true
            onContentYChanged: atTop = contentY <= originY + 1
            onOriginYChanged: if (atTop) contentY = originY

            header: Column {
                width: flick.width - 30
                spacing: 12
                bottomPadding: 20

                Rectangle {
                    objectName: "demoNote"
                    visible: page.demoNote !== ""
                    width: parent.width
                    height: demoText.implicitHeight + 32
                    radius: 10
                    color: AppState.surface
                    border.color: AppState.accent
                    border.width: 4
                    Text {
                        id: demoText
                        anchors.fill: parent
                        anchors.margins: 16
                        text: page.demoNote
                        color: AppState.accent
                        font.family: AppState.fontFamily
                        font.pixelSize: AppState.bodyPx
                        font.bold: true
                        wrapMode: Text.Wrap
                    }
                }
                Text {
                    objectName: "guideTitle"
                    width: parent.width
                    text: page.title
                    color: AppState.textColor
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.titlePx
                    font.bold: true
                    wrapMode: Text.Wrap
                }
                Text {
                    width: parent.width
                    visible: page.department !== ""
                    text: qsTr("办事指南　%1").arg(page.department)
                    color: AppState.subtext
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.smallPx
                    wrapMode: Text.Wrap
                }
                Text {
                    objectName: "windowIndication"
                    width: parent.width
                    visible: page.window !== ""
                    text: page.window
                    color: AppState.primary
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.titlePx
                    font.bold: true
                    wrapMode: Text.Wrap
                }
            }

            delegate: Loader {
                id: block
                required property var modelData
                required property int index
                objectName: "guideBlock_" + index
                width: flick.width - 30
                sourceComponent: modelData.kind === "heading" ? heading : modelData.kind === "image" ? picture : entry

                Component {
                    id: heading
                    Text {
                        objectName: "guideHeading"
                        topPadding: AppState.bodyPx * 0.6
                        bottomPadding: AppState.bodyPx * 0.3
                        text: block.modelData.text
                        color: AppState.primary
                        font.family: AppState.fontFamily
                        font.pixelSize: Math.round(AppState.bodyPx * 1.3)
                        font.bold: true
                        wrapMode: Text.Wrap
                    }
                }

                // One condition, material, step, fee, fact or question: a marker (1. / 第1步 / •), the
                // name in bold, its text, and its facts (原件 · 1 份 · 来源) in the secondary colour.
                Component {
                    id: entry
                    Item {
                        readonly property real markerWidth: block.modelData.marker === "" ? 0 : markerText.implicitWidth + AppState.bodyPx * 0.5
                        height: entryColumn.implicitHeight + AppState.bodyPx * 0.6
                        Text {
                            id: markerText
                            text: block.modelData.marker
                            color: AppState.primary
                            font.family: AppState.fontFamily
                            font.pixelSize: AppState.bodyPx
                            font.bold: true
                        }
                        Column {
                            id: entryColumn
                            x: parent.markerWidth
                            width: parent.width - x
                            spacing: 4
                            Text {
                                objectName: "entryName"
                                width: parent.width
                                visible: block.modelData.name !== ""
                                // a labelled fact reads as one line: <b>实施主体：</b>定州市民政局
                                text: block.modelData.inline ? block.modelData.line : block.modelData.name
                                textFormat: block.modelData.inline ? Text.StyledText : Text.PlainText
                                color: block.modelData.big ? AppState.primary : AppState.textColor
                                font.family: AppState.fontFamily
                                font.pixelSize: block.modelData.big ? AppState.headlinePx : AppState.bodyPx
                                font.bold: !block.modelData.inline
                                wrapMode: Text.Wrap
                            }
                            Text {
                                objectName: "entryText"
                                width: parent.width
                                visible: block.modelData.text !== "" && !block.modelData.inline
                                text: block.modelData.text
                                color: AppState.textColor
                                font.family: AppState.fontFamily
                                font.pixelSize: AppState.bodyPx
                                lineHeight: 1.2
                                wrapMode: Text.Wrap
                            }
                            Text {
                                objectName: "entryFacts"
                                width: parent.width
                                visible: block.modelData.facts !== ""
                                text: block.modelData.facts
                                color: AppState.subtext
                                font.family: AppState.fontFamily
                                font.pixelSize: AppState.smallPx
                                wrapMode: Text.Wrap
                            }
                        }
                    }
                }

                // A blank form, a sample or the hall map: the full width, so it is readable at large type.
                Component {
                    id: picture
                    Column {
                        spacing: 6
                        bottomPadding: AppState.bodyPx * 0.6
                        Image {
                            objectName: "guideImage"
                            width: block.width
                            height: Math.min(implicitHeight * width / Math.max(1, implicitWidth), 1200)
                            source: block.modelData.url
                            fillMode: Image.PreserveAspectFit
                            asynchronous: true
                        }
                        Text {
                            width: block.width
                            text: block.modelData.caption
                            color: AppState.subtext
                            font.family: AppState.fontFamily
                            font.pixelSize: AppState.smallPx
                            horizontalAlignment: Text.AlignHCenter
                            wrapMode: Text.Wrap
                        }
                    }
                }
            }
        }

        Message {
            anchors.centerIn: parent
            width: parent.width - 60
            visible: page.loading && page.blocks.length === 0 || page.error !== ""
            text: page.error !== "" ? page.error : qsTr("正在打开……")
        }
    }

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
