import QtQuick
import QtQuick.Controls
import Kiosk

// Asks before a step that cannot be taken back, saying what will happen; modal until the staff member
// chooses. `ask(question, action, run)` opens it; `run` is called only on the action button.
Popup {
    id: dialog

    property string question: ""
    property string action: ""
    property var pending: null

    function ask(question: string, action: string, run: var) {
        dialog.question = question;
        dialog.action = action;
        dialog.pending = run;
        dialog.open();
    }

    function finish(confirmed: bool) {
        const run = confirmed ? dialog.pending : null;
        dialog.pending = null;
        dialog.close();
        if (run)
            run();
    }

    // Centred on the screen it is declared in (Overlay.overlay is unknown to PySide6 6.8's qmllint).
    anchors.centerIn: parent
    width: Math.min(parent ? parent.width - 80 : 900, 900)
    modal: true
    closePolicy: Popup.NoAutoClose
    padding: 40

    background: Rectangle {
        objectName: "confirmDialog"
        radius: 16
        color: AppState.surface
        border.color: AppState.accent
        border.width: 4
    }

    contentItem: Column {
        spacing: 36
        Text {
            objectName: "confirmQuestion"
            width: parent.width
            text: dialog.question
            color: AppState.textColor
            font.family: AppState.fontFamily
            font.pixelSize: AppState.bodyPx
            wrapMode: Text.Wrap
        }
        Flow {
            width: parent.width
            spacing: 24
            KButton {
                objectName: "confirmYes"
                width: Math.max(320, implicitWidth)
                filled: true
                text: dialog.action
                onClicked: dialog.finish(true)
            }
            KButton {
                objectName: "confirmNo"
                width: Math.max(240, implicitWidth)
                text: qsTr("取消")
                onClicked: dialog.finish(false)
            }
        }
    }
}
