pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// Home: one big tile per function the kiosk offers now, a search bar, and the large-type switch.
// The tiles (key, title, icon, subtitle) and where each leads come from kiosk/features: none is named here.
KioskScreen {
    id: home
    screenName: "home"
    objectName: "homeScreen"

    // The tiles are kept in a model updated in place, tile by tile (by key), from AppState.functions:
    // when a sync or a staff notice changes a count, that tile's text changes and no tile is rebuilt
    // (a finger already on one keeps its press); a new function's tile is inserted, a gone one removed.
    function syncTiles() {
        const tiles = AppState.functions;
        for (let i = tileModel.count - 1; i >= 0; --i) {
            const key = tileModel.get(i).key;
            if (!tiles.some(t => t.key === key))
                tileModel.remove(i);
        }
        for (let i = 0; i < tiles.length; ++i) {
            const tile = {key: tiles[i].key, title: tiles[i].title, icon: tiles[i].icon || "", subtitle: tiles[i].subtitle};
            let at = -1;
            for (let j = i; j < tileModel.count; ++j) {
                if (tileModel.get(j).key === tile.key) {
                    at = j;
                    break;
                }
            }
            if (at < 0) {
                tileModel.insert(i, tile);
                continue;
            }
            if (at !== i)
                tileModel.move(at, i, 1);
            const shown = tileModel.get(i);
            if (shown.title !== tile.title || shown.icon !== tile.icon || shown.subtitle !== tile.subtitle)
                tileModel.set(i, tile);
        }
    }

    Component.onCompleted: home.syncTiles()

    Connections {
        target: AppState
        function onStatusChanged() {
            home.syncTiles();
        }
    }

    ListModel {
        id: tileModel
    }

    Rectangle {
        anchors.fill: parent
        color: AppState.bg
    }

    Column {
        id: topBlock
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: home.margin
        spacing: home.portrait ? 36 : 28

        Text {
            width: parent.width
            text: qsTr("您好！请点击下面的按钮查询政府信息")
            color: AppState.textColor
            font.family: AppState.fontFamily
            font.pixelSize: AppState.titlePx
            font.bold: true
            wrapMode: Text.Wrap
        }

        // A big "search" bar: the quickest way in.
        Rectangle {
            objectName: "homeSearch"
            width: parent.width
            height: Math.max(120, searchHint.implicitHeight + 40)
            radius: 60
            color: searchArea.pressed ? AppState.pressed : AppState.surface
            border.width: 4
            border.color: AppState.primary
            Text {
                id: searchHint
                anchors.verticalCenter: parent.verticalCenter
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.leftMargin: 48
                anchors.rightMargin: 48
                text: qsTr("查找政策文件：点这里输入关键词、拼音或首字母")
                color: AppState.subtext
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                wrapMode: Text.Wrap
            }
            MouseArea {
                id: searchArea
                anchors.fill: parent
                onClicked: AppState.open("search", {})
            }
        }
    }

    // A Flow rather than a Grid so that an odd last tile (3 functions in portrait's 2 columns) can
    // take the whole row instead of leaving an empty hole beside it. The rows share the height between
    // the search bar and the buttons; when that is too little for a tile's title and subtitle (many
    // functions at the largest type), each tile keeps its text's height and the tiles scroll.
    Flickable {
        id: tilesView
        objectName: "tilesView"
        anchors.top: topBlock.bottom
        anchors.topMargin: home.portrait ? 40 : 32
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: bottomRow.top
        anchors.leftMargin: home.margin
        anchors.rightMargin: home.margin
        anchors.bottomMargin: home.portrait ? 40 : 28
        contentHeight: tiles.height
        interactive: contentHeight > height
        clip: interactive
        visible: AppState.ready

        Flow {
            id: tiles
            objectName: "tiles"
            width: tilesView.width
            readonly property int columns: home.portrait ? 2 : Math.max(1, Math.min(4, repeater.count))
            spacing: 32

            readonly property int rowsCount: Math.max(1, Math.ceil(repeater.count / columns))

            Repeater {
                id: repeater
                model: tileModel
                delegate: Rectangle {
                    id: tile
                    required property string key
                    required property string title
                    required property string icon
                    required property string subtitle
                    required property int index
                    objectName: "tile_" + tile.key
                    readonly property bool alone: tile.index === repeater.count - 1 && repeater.count % tiles.columns === 1
                    width: tile.alone ? tiles.width : (tiles.width - tiles.spacing * (tiles.columns - 1)) / tiles.columns
                    height: Math.max(48 + 2 * tileColumn.spacing + tileTitle.implicitHeight + tileSubtitle.implicitHeight,
                                     Math.min(home.portrait ? 560 : 520, (tilesView.height - tiles.spacing * (tiles.rowsCount - 1)) / tiles.rowsCount))
                    radius: 24
                    color: tileArea.pressed ? AppState.pressed : (tile.index % 2 === 0 ? AppState.primary : AppState.tileAlt)
                    border.width: AppState.highContrast ? 4 : 0
                    border.color: AppState.border
                    Accessible.role: Accessible.Button
                    Accessible.name: tile.title

                    // The icon gives way (smaller, then none) before the title or subtitle would leave the tile.
                    Column {
                        id: tileColumn
                        readonly property int iconSize: Math.min(132, tile.height - 48 - tileTitle.implicitHeight - tileSubtitle.implicitHeight - 2 * spacing)
                        anchors.centerIn: parent
                        width: parent.width - 48
                        spacing: 20
                        Rectangle {
                            anchors.horizontalCenter: parent.horizontalCenter
                            visible: tileColumn.iconSize >= 64
                            width: tileColumn.iconSize
                            height: tileColumn.iconSize
                            radius: tileColumn.iconSize / 2
                            color: "transparent"
                            border.width: 5
                            border.color: tileArea.pressed ? AppState.textColor : AppState.onPrimary
                            Text {
                                anchors.centerIn: parent
                                text: tile.icon
                                color: tileArea.pressed ? AppState.textColor : AppState.onPrimary
                                font.family: AppState.fontFamily
                                font.pixelSize: tileColumn.iconSize * 0.55
                                font.bold: true
                            }
                        }
                        // On one line where it can be: a title of Chinese characters shrinks to the tile's
                        // width, never below body size (still larger than the standard title).
                        Text {
                            id: tileTitle
                            width: parent.width
                            text: tile.title
                            color: tileArea.pressed ? AppState.textColor : AppState.onPrimary
                            font.family: AppState.fontFamily
                            font.pixelSize: Math.max(AppState.bodyPx, Math.min(AppState.headlinePx, Math.floor(width / Math.max(1, tile.title.length))))
                            font.bold: true
                            horizontalAlignment: Text.AlignHCenter
                            wrapMode: Text.Wrap
                        }
                        Text {
                            id: tileSubtitle
                            width: parent.width
                            text: tile.subtitle
                            color: tileArea.pressed ? AppState.textColor : AppState.onPrimary
                            font.family: AppState.fontFamily
                            font.pixelSize: AppState.smallPx
                            horizontalAlignment: Text.AlignHCenter
                            wrapMode: Text.Wrap
                        }
                    }
                    MouseArea {
                        id: tileArea
                        anchors.fill: parent
                        onClicked: AppState.openFeature(tile.key)
                    }
                }
            }
        }
    }

    Message {
        anchors.centerIn: tilesView
        width: tilesView.width
        visible: !AppState.ready
        text: qsTr("正在准备资料，请稍候……")
    }

    Row {
        id: bottomRow
        anchors.bottom: parent.bottom
        anchors.bottomMargin: home.margin
        anchors.horizontalCenter: parent.horizontalCenter
        spacing: 32
        KButton {
            objectName: "contrastButton"
            width: home.portrait ? 480 : 560
            text: AppState.highContrast ? qsTr("恢复标准显示") : qsTr("大字高对比模式")
            subtitle: AppState.highContrast ? qsTr("回到白底、标准字号") : qsTr("黑底大字，看得更清楚")
            onClicked: AppState.toggleContrast()
        }
        KButton {
            objectName: "homeFontButton"
            width: home.portrait ? 480 : 560
            text: qsTr("字号：%1 / %2").arg(AppState.fontStep + 1).arg(AppState.fontSteps)
            subtitle: qsTr("点一下放大字号")
            onClicked: AppState.setFontStep((AppState.fontStep + 1) % AppState.fontSteps)
        }
    }
}
