pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Kiosk

// 公示公告: the notices valid today, newest first, each with its issuing level and validity period.
KioskScreen {
    id: screen
    screenName: "notices"
    objectName: "noticesScreen"

    Listing {
        id: listing
        source: "notices"
    }

    KeepPlace {
        id: place
        rowsOf: listing
        view: list
    }
    StackView.onActivated: place.refresh()

    ScreenTitle {
        id: title
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: screen.margin
        text: qsTr("公示公告（当前有效 %1 条）").arg(listing.count)
    }

    ListView {
        id: list
        objectName: "noticeList"
        anchors.top: title.bottom
        anchors.topMargin: 24
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: screen.portrait ? pager.top : parent.bottom
        anchors.bottomMargin: 16
        anchors.leftMargin: screen.margin
        anchors.rightMargin: screen.portrait ? screen.margin : pager.width + 2 * screen.margin
        clip: true
        ScrollBar.vertical: ScrollBar {
            width: 18
            policy: ScrollBar.AsNeeded
        }
        spacing: 18
        model: listing.rows
        delegate: Rectangle {
            id: card
            required property var modelData
            required property int index
            objectName: "notice_" + index
            width: list.width
            height: cardColumn.implicitHeight + 48
            radius: 14
            color: cardArea.pressed ? AppState.pressed : AppState.surface
            border.width: 2
            border.color: AppState.border
            Column {
                id: cardColumn
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.top: parent.top
                anchors.margins: 24
                spacing: 10
                Row {
                    spacing: 16
                    Rectangle {
                        width: levelText.implicitWidth + 28
                        height: levelText.implicitHeight + 12
                        radius: 8
                        color: AppState.accent
                        Text {
                            id: levelText
                            anchors.centerIn: parent
                            text: card.modelData.level !== "" ? qsTr("%1级发布").arg(card.modelData.level) : qsTr("本级发布")
                            color: AppState.onAccent
                            font.family: AppState.fontFamily
                            font.pixelSize: AppState.smallPx
                            font.bold: true
                        }
                    }
                    Text {
                        anchors.verticalCenter: parent.verticalCenter
                        text: qsTr("有效期：%1 至 %2").arg(card.modelData.validFrom).arg(card.modelData.validTo)
                        color: AppState.subtext
                        font.family: AppState.fontFamily
                        font.pixelSize: AppState.smallPx
                    }
                }
                Text {
                    width: parent.width
                    text: card.modelData.title
                    color: AppState.textColor
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.titlePx
                    font.bold: true
                    wrapMode: Text.Wrap
                }
                Text {
                    width: parent.width
                    text: card.modelData.text
                    color: AppState.textColor
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.bodyPx
                    wrapMode: Text.Wrap
                    maximumLineCount: 3
                    elide: Text.ElideRight
                }
                Text {
                    text: qsTr("点击查看全文 ›")
                    color: AppState.primary
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.smallPx
                    font.bold: true
                }
            }
            MouseArea {
                id: cardArea
                anchors.fill: parent
                onClicked: AppState.open("reader", {itemId: card.modelData.id})
            }
        }
    }

    Message {
        anchors.centerIn: list
        width: list.width
        visible: listing.count === 0
        text: listing.loading ? qsTr("正在加载……") : (listing.error !== "" ? listing.error : qsTr("目前没有正在公示的公告"))
    }

    Pager {
        id: pager
        view: list
        vertical: !screen.portrait
        anchors.bottom: screen.portrait ? parent.bottom : undefined
        anchors.bottomMargin: 16
        anchors.horizontalCenter: screen.portrait ? parent.horizontalCenter : undefined
        anchors.right: screen.portrait ? undefined : parent.right
        anchors.rightMargin: screen.margin
        anchors.verticalCenter: screen.portrait ? undefined : list.verticalCenter
        buttonWidth: screen.portrait ? 300 : 240
    }
}
