pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Kiosk

// 办事指南: 公民类 or 企业类, then by 主题 (life events), by department, A–Z by 拼音首字母 (no typing), or
// every guide; a group opens its guides (GuideListScreen), a guide its page (GuideScreen).
KioskScreen {
    id: screen
    screenName: "guides"
    objectName: "guidesScreen"

    property string audience: "公民类"
    property string by: "theme"

    readonly property var tabs: [
        {key: "theme", title: qsTr("按主题")},
        {key: "department", title: qsTr("按部门")},
        {key: "letter", title: qsTr("按拼音首字母")},
        {key: "", title: qsTr("全部事项")}
    ]
    readonly property bool lettersShown: screen.by === "letter"
    readonly property var rows: screen.by === "" ? catalog.rows : catalog.groups

    function openRow(row: var) {
        if (row.id !== undefined)
            AppState.open("GuideScreen.qml", {itemId: row.id});
        else
            AppState.open("GuideListScreen.qml", {audience: screen.audience, by: screen.by, value: row.name});
    }

    GuideCatalog {
        id: catalog
        audience: screen.audience
        by: screen.by
    }
    StackView.onActivated: catalog.refreshIfStale()

    // Portrait: the title above the buttons. Landscape, where height is scarce: the title beside them.
    Grid {
        id: head
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: screen.margin
        columns: screen.portrait ? 1 : 2
        spacing: 20
        verticalItemAlignment: Grid.AlignVCenter

        ScreenTitle {
            id: title
            width: screen.portrait ? head.width : implicitWidth
            text: qsTr("办事指南")
        }

        // 公民类 / 企业类 (each with how many guides it holds; one without any cannot be chosen), then the
        // ways to browse. Portrait: the two, then the four in a row (two rows when large type would break
        // their labels). Landscape: all six in one row (three a row at large type).
        Flow {
            id: choices
            readonly property real longest: longestTab.width + 56
            readonly property int perRow: screen.portrait ? (width >= 4 * longest + 48 ? 4 : 2) : (width >= 6 * longest + 80 ? 6 : 3)
            readonly property int cell: Math.floor((width - 16 * (perRow - 1)) / perRow)
            width: screen.portrait ? head.width : head.width - title.width - head.spacing
            spacing: 16
            TextMetrics {
                id: longestTab
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                font.bold: true
                text: qsTr("按拼音首字母")
            }
            Repeater {
                model: catalog.audiences
                delegate: KButton {
                    required property var modelData
                    readonly property string count: modelData.count > 0 ? qsTr("共 %1 项").arg(modelData.count) : qsTr("本机暂无此类事项")
                    objectName: "audience_" + modelData.name
                    width: screen.portrait ? Math.floor((choices.width - 16) / 2) : choices.cell
                    text: modelData.name
                    subtitle: screen.portrait ? modelData.hint + "\n" + count : count
                    filled: screen.audience === modelData.name
                    enabledLook: modelData.count > 0
                    onClicked: screen.audience = modelData.name
                }
            }
            Repeater {
                model: screen.tabs
                delegate: KButton {
                    required property var modelData
                    objectName: "guideTab_" + (modelData.key || "all")
                    width: choices.cell
                    text: modelData.title
                    filled: screen.by === modelData.key
                    onClicked: screen.by = modelData.key
                }
            }
        }
    }

    ListView {
        id: list
        objectName: "guideGroups"
        visible: !screen.lettersShown
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
        model: screen.lettersShown ? [] : screen.rows
        delegate: ItemRow {
            required property var modelData
            required property int index
            objectName: "guideRow_" + index
            width: list.width
            title: modelData.title
            badge: modelData.badge
            details: modelData.details
            onClicked: screen.openRow(modelData)
        }
    }

    // A to Z: a letter opens the guides whose name starts with it in pinyin (城 → C).
    GridView {
        id: letterGrid
        objectName: "guideLetters"
        readonly property int columns: Math.max(3, Math.floor(width / Math.max(170, AppState.bodyPx * 5)))
        visible: screen.lettersShown
        anchors.fill: list
        clip: true
        cellWidth: Math.floor(width / columns)
        cellHeight: Math.max(118, AppState.bodyPx * 2 + AppState.smallPx + 48)
        model: screen.lettersShown ? catalog.letters : []
        delegate: Item {
            id: cell
            required property var modelData
            width: letterGrid.cellWidth
            height: letterGrid.cellHeight
            KButton {
                objectName: "letter_" + cell.modelData.name
                anchors.fill: parent
                anchors.margins: 8
                text: cell.modelData.name
                textPx: Math.round(AppState.bodyPx * 1.4)
                subtitle: cell.modelData.count > 0 ? qsTr("%1 项").arg(cell.modelData.count) : qsTr("无")
                enabledLook: cell.modelData.count > 0
                onClicked: AppState.open("GuideListScreen.qml", {audience: screen.audience, by: "letter", value: cell.modelData.name})
            }
        }
    }

    Message {
        anchors.centerIn: list
        width: list.width
        visible: !screen.lettersShown && screen.rows.length === 0
        text: catalog.loading ? qsTr("正在加载……") : (catalog.error !== "" ? catalog.error : qsTr("暂无办事指南"))
    }

    Pager {
        id: pager
        view: screen.lettersShown ? letterGrid : list
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
