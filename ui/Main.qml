pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings
import Kiosk

// The kiosk window: header with zone, hall and clock; the screens in a StackView; the back/home bar;
// the on-screen keyboard; the idle countdown; the hidden staff corner; the maintenance screen.
Window {
    id: window

    property int designWidth: 1080
    property int designHeight: 1920

    objectName: "mainWindow"
    width: designWidth
    height: designHeight
    visible: true
    color: AppState.bg
    title: qsTr("政务公开专区")

    function navigate(name: string, argument: string): bool {
        const props = {};
        if (name === "reader") {
            props.itemId = argument;
        } else if (name === "list") {
            const parts = argument.split("|");
            props.source = parts[0];
            props.argument = parts.slice(1).join("|");
        }
        return stage.push(name, props);
    }

    Item {
        id: stage

        readonly property bool portrait: height >= width
        readonly property int margin: portrait ? 36 : 48
        // Landscape with the on-screen keyboard up: the keyboard takes ~40% of the height, so the
        // back/home buttons move from the bar above the keyboard into the header and the screen gets
        // the rest. (Portrait has room for the bar above the keyboard.)
        readonly property bool navInHeader: keyboard.shown && !portrait
        readonly property bool showNav: stack.depth > 1 && AppState.maintenance === ""

        function component(name: string): Component {
            switch (name) {
            case "list": return listScreen;
            case "reader": return readerScreen;
            case "search": return searchScreen;
            case "pin": return pinScreen;
            case "staff": return staffScreen;
            }
            return null;
        }

        // A screen of the kiosk itself by name, or a function's own screen by its QML file (declared in
        // kiosk/features), so a new function needs no entry here.
        function push(name: string, props: var): bool {
            const comp = component(name);
            if (comp !== null)
                stack.push(comp, props);
            else if (name.endsWith("Screen.qml"))
                stack.push(Qt.resolvedUrl(name), props);
            else
                return false;
            return true;
        }

        function goHome() {
            AppState.hideKeyboard();
            stack.pop(null);
        }

        width: window.designWidth
        height: window.designHeight
        scale: Math.min(window.width / window.designWidth, window.height / window.designHeight)
        transformOrigin: Item.TopLeft

        Rectangle {
            id: header
            objectName: "header"
            anchors.left: parent.left
            anchors.right: parent.right
            height: stage.portrait ? 170 : 150
            color: AppState.header
            border.width: AppState.highContrast ? 3 : 0
            border.color: AppState.headerText

            Column {
                anchors.left: parent.left
                anchors.leftMargin: stage.margin
                anchors.verticalCenter: parent.verticalCenter
                spacing: 6
                Text {
                    objectName: "zoneName"
                    text: qsTr("政务公开专区")
                    color: AppState.headerText
                    font.family: AppState.fontFamily
                    font.pixelSize: 58
                    font.bold: true
                    font.letterSpacing: 6
                }
                Text {
                    objectName: "hallName"
                    text: AppState.hallName
                    color: AppState.headerText
                    font.family: AppState.fontFamily
                    font.pixelSize: 30
                }
            }
            Column {
                anchors.right: parent.right
                anchors.rightMargin: stage.margin
                anchors.verticalCenter: parent.verticalCenter
                spacing: 4
                Text {
                    anchors.right: parent.right
                    objectName: "clock"
                    text: AppState.clockText
                    color: AppState.headerText
                    font.family: AppState.fontFamily
                    font.pixelSize: 54
                    font.bold: true
                }
                Text {
                    anchors.right: parent.right
                    text: AppState.dateText
                    color: AppState.headerText
                    font.family: AppState.fontFamily
                    font.pixelSize: 28
                }
            }

            Row {
                objectName: "headerNav"
                anchors.centerIn: parent
                spacing: 24
                visible: stage.showNav && stage.navInHeader
                KButton {
                    objectName: "headerBackButton"
                    width: 380
                    text: qsTr("‹ 返回上一页")
                    textPx: 36  // fixed like the rest of the header: it must fit in it at any type size
                    onClicked: {
                        AppState.hideKeyboard();
                        stack.pop();
                    }
                }
                KButton {
                    objectName: "headerHomeButton"
                    width: 380
                    text: qsTr("⌂ 回到首页")
                    textPx: 36  // fixed like the rest of the header: it must fit in it at any type size
                    onClicked: stage.goHome()
                }
            }
        }

        StackView {
            id: stack
            objectName: "stack"
            anchors.top: header.bottom
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.bottom: navBar.visible ? navBar.top : keyboardSpace.top
            visible: AppState.maintenance === ""
            initialItem: homeScreen
            clip: true
            pushEnter: null
            pushExit: null
            popEnter: null
            popExit: null
            replaceEnter: null
            replaceExit: null
            onCurrentItemChanged: {
                const screen = stack.currentItem as KioskScreen;
                AppState.setScreen(screen ? screen.screenName : "", stack.depth);
                if (stack.depth > 1)
                    keyboard.load();
            }
        }

        Binding {
            target: stack.currentItem as KioskScreen
            // not `target !== null`: QQmlBind::target has no NOTIFY signal (a warning on Qt 6.8)
            when: (stack.currentItem as KioskScreen) !== null
            property: "keyboardShown"
            value: keyboard.shown
        }

        Rectangle {
            id: navBar
            objectName: "navBar"
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.bottom: keyboardSpace.top
            height: visible ? 132 : 0
            visible: stage.showNav && !stage.navInHeader
            color: AppState.surface
            border.color: AppState.border
            border.width: 2

            Row {
                anchors.centerIn: parent
                spacing: 40
                KButton {
                    objectName: "backButton"
                    width: stage.portrait ? 440 : 520
                    text: qsTr("‹ 返回上一页")
                    textPx: AppState.titlePx
                    onClicked: {
                        AppState.hideKeyboard();
                        stack.pop();
                    }
                }
                KButton {
                    objectName: "homeButton"
                    width: stage.portrait ? 440 : 520
                    filled: true
                    text: qsTr("⌂ 回到首页")
                    textPx: AppState.titlePx
                    onClicked: stage.goHome()
                }
            }
        }

        Item {
            id: keyboardSpace
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.bottom: parent.bottom
            height: keyboard.shown ? keyboard.panel.height : 0
        }

        // The on-screen keyboard costs more to create than the whole home screen: it is created just
        // after the home screen is up (or when a resident opens a screen before that), not before the
        // first frame.
        Loader {
            id: keyboard

            readonly property InputPanel panel: item as InputPanel
            readonly property bool shown: panel !== null && panel.active

            // Created in one go (not `asynchronous`): a field that takes focus while the panel is still
            // incubating never gets its keys.
            function load() {
                if (active)
                    return;
                VirtualKeyboardSettings.styleName = "kiosk";  // ui/keyboard: large candidates and keys
                VirtualKeyboardSettings.locale = "zh_CN";
                VirtualKeyboardSettings.activeLocales = ["zh_CN"];
                active = true;
            }

            z: 50
            active: false
            sourceComponent: Component {
                InputPanel {
                    objectName: "inputPanel"
                    width: stage.portrait ? stage.width : stage.width * 0.6
                    x: (stage.width - width) / 2
                    y: active ? stage.height - height : stage.height
                    visible: active
                }
            }
        }

        Timer {
            interval: 300
            running: AppState.ready
            onTriggered: keyboard.load()
        }

        MaintenanceScreen {
            objectName: "maintenanceScreen"
            anchors.top: header.bottom
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.bottom: parent.bottom
            visible: AppState.maintenance !== ""
            message: AppState.maintenance
        }

        // The hidden staff gesture: a long press on one corner opens the PIN pad (or, on a kiosk with no staff
        // PIN and no enrolment yet, the setup wizard, whose steps include setting the PIN; with a PIN, the PIN
        // pad opens the wizard over the staff screen until it is finished or dismissed).
        MouseArea {
            objectName: "staffCorner"
            z: 60
            width: 140
            height: 140
            x: AppState.staffCorner.endsWith("right") ? parent.width - width : 0
            y: AppState.staffCorner.startsWith("bottom") ? parent.height - height : 0
            pressAndHoldInterval: AppState.staffHoldMs
            onPressAndHold: {
                if (AppState.currentScreen !== "pin" && AppState.currentScreen !== "staff"
                        && AppState.currentScreen !== "setupWizard")
                    stage.push(SetupWizard.opensWithoutPin() ? "SetupWizardScreen.qml" : "pin", {});
            }
        }

        IdleOverlay {
            objectName: "idleOverlay"
            anchors.fill: parent
            z: 100
            visible: AppState.idleCountdown >= 0
            seconds: AppState.idleCountdown
        }

        Connections {
            target: AppState
            function onHomeRequested() {
                stage.goHome();
            }
            function onBackRequested() {
                if (stack.depth > 1)
                    stack.pop();
            }
            function onNavigateRequested(name: string, props: var) {
                stage.push(name, props);
            }
        }

        Component {
            id: homeScreen
            HomeScreen {}
        }
        Component {
            id: listScreen
            ListScreen {}
        }
        Component {
            id: readerScreen
            ReaderScreen {}
        }
        Component {
            id: searchScreen
            SearchScreen {}
        }
        Component {
            id: pinScreen
            PinScreen {}
        }
        Component {
            id: staffScreen
            StaffScreen {}
        }
    }
}
