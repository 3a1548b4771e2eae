import QtQuick
import Kiosk

// ▲/▼ page buttons for a list or the reader, and where the resident is ("第 2 / 5 页"), so a long list
// shows there is more below; hidden (its place kept, so nothing moves) while everything fits on one page.
Row {
    id: pager

    required property Flickable view
    property int buttonWidth: 260

    // A list view only estimates the height of rows it has not laid out yet, so the count of pages is an
    // estimate too; it never claims the last page while there is more below.
    readonly property real step: Math.max(1, view.height * 0.9)
    readonly property int estimate: Math.max(1, Math.ceil((view.contentHeight - view.height) / step - 0.01) + 1)
    readonly property int page: Math.max(1, Math.ceil((view.contentY - view.originY) / step - 0.01) + 1)
    readonly property int pages: view.atYEnd ? page : Math.max(estimate, page + 1)

    function pageBy(direction: int) {
        const top = view.originY;
        const bottom = view.originY + view.contentHeight - view.height;
        view.contentY = Math.max(top, Math.min(bottom, view.contentY + direction * step));
        view.returnToBounds();
    }

    visible: pages > 1
    spacing: 20

    KButton {
        objectName: "pageUp"
        width: pager.buttonWidth
        text: qsTr("▲ 上一页")
        enabledLook: !pager.view.atYBeginning
        onClicked: pager.pageBy(-1)
    }
    Text {
        objectName: "pagePosition"
        anchors.verticalCenter: parent.verticalCenter
        text: qsTr("第 %1 / %2 页").arg(pager.page).arg(pager.pages)
        color: AppState.subtext
        font.family: AppState.fontFamily
        font.pixelSize: AppState.smallPx
    }
    KButton {
        objectName: "pageDown"
        width: pager.buttonWidth
        text: qsTr("▼ 下一页")
        enabledLook: !pager.view.atYEnd
        onClicked: pager.pageBy(1)
    }
}
