import QtQuick
import Kiosk

// ▲/▼ page buttons for a list or the reader, and where the resident is ("第 2 / 5 页"), so a long list
// shows there is more below; hidden (its place kept, so nothing moves) while everything fits on one page.
// In a row under the list, or (`vertical`, landscape, where height is scarce) in a column beside it.
Grid {
    id: pager

    required property Flickable view
    property int buttonWidth: 260
    property bool vertical: false

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
    columns: vertical ? 1 : 3
    spacing: 20
    horizontalItemAlignment: Grid.AlignHCenter
    verticalItemAlignment: Grid.AlignVCenter

    KButton {
        objectName: "pageUp"
        width: Math.max(pager.buttonWidth, implicitWidth)
        text: qsTr("▲ 上一页")
        enabledLook: !pager.view.atYBeginning
        onClicked: pager.pageBy(-1)
    }
    Text {
        objectName: "pagePosition"
        text: qsTr("第 %1 / %2 页").arg(pager.page).arg(pager.pages)
        color: AppState.subtext
        font.family: AppState.fontFamily
        font.pixelSize: AppState.smallPx
    }
    KButton {
        objectName: "pageDown"
        width: Math.max(pager.buttonWidth, implicitWidth)
        text: qsTr("▼ 下一页")
        enabledLook: !pager.view.atYEnd
        onClicked: pager.pageBy(1)
    }
}
