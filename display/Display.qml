// The hall's display screen: the zone's blue ground with white characters (DB 13/T 5480 §6.1), large type
// for reading from 5 m. Python (display/player.py) sets the properties; nothing here fetches anything.
pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Window
import QtMultimedia

Window {
    id: root

    property int designWidth: 1920
    property int designHeight: 1080
    property int rotationDeg: 0
    property var slide: ({ kind: "idle" })
    property string banner: ""
    property var calls: []
    property var emergency: null
    property bool lit: true
    property string hall: ""
    property string clockText: ""
    property string modeText: ""
    // sizes in display/plan.py (TITLE_PX, BODY_PX, META_PX, HEADER, SIDE, MARGIN)
    readonly property int titlePx: 76
    readonly property int bodyPx: 60
    readonly property int bodyLine: 90
    readonly property int metaPx: 48
    readonly property int headerHeight: 150
    readonly property int side: 440
    readonly property int margin: 72
    readonly property color blue: "#0b3d91"
    readonly property color deepBlue: "#062760"

    signal videoFailed(string source, string message)
    signal videoDuration(string source, int ms)

    width: designWidth
    height: designHeight
    visible: true
    color: "black"
    title: qsTr("政务公开专区 公示屏")

    Item {
        id: stage

        readonly property bool turned: root.rotationDeg % 180 !== 0
        readonly property bool landscape: width > height
        readonly property bool hasCalls: root.calls.length > 0

        objectName: "stage"
        width: turned ? root.height : root.width
        height: turned ? root.width : root.height
        anchors.centerIn: parent
        rotation: root.rotationDeg
        visible: root.lit

        Rectangle {
            anchors.fill: parent
            color: root.blue
        }

        Rectangle {
            id: header

            width: parent.width
            height: root.headerHeight
            color: root.deepBlue

            Text {
                anchors.left: parent.left
                anchors.leftMargin: root.margin
                anchors.verticalCenter: parent.verticalCenter
                text: qsTr("政务公开专区")
                color: "white"
                font.pixelSize: 64
                font.bold: true
            }
            Column {
                anchors.right: parent.right
                anchors.rightMargin: root.margin
                anchors.verticalCenter: parent.verticalCenter
                Text {
                    anchors.right: parent.right
                    text: root.modeText
                    color: "white"
                    font.pixelSize: root.metaPx
                    font.bold: true
                }
                Text {
                    anchors.right: parent.right
                    text: root.clockText
                    color: "white"
                    font.pixelSize: root.metaPx
                    visible: !stage.turned && stage.landscape
                }
            }
        }

        Item {
            id: body

            objectName: "body"
            anchors.top: header.bottom
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.bottom: parent.bottom
            anchors.margins: root.margin
            anchors.rightMargin: root.margin + (stage.hasCalls && stage.landscape ? root.side : 0)
            anchors.bottomMargin: root.margin + (stage.hasCalls && !stage.landscape ? root.side : 0)

            // 公示牌 with nothing to show, or nothing playing: the hall's name and the time
            Column {
                objectName: "idleView"
                anchors.centerIn: parent
                spacing: 48
                visible: root.slide.kind === "idle"
                Text {
                    anchors.horizontalCenter: parent.horizontalCenter
                    width: Math.min(implicitWidth, body.width)
                    text: root.hall
                    color: "white"
                    font.pixelSize: 96
                    font.bold: true
                    wrapMode: Text.Wrap
                    horizontalAlignment: Text.AlignHCenter
                }
                Text {
                    anchors.horizontalCenter: parent.horizontalCenter
                    width: Math.min(implicitWidth, body.width)
                    text: root.clockText
                    color: "white"
                    font.pixelSize: 72
                    wrapMode: Text.Wrap
                    horizontalAlignment: Text.AlignHCenter
                }
            }

            // a notice or a page of a document
            Item {
                objectName: "pageView"
                anchors.fill: parent
                visible: root.slide.kind === "notice" || root.slide.kind === "page"

                Column {
                    id: pageHead

                    width: parent.width - (qr.visible ? qr.width + 32 : 0)
                    spacing: 12
                    Text {
                        width: parent.width
                        text: root.slide.title || ""
                        color: "white"
                        font.pixelSize: root.titlePx
                        font.bold: true
                        wrapMode: Text.Wrap
                        maximumLineCount: 2
                        elide: Text.ElideRight
                    }
                    Text {
                        width: parent.width
                        text: root.slide.meta || ""
                        color: "#dbe6ff"
                        font.pixelSize: root.metaPx
                        wrapMode: Text.Wrap
                        maximumLineCount: 2
                        elide: Text.ElideRight
                    }
                }
                Image {
                    id: qr

                    anchors.right: parent.right
                    width: 200
                    height: 200
                    source: root.slide.qr || ""
                    visible: source.toString().length > 0
                    fillMode: Image.PreserveAspectFit
                }
                Column {
                    anchors.top: pageHead.bottom
                    anchors.topMargin: 32
                    anchors.bottom: footer.top
                    width: parent.width
                    clip: true
                    Repeater {
                        model: root.slide.paragraphs || []
                        Text {
                            required property string modelData
                            width: parent.width
                            text: modelData
                            color: "white"
                            font.pixelSize: root.bodyPx
                            lineHeightMode: Text.FixedHeight
                            lineHeight: root.bodyLine
                            wrapMode: Text.Wrap
                        }
                    }
                    Image {
                        width: parent.width
                        height: Math.min(parent.height * 0.5, 480)
                        source: root.slide.image || ""
                        visible: source.toString().length > 0
                        fillMode: Image.PreserveAspectFit
                        horizontalAlignment: Image.AlignLeft
                        asynchronous: true
                    }
                }
                Row {
                    id: footer

                    anchors.bottom: parent.bottom
                    width: parent.width
                    spacing: 40
                    Text {
                        text: root.slide.pageText || ""
                        color: "#dbe6ff"
                        font.pixelSize: root.metaPx
                    }
                    Text {
                        text: root.slide.more || (qr.visible ? qsTr("扫码阅读全文") : qsTr("全文可在一体机查阅"))
                        color: "#dbe6ff"
                        font.pixelSize: root.metaPx
                    }
                }
            }

            // 电子阅报栏: the issue's cover with its 目录
            Column {
                objectName: "coverView"
                anchors.fill: parent
                spacing: 20
                visible: root.slide.kind === "cover"
                Text {
                    width: parent.width
                    text: root.slide.title || ""
                    color: "white"
                    font.pixelSize: 88
                    font.bold: true
                    wrapMode: Text.Wrap
                }
                Text {
                    text: (root.slide.date || "") + "　" + (root.slide.pageText || "")
                    color: "#dbe6ff"
                    font.pixelSize: root.metaPx
                }
                Repeater {
                    model: root.slide.kind === "cover" ? root.slide.entries : []
                    Item {
                        required property var modelData
                        width: parent.width
                        height: root.metaPx * 1.45
                        Text {
                            anchors.left: parent.left
                            anchors.right: pageNo.left
                            anchors.rightMargin: 24
                            text: parent.modelData.title
                            color: "white"
                            font.pixelSize: root.metaPx
                            elide: Text.ElideRight
                        }
                        Text {
                            id: pageNo
                            anchors.right: parent.right
                            text: String(parent.modelData.page)
                            color: "#dbe6ff"
                            font.pixelSize: root.metaPx
                        }
                    }
                }
            }

            // a video, for its length once known; one that cannot play is reported and skipped (display/player.py)
            Item {
                objectName: "videoView"
                anchors.fill: parent
                visible: root.slide.kind === "video"
                MediaPlayer {
                    id: media
                    source: root.slide.kind === "video" ? root.slide.source : ""
                    videoOutput: videoOut
                    loops: MediaPlayer.Infinite
                    onSourceChanged: if (source.toString().length > 0) play()
                    onErrorOccurred: (error, message) => root.videoFailed(source.toString(), message)
                    onDurationChanged: if (media.duration > 0) root.videoDuration(media.source.toString(), media.duration)
                }
                VideoOutput {
                    id: videoOut
                    anchors.fill: parent
                }
            }
        }

        // the last calls: a column in landscape, a band in portrait
        Rectangle {
            objectName: "callsPanel"
            visible: stage.hasCalls
            color: root.deepBlue
            x: stage.landscape ? stage.width - root.side : 0
            y: stage.landscape ? root.headerHeight : stage.height - root.side
            width: stage.landscape ? root.side : stage.width
            height: stage.landscape ? stage.height - root.headerHeight : root.side
            Column {
                anchors.fill: parent
                anchors.margins: 32
                spacing: 12
                Text {
                    text: qsTr("叫号")
                    color: "white"
                    font.pixelSize: root.metaPx
                    font.bold: true
                }
                Repeater {
                    model: root.calls
                    Row {
                        required property var modelData
                        required property int index
                        spacing: 24
                        Text {
                            text: parent.modelData.number
                            color: parent.index === 0 ? "#ffe066" : "white"
                            font.pixelSize: root.bodyPx
                            font.bold: true
                        }
                        Text {
                            anchors.baseline: parent.children[0].baseline
                            text: parent.modelData.window + qsTr("号窗口")
                            color: parent.index === 0 ? "#ffe066" : "white"
                            font.pixelSize: root.metaPx
                        }
                    }
                }
            }
        }

        // a call just made, over whatever plays
        Rectangle {
            objectName: "banner"
            visible: root.banner.length > 0
            anchors.horizontalCenter: parent.horizontalCenter
            y: root.headerHeight + 40
            width: parent.width - 2 * root.margin
            height: bannerText.implicitHeight + 60
            radius: 16
            color: "white"
            border.color: "#ffe066"
            border.width: 8
            Text {
                id: bannerText
                objectName: "bannerText"
                anchors.centerIn: parent
                width: parent.width - 60
                text: root.banner
                color: root.deepBlue
                font.pixelSize: 96
                font.bold: true
                fontSizeMode: Text.HorizontalFit  // one line, down to 72 px in portrait
                minimumPixelSize: 72
                horizontalAlignment: Text.AlignHCenter
            }
        }

        // 紧急通知 interrupts everything until withdrawn or ended
        Rectangle {
            objectName: "emergencyView"
            anchors.fill: parent
            visible: Boolean(root.emergency)
            color: "#a50e1a"
            Column {
                anchors.fill: parent
                anchors.margins: root.margin
                spacing: 40
                Text {
                    text: qsTr("紧急通知")
                    color: "white"
                    font.pixelSize: 110
                    font.bold: true
                }
                Text {
                    width: parent.width
                    text: root.emergency ? root.emergency.title : ""
                    color: "white"
                    font.pixelSize: 88
                    font.bold: true
                    wrapMode: Text.Wrap
                }
                Text {
                    width: parent.width
                    text: root.emergency ? root.emergency.text : ""
                    color: "white"
                    font.pixelSize: 68
                    lineHeight: 1.3
                    wrapMode: Text.Wrap
                }
            }
        }
    }
}
