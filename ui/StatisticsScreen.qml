pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Kiosk

// 数据统计 (staff): what residents did on this kiosk today, this week or this month, as charts with their
// numbers; the month to a USB stick as XLSX and CSV. Opened from the staff screen's 数据统计 section.
KioskScreen {
    id: screen
    screenName: "statistics"
    objectName: "statisticsScreen"

    readonly property var periods: [["today", qsTr("今天")], ["week", qsTr("本周")], ["month", qsTr("本月")]]
    readonly property real pane: screen.portrait ? flick.width - 28 : (flick.width - 28 - 26) / 2
    readonly property int readsTop: Math.max(1, ...stats.mostRead.map(m => m.reads + m.interpretationReads))

    Statistics {
        id: stats
    }
    Component.onCompleted: stats.load("today")

    Rectangle {
        anchors.fill: parent
        color: AppState.bg
    }

    Flickable {
        id: flick
        objectName: "statisticsFlick"
        anchors.fill: parent
        anchors.margins: screen.margin
        contentHeight: content.implicitHeight + 40
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ScrollBar {
            width: 16
            policy: ScrollBar.AlwaysOn
        }

        Column {
            id: content
            width: flick.width - 28
            spacing: 26

            ScreenTitle {
                width: parent.width
                text: qsTr("数据统计")
            }
            Flow {
                width: content.width
                spacing: 16
                Repeater {
                    model: screen.periods
                    KButton {
                        required property var modelData
                        objectName: "period_" + modelData[0]
                        width: Math.max(180, implicitWidth)
                        filled: stats.period === modelData[0]
                        text: modelData[1]
                        onClicked: stats.load(modelData[0])
                    }
                }
            }
            Text {
                objectName: "statisticsSummary"
                width: content.width
                text: stats.error !== "" ? stats.error
                    : stats.first === "" ? qsTr("正在统计…")
                    : qsTr("%1 至 %2：居民使用 %3 次，闲置复位 %4 次%5").arg(stats.first).arg(stats.last)
                        .arg(stats.totalUses).arg(stats.idleResets)
                        .arg(stats.ratings > 0 ? qsTr("，评价 %1 次，平均 %2 分").arg(stats.ratings).arg(stats.rating) : "")
                        + (stats.notSent > 0 ? qsTr("。另有 %1 条记录因待上传记录已满，只计入本机统计，未能上传市级平台").arg(stats.notSent) : "")
                color: stats.error !== "" ? AppState.accent : AppState.textColor
                font.family: AppState.fontFamily
                font.pixelSize: AppState.bodyPx
                wrapMode: Text.Wrap
            }

            // Two charts side by side in landscape, one under the other in portrait.
            Flow {
                width: content.width
                spacing: 26
                StatisticsChart {
                    objectName: "chartPerDay"
                    width: screen.pane
                    title: qsTr("每天使用次数")
                    categories: stats.perDay.map(d => stats.period === "month" ? String(Number(d.day.slice(8))) : d.label)
                    values: stats.perDay.map(d => d.uses)
                }
                StatisticsChart {
                    objectName: "chartPerFunction"
                    width: screen.pane
                    title: qsTr("各功能使用次数")
                    categories: stats.perFunction.map(f => f.name)
                    values: stats.perFunction.map(f => f.uses)
                }

                Column {
                    objectName: "mostRead"
                    width: screen.pane
                    spacing: 14
                    Text {
                        width: parent.width
                        text: qsTr("阅读最多的文件（含其解读）")
                        color: AppState.textColor
                        font.family: AppState.fontFamily
                        font.pixelSize: AppState.bodyPx
                        font.bold: true
                        wrapMode: Text.Wrap
                    }
                    Text {
                        visible: stats.mostRead.length === 0
                        text: qsTr("暂无记录")
                        color: AppState.subtext
                        font.family: AppState.fontFamily
                        font.pixelSize: AppState.bodyPx
                    }
                    Repeater {
                        model: stats.mostRead
                        Column {
                            id: readRow
                            required property var modelData
                            required property int index
                            objectName: "mostRead_" + index
                            width: parent.width
                            spacing: 6
                            Text {
                                width: parent.width
                                text: (readRow.index + 1) + ". " + readRow.modelData.title
                                color: AppState.textColor
                                font.family: AppState.fontFamily
                                font.pixelSize: AppState.bodyPx
                                wrapMode: Text.Wrap
                            }
                            Row {
                                spacing: 12
                                Rectangle {
                                    anchors.verticalCenter: parent.verticalCenter
                                    width: Math.max(6, 0.45 * screen.pane * readRow.modelData.reads / screen.readsTop)
                                    height: AppState.smallPx
                                    radius: 4
                                    color: AppState.primary
                                }
                                Rectangle {
                                    anchors.verticalCenter: parent.verticalCenter
                                    visible: readRow.modelData.interpretationReads > 0
                                    width: 0.45 * screen.pane * readRow.modelData.interpretationReads / screen.readsTop
                                    height: AppState.smallPx
                                    radius: 4
                                    color: AppState.ok
                                }
                                Text {
                                    text: qsTr("阅读 %1 次").arg(readRow.modelData.reads)
                                        + (readRow.modelData.reads === 0 ? ""
                                            : readRow.modelData.avgSeconds < 60 ? qsTr("，平均 %1 秒").arg(readRow.modelData.avgSeconds)
                                            : qsTr("，平均 %1 分钟").arg(readRow.modelData.minutes))
                                        + (readRow.modelData.interpretationReads > 0
                                            ? qsTr("；解读 %1 次").arg(readRow.modelData.interpretationReads) : "")
                                    color: AppState.textColor
                                    font.family: AppState.fontFamily
                                    font.pixelSize: AppState.smallPx
                                    font.bold: true
                                }
                            }
                            Text {
                                width: parent.width
                                visible: readRow.modelData.interpretations.length > 0
                                text: qsTr("解读：%1").arg(readRow.modelData.interpretations.map(i => qsTr("%1（%2 次）").arg(i.title).arg(i.reads)).join("；"))
                                color: AppState.subtext
                                font.family: AppState.fontFamily
                                font.pixelSize: AppState.smallPx
                                wrapMode: Text.Wrap
                            }
                        }
                    }
                }

                StatisticsChart {
                    objectName: "chartNoResult"
                    width: screen.pane
                    title: qsTr("没有找到结果的搜索（按输入方式，不记录搜索内容）")
                    barColor: AppState.accent
                    categories: stats.searches.map(s => s.name)
                    values: stats.searches.map(s => s.noResult)
                    captions: stats.searches.map(s => qsTr("%1 / 共 %2").arg(s.noResult).arg(s.searches))
                }
                StatisticsChart {
                    objectName: "chartQueueWaits"
                    width: screen.pane
                    title: qsTr("排队平均等候（分钟，按业务）")
                    categories: stats.queue.map(q => q.service)
                    values: stats.queue.map(q => q.waitMinutes)
                    captions: stats.queue.map(q => qsTr("%1 分（%2 人）").arg(q.waitMinutes).arg(q.called))
                }
            }

            Column {
                objectName: "exportSection"
                width: content.width
                spacing: 14
                SectionTitle {
                    width: parent.width
                    text: qsTr("导出本月数据到U盘（XLSX 和 CSV）")
                }
                Text {
                    width: parent.width
                    visible: stats.usbFolders.length === 0
                    text: qsTr("未检测到U盘：请插入U盘，再点“重新查找U盘”")
                    color: AppState.subtext
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.bodyPx
                    wrapMode: Text.Wrap
                }
                KButton {
                    objectName: "findUsb"
                    width: Math.max(360, implicitWidth)
                    text: qsTr("重新查找U盘")
                    onClicked: stats.load(stats.period)
                }
                Repeater {
                    model: stats.usbFolders
                    KButton {
                        required property var modelData
                        required property int index
                        objectName: "exportTo_" + index
                        width: content.width
                        filled: true
                        enabledLook: stats.exportState !== "exporting"
                        text: qsTr("导出到 %1").arg(modelData)
                        onClicked: stats.exportMonth(modelData)
                    }
                }
                Text {
                    objectName: "exportMessage"
                    width: parent.width
                    visible: stats.exportMessage !== "" || stats.exportState === "exporting"
                    text: stats.exportState === "exporting" ? qsTr("正在导出…") : stats.exportMessage
                    color: stats.exportState === "failed" ? AppState.accent : AppState.ok
                    font.family: AppState.fontFamily
                    font.pixelSize: AppState.bodyPx
                    wrapMode: Text.Wrap
                }
            }
        }
    }
}
