pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Kiosk

// Search: a field with the on-screen Pinyin keyboard, or our own 拼音首字母 keypad (its example comes from
// the library: Search.example); results as you type with highlighted snippets, and what a pinyin query
// was read as (您要找的是不是); "没有找到" with suggestions: words to search, or documents to open.
KioskScreen {
    id: screen
    screenName: "search"
    objectName: "searchScreen"

    // Landscape with the on-screen keyboard up leaves ~40% of the height: the mode row folds into a
    // button beside 清空, the status moves into the field's row and the results get the rest.
    readonly property bool compact: !portrait && keyboardShown && !Search.initialsMode

    Component.onCompleted: {
        Search.setHighContrast(AppState.highContrast);
        Search.loadExample();
    }
    StackView.onActivated: {
        Search.loadExample();  // a sync may have changed the library, and with it the example
        Search.refreshIfStale();  // results found before a sync changed the content: search again
        if (!Search.initialsMode)
            Qt.callLater(field.forceActiveFocus);
    }

    Connections {
        target: Search
        function onChanged() {
            if (Search.text === "" && field.text !== "")
                field.clear();
        }
    }

    Rectangle {
        anchors.fill: parent
        color: AppState.bg
    }

    Column {
        id: head
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: screen.compact ? 20 : screen.margin
        spacing: 20

        Row {
            width: parent.width
            spacing: 16
            visible: !screen.compact
            KButton {
                objectName: "modePinyin"
                width: (parent.width - 16) / 2
                text: qsTr("拼音输入（打拼音再选字）")
                filled: !Search.initialsMode
                onClicked: {
                    Search.setInitialsMode(false);
                    field.forceActiveFocus();
                    AppState.showKeyboard();
                }
            }
            KButton {
                objectName: "modeInitials"
                width: (parent.width - 16) / 2
                text: Search.example.letters ? qsTr("拼音首字母（如 %1）").arg(Search.example.letters) : qsTr("拼音首字母")
                filled: Search.initialsMode
                onClicked: {
                    field.focus = false;
                    AppState.hideKeyboard();
                    Search.setInitialsMode(true);
                }
            }
        }

        Rectangle {
            width: parent.width
            height: screen.compact ? 108 : 116
            radius: 16
            color: AppState.surface
            border.width: 4
            border.color: AppState.primary

            TextField {
                id: field
                objectName: "searchField"
                anchors.left: parent.left
                anchors.right: screen.compact ? inlineStatus.left : clearButton.left
                anchors.verticalCenter: parent.verticalCenter
                anchors.leftMargin: 20
                anchors.rightMargin: 12
                visible: !Search.initialsMode
                focus: !Search.initialsMode
                placeholderText: screen.compact ? qsTr("输入内容") : qsTr("请输入要查找的内容")
                placeholderTextColor: AppState.subtext
                color: AppState.textColor
                font.family: AppState.fontFamily
                font.pixelSize: AppState.titlePx
                background: null
                inputMethodHints: Qt.ImhNoPredictiveText
                onTextEdited: Search.text = field.text
            }

            Text {
                objectName: "initialsText"
                anchors.left: parent.left
                anchors.right: clearButton.left
                anchors.verticalCenter: parent.verticalCenter
                anchors.leftMargin: 28
                visible: Search.initialsMode
                text: Search.text === "" ? qsTr("请点下面的字母") : Search.text
                color: Search.text === "" ? AppState.subtext : AppState.textColor
                font.family: AppState.fontFamily
                font.pixelSize: AppState.titlePx
                font.letterSpacing: 8
            }

            Text {
                id: inlineStatus
                objectName: "inlineStatus"
                anchors.right: clearButton.left
                anchors.rightMargin: 20
                anchors.verticalCenter: parent.verticalCenter
                width: Math.min(implicitWidth, parent.width * 0.3)
                visible: screen.compact
                // Short, beside the field: the count or the state (the examples wait until the keyboard is away).
                text: Search.error !== "" ? qsTr("出错了") : Search.searching ? qsTr("正在查找……")
                      : Search.resultCount > 0 ? qsTr("找到 %1 条").arg(Search.resultCount) : ""
                color: AppState.subtext
                font.family: AppState.fontFamily
                font.pixelSize: AppState.smallPx
                wrapMode: Text.Wrap
            }

            KButton {
                id: clearButton
                objectName: "clearButton"
                anchors.right: screen.compact ? compactInitials.left : parent.right
                anchors.rightMargin: 10
                anchors.verticalCenter: parent.verticalCenter
                width: 160
                height: 96
                text: qsTr("清空")
                onClicked: {
                    field.clear();
                    Search.clear();
                }
            }

            KButton {
                id: compactInitials
                objectName: "compactModeInitials"
                anchors.right: parent.right
                anchors.rightMargin: 6
                anchors.verticalCenter: parent.verticalCenter
                width: Math.max(260, implicitWidth)
                height: 96
                visible: screen.compact
                text: qsTr("改用拼音首字母")
                onClicked: {
                    field.focus = false;
                    AppState.hideKeyboard();
                    Search.setInitialsMode(true);
                }
            }
        }

        Text {
            id: status
            objectName: "searchStatus"
            width: parent.width
            visible: !screen.compact
            text: {
                if (Search.error !== "")
                    return Search.error;
                if (Search.searching)
                    return qsTr("正在查找……");
                if (Search.searched === "")
                    return Search.initialsMode ? screen.initialsHint : qsTr("例如：秸秆、社保、老旧小区，也可以输入文号");
                if (Search.resultCount > 0)
                    return qsTr("找到 %1 条与“%2”有关的内容").arg(Search.resultCount).arg(Search.searched);
                return "";
            }
            color: AppState.subtext
            font.family: AppState.fontFamily
            font.pixelSize: AppState.smallPx
            wrapMode: Text.Wrap
        }
    }

    // The keypad's example, from the library that is loaded: tapping these letters finds this word first.
    readonly property string initialsHint: Search.example.letters
        ? qsTr("例如：点 %1 查找“%2”").arg(Search.example.letters.split("").join(" ")).arg(Search.example.word)
        : qsTr("请点每个字的拼音的第一个字母")

    Text {
        id: meant
        objectName: "meantText"
        anchors.top: head.bottom
        anchors.topMargin: 8
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.leftMargin: screen.margin
        anchors.rightMargin: screen.margin
        visible: Search.meant !== "" && Search.resultCount > 0 && !screen.compact
        text: qsTr("您要找的是不是：%1").arg(Search.meant)
        color: AppState.textColor
        font.family: AppState.fontFamily
        font.pixelSize: AppState.bodyPx
        font.bold: true
        wrapMode: Text.Wrap
    }

    ListView {
        id: results
        objectName: "resultsList"
        anchors.top: meant.visible ? meant.bottom : head.bottom
        anchors.topMargin: screen.compact ? 12 : 16
        anchors.left: parent.left
        anchors.right: pad.visible && !screen.portrait ? pad.left : parent.right
        anchors.bottom: pad.visible && screen.portrait ? pad.top : parent.bottom
        anchors.leftMargin: screen.compact ? 20 : screen.margin
        anchors.rightMargin: screen.compact ? 20 : screen.margin
        anchors.bottomMargin: screen.compact ? 12 : 16
        clip: true
        spacing: 14
        model: Search.results
        delegate: Rectangle {
            id: hit
            required property var modelData
            required property int index
            objectName: "result_" + index
            width: results.width
            height: Math.max(120, hitColumn.implicitHeight + 36)
            radius: 12
            color: hitArea.pressed ? AppState.pressed : AppState.surface
            border.width: 2
            border.color: AppState.border
            Column {
                id: hitColumn
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.verticalCenter: parent.verticalCenter
                anchors.margins: 24
                spacing: 8
                Text {
                    width: parent.width
                    text: hit.modelData.title
                    color: AppState.textColor
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.bodyPx
                    font.bold: true
                    wrapMode: Text.Wrap
                }
                Text {
                    width: parent.width
                    text: hit.modelData.snippet
                    textFormat: Text.RichText
                    color: AppState.textColor
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.smallPx
                    wrapMode: Text.Wrap
                }
                Text {
                    width: parent.width
                    text: [hit.modelData.kindName, hit.modelData.docNumber, hit.modelData.date].filter(s => s).join("　")
                    color: AppState.subtext
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.smallPx
                }
            }
            MouseArea {
                id: hitArea
                anchors.fill: parent
                onClicked: {
                    AppState.hideKeyboard();
                    // a service guide opens on its own page (the checklist, 窗口指示, 打印材料清单)
                    AppState.open(hit.modelData.kind === "guide" ? "GuideScreen.qml" : "reader", {itemId: hit.modelData.id});
                }
            }
        }
    }

    // Scrolls when the suggestions are more than the space left (large type, keypad shown).
    Flickable {
        objectName: "noResults"
        anchors.top: head.bottom
        anchors.topMargin: 40
        anchors.left: parent.left
        anchors.right: pad.visible && !screen.portrait ? pad.left : parent.right
        anchors.bottom: pad.visible && screen.portrait ? pad.top : parent.bottom
        anchors.leftMargin: screen.margin
        anchors.rightMargin: screen.margin
        anchors.bottomMargin: 16
        visible: Search.searched !== "" && Search.resultCount === 0 && !Search.searching && Search.error === ""
        clip: true
        contentWidth: width
        contentHeight: nothing.implicitHeight
        boundsBehavior: Flickable.StopAtBounds

        Column {
            id: nothing
            width: parent.width
            spacing: 24
            Text {
                width: parent.width
                text: qsTr("没有找到“%1”的相关内容").arg(Search.searched)
                color: AppState.textColor
                font.family: AppState.fontFamily
                font.pixelSize: AppState.titlePx
                font.bold: true
                wrapMode: Text.Wrap
            }
            Text {
                width: parent.width
                text: Search.suggestions.length > 0 ? qsTr("您是不是要找：") : qsTr("请换一个词试试，或少输入几个字；也可以到服务台咨询工作人员。")
                color: AppState.subtext
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                wrapMode: Text.Wrap
            }
            Flow {
                id: suggestionFlow
                width: parent.width
                spacing: 16
                Repeater {
                    model: Search.suggestions
                    // A word to search, or a document to open; a long title wraps inside the screen.
                    delegate: KButton {
                        required property var modelData
                        required property int index
                        objectName: "suggestion_" + index
                        width: Math.min(implicitWidth, suggestionFlow.width)
                        text: modelData.text
                        subtitle: modelData.kind === "document" ? qsTr("点这里阅读") : ""
                        onClicked: {
                            if (modelData.kind === "document") {
                                AppState.hideKeyboard();
                                AppState.open("reader", {itemId: modelData.item_id});
                                return;
                            }
                            Search.setInitialsMode(false);
                            field.text = modelData.text;
                            Search.text = modelData.text;
                        }
                    }
                }
            }
            // Only on a kiosk that offers 信息公开申请 (its tile is on home), opened where it declares.
            KButton {
                objectName: "applyForDisclosure"
                visible: AppState.functions.some(f => f.key === "applications")
                width: parent.width
                text: qsTr("查不到想要的信息？申请政府信息公开")
                onClicked: {
                    AppState.hideKeyboard();
                    AppState.openFeature("applications");
                }
            }
        }
    }

    // Portrait: the keypad under the results. Landscape: the keypad on the right, results on the left.
    InitialsPad {
        id: pad
        objectName: "initialsPad"
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: screen.margin
        width: screen.portrait ? parent.width - 2 * screen.margin : parent.width * 0.48
        visible: Search.initialsMode
        columns: screen.portrait ? 7 : 9
    }
}
