pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Kiosk

// 政府信息查询: search, or browse by gazette issue, by topic (住房, 就业 …), by section, by 重点领域, by date.
KioskScreen {
    id: screen
    screenName: "library"
    objectName: "libraryScreen"

    property string tab: "issues"

    readonly property var tabs: [
        {key: "issues", title: qsTr("按公报期号")},
        {key: "topics", title: qsTr("按主题")},
        {key: "sections", title: qsTr("按栏目")},
        {key: "categories", title: qsTr("按重点领域")},
        {key: "dates", title: qsTr("按日期")}
    ]

    function openRow(row: var) {
        if (screen.tab === "issues")
            AppState.open("list", {source: "toc", argument: row.id});
        else if (screen.tab === "sections")
            AppState.open("list", {source: "section", argument: row.name});
        else if (screen.tab === "categories")
            AppState.open("list", {source: "category", argument: row.name});
        else if (screen.tab === "topics")
            AppState.open("list", {source: "topic", argument: row.name});
        else
            AppState.open("reader", {itemId: row.id});
    }

    function rowTitle(row: var): string {
        return screen.tab === "issues" ? row.title : (screen.tab === "dates" ? row.title : row.name);
    }

    function rowDetails(row: var): string {
        if (screen.tab === "issues")
            return qsTr("出版日期：%1　目录 %2 篇").arg(row.date).arg(row.entries);
        if (screen.tab === "sections")
            return qsTr("共 %1 篇").arg(row.count);
        if (screen.tab === "categories" || screen.tab === "topics")
            return row.examples === undefined ? "" : qsTr("共 %1 篇：").arg(row.count) + row.examples.map(t => "《" + t + "》").join("、");
        return [row.docNumber, row.date].filter(s => s).join("　");
    }

    Listing {
        id: listing
        source: screen.tab
    }

    KeepPlace {
        id: place
        rowsOf: listing
        view: list
    }
    StackView.onActivated: place.refresh()

    Column {
        id: head
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: screen.margin
        spacing: 24

        ScreenTitle {
            width: parent.width
            text: qsTr("政府信息查询")
        }

        KButton {
            objectName: "searchEntry"
            width: parent.width
            filled: true
            text: qsTr("输入关键词查找")
            subtitle: qsTr("可用拼音输入，或只点拼音首字母")
            onClicked: AppState.open("search", {})
        }

        // All tabs in a row, or in rows of three or two when large type would break their labels.
        Flow {
            id: tabRow
            readonly property int fits: Math.max(1, Math.floor((width + 16) / (longestTab.width + 56 + 16)))
            readonly property int perRow: fits >= screen.tabs.length ? screen.tabs.length : Math.max(2, Math.min(3, fits))
            width: parent.width
            spacing: 16
            TextMetrics {
                id: longestTab
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                font.bold: true
                text: screen.tabs.reduce((a, t) => t.title.length > a.length ? t.title : a, "")
            }
            Repeater {
                model: screen.tabs
                delegate: KButton {
                    required property var modelData
                    objectName: "tab_" + modelData.key
                    width: (tabRow.width - 16 * (tabRow.perRow - 1)) / tabRow.perRow
                    text: modelData.title
                    filled: screen.tab === modelData.key
                    onClicked: screen.tab = modelData.key
                }
            }
        }
    }

    ListView {
        id: list
        objectName: "libraryList"
        anchors.top: head.bottom
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
        section.property: screen.tab === "dates" ? "month" : ""
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
            title: screen.rowTitle(modelData)
            details: screen.rowDetails(modelData)
            onClicked: screen.openRow(modelData)
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
