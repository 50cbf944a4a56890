// ./dev bench group_table: the offsets table of one very large consumer group, as the
// group detail pane shows it, taking a new lag sample in which most partitions moved.
//   group_table_N_by_COLUMN   the longest of kRefreshes GUI-thread updates (model update,
//                             proxy re-sort, repaint) in ms, against sorting the same rows
//                             by the same key with std::stable_sort in a plain loop
// The aim is one frame (16 ms) for 20,000 partitions.
#include "benchutil.h"
#include "common/paneutil.h"
#include "groups/groupoffsetsmodel.h"
#include "groups/groupoffsetsproxy.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTableView>
#include <algorithm>

using namespace periscope;
using monitor::PartitionLag;

namespace {

constexpr int kRefreshes = 5;

QList<PartitionLag> makeGroup(int partitions)
{
    const QString topics[] = {QStringLiteral("orders"), QStringLiteral("payments"),
                              QStringLiteral("audit"), QStringLiteral("events")};
    QList<PartitionLag> rows;
    rows.reserve(partitions);
    for (int i = 0; i < partitions; ++i) {
        PartitionLag p;
        p.topic = topics[i % 4];
        p.partition = i / 4;
        p.committed = 1000 + i;
        p.end = 2000 + i;
        p.lag = p.end - p.committed;
        p.status = monitor::LagStatus::Ok;
        p.secondsBehind = 1;
        rows.append(p);
    }
    return rows;
}

// The next sample: every partition moves by a pseudo-random amount.
void advance(QList<PartitionLag> &rows, int round)
{
    for (qsizetype i = 0; i < rows.size(); ++i) {
        rows[i].end += (i * 7919 + round * 104729) % 50;
        rows[i].committed += (i * 104729 + round) % 40;
        rows[i].lag = rows[i].end - rows[i].committed;
    }
}

double slowestRefresh(int partitions, int column)
{
    models::GroupOffsetsModel model;
    models::GroupOffsetsProxy proxy;
    proxy.setSourceModel(&model);
    QTableView view;
    widgets::configureTable(&view, &proxy);
    view.sortByColumn(column, Qt::AscendingOrder);
    view.resize(1200, 700);
    view.show();
    QList<PartitionLag> rows = makeGroup(partitions);
    model.setPartitions(rows);
    QApplication::processEvents();
    double slowest = 0;
    for (int round = 1; round <= kRefreshes; ++round) {
        advance(rows, round);
        QElapsedTimer timer;
        timer.start();
        model.setPartitions(rows);
        view.repaint(); // the frame the user waits for
        slowest = std::max(slowest, bench::ms(timer));
    }
    return slowest;
}

// The reference: the least any view sorted by lag has to do with a new sample.
double plainSort(int partitions)
{
    QList<PartitionLag> rows = makeGroup(partitions);
    double slowest = 0;
    for (int round = 1; round <= kRefreshes; ++round) {
        advance(rows, round);
        QList<const PartitionLag *> order;
        order.reserve(rows.size());
        for (const PartitionLag &p : rows)
            order.append(&p);
        QElapsedTimer timer;
        timer.start();
        std::stable_sort(order.begin(), order.end(),
                         [](const PartitionLag *a, const PartitionLag *b) {
                             if (a->lag != b->lag)
                                 return a->lag < b->lag;
                             if (const int t = QString::compare(a->topic, b->topic); t != 0)
                                 return t < 0;
                             return a->partition < b->partition;
                         });
        slowest = std::max(slowest, bench::ms(timer));
    }
    return slowest;
}

} // namespace

int main(int argc, char *argv[])
{
    bench::preferOffscreen();
    QApplication app(argc, argv);
    for (const int partitions : {20000, 100000}) {
        const double reference = plainSort(partitions);
        const QByteArray byTopic = "group_table_" + QByteArray::number(partitions) + "_by_topic";
        const QByteArray byLag = "group_table_" + QByteArray::number(partitions) + "_by_lag";
        bench::report(byTopic.constData(),
                      slowestRefresh(partitions, models::GroupOffsetsModel::Topic), "ms",
                      "std-stable-sort-by-lag", reference);
        bench::report(byLag.constData(), slowestRefresh(partitions, models::GroupOffsetsModel::Lag),
                      "ms", "std-stable-sort-by-lag", reference);
    }
    return 0;
}
