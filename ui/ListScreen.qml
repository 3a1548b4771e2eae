pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Kiosk

// A list of documents: a gazette issue's table of contents, a section, a 重点领域, all 解读 or guides.
KioskScreen {
    id: screen
    screenName: "list"
    objectName: "listScreen"

    property string source: ""
    property string argument: ""

    function details(row: var): string {
        if (screen.source === "toc")
            return (row.id === "" ? qsTr("本机未收录　") : "") + (row.page !== "" ? qsTr("第 %1 页").arg(row.page) : "");
        return [row.kindName, row.docNumber, row.date].filter(s => s).join("　");
    }

    Listing {
        id: listing
        source: screen.source
        argument: screen.argument
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
        text: listing.title
    }

    ListView {
        id: list
        objectName: "itemList"
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
        spacing: 14
        model: listing.rows
        section.property: screen.source === "toc" ? "section" : ""
        section.delegate: Text {
            required property string section
            width: list.width
            height: 72
            verticalAlignment: Text.AlignBottom
            text: section
            color: AppState.primary
            font.family: AppState.fontFamily
            font.pixelSize: AppState.titlePx
            font.bold: true
        }
        delegate: ItemRow {
            required property var modelData
            required property int index
            objectName: "row_" + index
            width: list.width
            title: modelData.title
            details: screen.details(modelData)
            active: modelData.id !== ""
            onClicked: AppState.open(modelData.kind === "guide" ? "GuideScreen.qml" : "reader", {itemId: modelData.id})
        }
    }

    Message {
        anchors.centerIn: list
        width: list.width
        visible: listing.count === 0
        text: listing.loading ? qsTr("正在加载……") : (listing.error !== "" ? listing.error : qsTr("暂无内容"))
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
