import QtQuick

// The base of every screen: its name (for tests and the idle logic) and the page margins.
FocusScope {
    property string screenName: ""
    readonly property bool portrait: height >= width
    readonly property int margin: portrait ? 36 : 48
}
