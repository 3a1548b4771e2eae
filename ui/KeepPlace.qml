import QtQuick
import Kiosk

// Brings a screen's list up to date when the screen comes back after the content changed (a sync, a
// staff notice), keeping the resident's place: the row that was at the top is at the top again if it is
// still there (else the same position). A list under the resident's eyes is never changed.
// Use: `KeepPlace { rowsOf: listing; view: list }` and `StackView.onActivated: place.refresh()`.
Item {
    id: keeper

    required property Listing rowsOf
    required property ListView view
    property string keepKey: ""
    property int keepIndex: -1

    function key(row: var): string {
        return row === undefined || row === null ? "" : (row.id || row.name || row.title || "");
    }

    // The first row showing at the top of the view (a section heading may cover the very top).
    function topIndex(): int {
        for (let dy = 1; dy < keeper.view.height; dy += 40) {
            const index = keeper.view.indexAt(keeper.view.width / 2, keeper.view.contentY + dy);
            if (index >= 0)
                return index;
        }
        return -1;
    }

    function refresh() {
        const index = keeper.topIndex();
        if (!keeper.rowsOf.refreshIfStale())
            return;
        keeper.keepIndex = index;
        keeper.keepKey = index >= 0 ? keeper.key(keeper.rowsOf.rows[index]) : "";
    }

    function restore() {
        if (keeper.keepIndex < 0 || keeper.view.count === 0)
            return;
        const rows = keeper.rowsOf.rows;
        let index = -1;
        if (keeper.keepKey !== "")
            index = rows.findIndex(row => keeper.key(row) === keeper.keepKey);
        if (index < 0)
            index = Math.min(keeper.keepIndex, rows.length - 1);
        keeper.keepIndex = -1;
        if (index <= 0)
            keeper.view.positionViewAtBeginning();  // with its section heading
        else
            keeper.view.positionViewAtIndex(index, ListView.Beginning);
    }

    visible: false

    Connections {
        target: keeper.rowsOf
        function onRowsReplaced() {
            Qt.callLater(keeper.restore);
        }
    }
}
