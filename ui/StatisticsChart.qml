pragma ComponentBehavior: Bound
import QtQuick
import QtGraphs
import Kiosk

// One bar chart of the 数据统计 screen (Qt Graphs): a title, a bar per category with its number above
// it, the category under it; "暂无记录" instead of an empty chart.
Column {
    id: chart

    property string title: ""
    property var categories: []
    property var values: []
    property var captions: []  // the text above each bar; its value when empty
    property color barColor: AppState.primary
    readonly property real highest: Math.max(1, ...chart.values)
    readonly property bool empty: chart.values.every(v => v === 0)
    readonly property real slot: chart.width / Math.max(1, chart.categories.length)  // one bar's share
    readonly property int longest: Math.max(1, ...chart.categories.map(c => String(c).length))

    spacing: 8

    Text {
        width: chart.width
        text: chart.title
        color: AppState.textColor
        font.family: AppState.fontFamily
        font.pixelSize: AppState.bodyPx
        font.bold: true
        wrapMode: Text.Wrap
    }
    Text {
        visible: chart.empty
        width: chart.width
        text: qsTr("暂无记录")
        color: AppState.subtext
        font.family: AppState.fontFamily
        font.pixelSize: AppState.bodyPx
    }
    GraphsView {
        visible: !chart.empty
        width: chart.width
        height: visible ? 240 + 3 * AppState.bodyPx + AppState.smallPx : 0
        marginTop: AppState.bodyPx + 16
        marginLeft: 0
        marginRight: 0
        theme: GraphsTheme {
            colorScheme: AppState.highContrast ? GraphsTheme.ColorScheme.Dark : GraphsTheme.ColorScheme.Light
            backgroundVisible: false
            plotAreaBackgroundVisible: false
            gridVisible: false
            labelTextColor: AppState.textColor
            axisXLabelFont.family: AppState.fontFamily
            axisXLabelFont.pixelSize: Math.min(AppState.smallPx, 0.9 * chart.slot / chart.longest)
        }
        axisX: BarCategoryAxis {
            categories: chart.categories
            gridVisible: false
            subGridVisible: false
        }
        axisY: ValueAxis {
            max: chart.highest * 1.35  // room for the number above the highest bar
            visible: false
            gridVisible: false
            subGridVisible: false
        }
        BarSeries {
            barWidth: 0.6
            barDelegate: Item {
                id: bar
                property real barValue
                property int barIndex
                Rectangle {
                    anchors.fill: parent
                    radius: 4
                    color: chart.barColor
                }
                Text {
                    anchors.bottom: parent.top
                    anchors.bottomMargin: 4
                    anchors.horizontalCenter: parent.horizontalCenter
                    visible: bar.barValue > 0 || chart.categories.length <= 12
                    text: chart.captions.length > bar.barIndex ? chart.captions[bar.barIndex] : String(Math.round(bar.barValue))
                    color: AppState.textColor
                    font.family: AppState.fontFamily
                    font.pixelSize: Math.min(AppState.smallPx, 0.5 * chart.slot)
                    font.bold: true
                }
            }
            BarSet {
                values: chart.values
            }
        }
    }
}
