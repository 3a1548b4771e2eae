pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Kiosk

// The guides of one group of the 办事指南 catalogue (a 主题, a department, a letter); a guide opens its page.
KioskScreen {
    id: screen
    screenName: "guideList"
    objectName: "guideListScreen"

    property string audience: ""
    property string by: ""
    property string value: ""

    GuideCatalog {
        id: catalog
        audience: screen.audience
        by: screen.by
        value: screen.value
    }
    StackView.onActivated: catalog.refreshIfStale()

    ScreenTitle {
        id: title
        objectName: "guideListTitle"
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: screen.margin
        text: catalog.title
    }

    ListView {
        id: list
        objectName: "guideList"
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
        model: catalog.rows
        delegate: ItemRow {
            required property var modelData
            required property int index
            objectName: "guideRow_" + index
            width: list.width
            title: modelData.title
            badge: modelData.badge
            details: modelData.details
            onClicked: AppState.open("GuideScreen.qml", {itemId: modelData.id})
        }
    }

    Message {
        anchors.centerIn: list
        width: list.width
        visible: catalog.rows.length === 0
        text: catalog.loading ? qsTr("正在加载……") : (catalog.error !== "" ? catalog.error : qsTr("暂无办事指南"))
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
