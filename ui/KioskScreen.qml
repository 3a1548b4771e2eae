import QtQuick

// The base of every screen: its name (for tests and the idle logic) and the page margins.
FocusScope {
    property string screenName: ""
    readonly property bool portrait: height >= width
    readonly property int margin: portrait ? 36 : 48
    // Set by Main.qml while this is the current screen and the on-screen keyboard is up.
    property bool keyboardShown: false
}
