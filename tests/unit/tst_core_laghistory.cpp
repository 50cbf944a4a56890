// LagHistory: how synthetic GroupsSamples turn into snapshots, sample after sample. No
// broker: every sample is built by hand, so each rule of docs/lag-status.md can be driven.
#include "monitor/lagsnapshot.h"

#include <QTest>

using namespace periscope;
using namespace periscope::monitor;

Q_DECLARE_METATYPE(periscope::monitor::LagStatus)

namespace {

// Small windows so STOP (a full window) and trends (minSamples) show after a few add()s.
const LagRules kRules{4, 2};

client::GroupOffset commit(const QString &topic, int partition, qint64 offset)
{
    client::GroupOffset o;
    o.topic = topic;
    o.partition = partition;
    o.offset = offset;
    return o;
}

client::GroupMember member(const QString &id, const QString &clientId,
                           QList<QPair<QString, int>> assignment)
{
    return client::GroupMember{id, clientId, QStringLiteral("/10.0.0.1"), std::move(assignment)};
}

client::GroupSample group(const QString &id, QList<client::GroupOffset> committed,
                          QList<client::GroupMember> members = {})
{
    client::GroupSample g;
    g.listing = {id, QStringLiteral("Stable"), false};
    g.description.id = id;
    g.description.state = QStringLiteral("Stable");
    g.description.members = std::move(members);
    g.committed = std::move(committed);
    return g;
}

client::PartitionOffsets end(const QString &topic, int partition, qint64 offset,
                             const QString &error = {})
{
    return client::PartitionOffsets{topic, partition, 0, offset, error};
}

const PartitionLag *find(const GroupLag &g, const QString &topic, int partition)
{
    for (const PartitionLag &p : g.partitions)
        if (p.topic == topic && p.partition == partition)
            return &p;
    return nullptr;
}

LagStatus statusNamed(const QString &name)
{
    for (LagStatus s : {LagStatus::Unknown, LagStatus::Ok, LagStatus::Warn, LagStatus::Rewind,
                        LagStatus::Stall, LagStatus::Stop})
        if (lagStatusName(s) == name)
            return s;
    qFatal("unknown status name %s", qPrintable(name));
}

const QString orders = QStringLiteral("orders");
const QString audit = QStringLiteral("audit");
const QString payments = QStringLiteral("payments");

} // namespace

class TestLagHistory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void lagAndPartitions();
    void statusOverSamples_data();
    void statusOverSamples();
    void groupShowsWorst();
    void groupBehindUnknownWhenALaggingPartitionIsUnknown();
    void neverCommittedPartitionLeavesGroupBehindKnown();
    void unreadOffsetsKeepTheWindows();
    void unknownEndKeepsWindow_data();
    void unknownEndKeepsWindow();
    void vanishedGroupStartsFresh();
    void lookupAgreesWithRowOf();
};

void TestLagHistory::lagAndPartitions()
{
    client::GroupsSample s;
    s.timeMs = 1000;
    // Committed and assigned partitions arrive in no particular order; payments/2 is only
    // assigned, orders/1 both committed and assigned.
    s.groups << group(
        QStringLiteral("g"), {commit(orders, 1, 8), commit(audit, 0, 3), commit(orders, 0, 5)},
        {member(QStringLiteral("m-1"), QStringLiteral("c-1"), {{payments, 2}, {orders, 1}})});
    s.ends << end(orders, 0, 10) << end(orders, 1, 8) << end(audit, 0, 7) << end(payments, 2, 50);
    LagHistory history(kRules);
    const SnapshotPtr snap = history.add(s);
    QCOMPARE(snap->timeMs, 1000);
    QCOMPARE(snap->refreshes, 1);
    QCOMPARE(snap->groups.size(), 1);
    const GroupLag &g = snap->groups.first();

    QStringList order;
    for (const PartitionLag &p : g.partitions)
        order << p.topic + QLatin1Char('/') + QString::number(p.partition);
    QCOMPARE(order, QStringList({QStringLiteral("audit/0"), QStringLiteral("orders/0"),
                                 QStringLiteral("orders/1"), QStringLiteral("payments/2")}));
    QCOMPARE(g.topics, QStringList({audit, orders, payments}));

    QCOMPARE(g.partitions[0].lag, 4);
    QCOMPARE(g.partitions[1].lag, 5);
    QCOMPARE(g.partitions[2].lag, 0);
    QCOMPARE(g.partitions[2].ownerId, QStringLiteral("m-1"));
    QVERIFY(g.partitions[1].ownerId.isEmpty());
    // Only assigned: the end is known, but without a commit there is no lag to speak of.
    const PartitionLag &assigned = g.partitions[3];
    QCOMPARE(assigned.committed, -1);
    QCOMPARE(assigned.end, 50);
    QCOMPARE(assigned.lag, -1);
    QCOMPARE(assigned.status, LagStatus::Unknown);
    QCOMPARE(assigned.ownerId, QStringLiteral("m-1"));
    QCOMPARE(assigned.ownerClient, QStringLiteral("c-1"));
    // The unknown lag of payments/2 does not count: 4 + 5 + 0.
    QCOMPARE(g.totalLag, 9);
}

// Each row is one partition of one group over several add()s: "committed/end" per sample
// (as in docs/lag-status.md) and the status expected after each of them.
void TestLagHistory::statusOverSamples_data()
{
    QTest::addColumn<QString>("samples");
    QTest::addColumn<bool>("owned");
    QTest::addColumn<QString>("statuses");
    QTest::newRow("owned, stuck: stall once there is a trend")
        << "5/10 5/12 5/14 5/16" << true << "OK STALL STALL STALL";
    QTest::newRow("unowned, stuck: stop only with a full window")
        << "5/10 5/12 5/14 5/16 5/18" << false << "OK OK OK STOP STOP";
    QTest::newRow("rewind stays until it leaves the window")
        << "8/10 9/12 4/14 5/16 6/18 7/20" << true << "OK WARN REWIND REWIND REWIND WARN";
    QTest::newRow("caught up") << "5/10 10/10 10/12" << true << "OK OK OK";
    // Only assigned at first: the partition is listed, but with no commit says nothing.
    QTest::newRow("commit appears later") << "-/10 -/12 5/14" << true << "\u2014 \u2014 OK";
}

void TestLagHistory::statusOverSamples()
{
    QFETCH(QString, samples);
    QFETCH(bool, owned);
    QFETCH(QString, statuses);
    const QStringList steps = samples.split(QLatin1Char(' '));
    const QStringList expected = statuses.split(QLatin1Char(' '));
    QCOMPARE(steps.size(), expected.size());

    LagHistory history(kRules);
    QList<client::GroupMember> members;
    if (owned)
        members << member(QStringLiteral("m-1"), QStringLiteral("c-1"), {{orders, 0}});
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const QStringList offsets = steps[i].split(QLatin1Char('/'));
        client::GroupsSample s;
        s.timeMs = i * 1000;
        QList<client::GroupOffset> committed;
        if (offsets[0] != QLatin1String("-"))
            committed << commit(orders, 0, offsets[0].toLongLong());
        s.groups << group(QStringLiteral("g"), committed, members);
        s.ends << end(orders, 0, offsets[1].toLongLong());
        const SnapshotPtr snap = history.add(s);
        const GroupLag &g = snap->groups.first();
        QCOMPARE(g.partitions.size(), 1);
        const QByteArray where = "after sample " + QByteArray::number(i + 1);
        QVERIFY2(g.partitions[0].status == statusNamed(expected[i]), where);
        // One partition: the group shows exactly its status.
        QVERIFY2(g.status == g.partitions[0].status, where);
    }
}

void TestLagHistory::groupShowsWorst()
{
    // orders/0 is owned and stuck (STALL), orders/1 rewinds, audit/0 keeps up (OK).
    const QList<QList<qint64>> commits = {{5, 9, 10}, {5, 4, 12}};
    const QList<QList<qint64>> ends = {{10, 10, 10}, {12, 12, 12}};
    LagHistory history(kRules);
    SnapshotPtr snap;
    for (int i = 0; i < 2; ++i) {
        client::GroupsSample s;
        s.timeMs = i * 10000;
        s.groups << group(QStringLiteral("g"),
                          {commit(orders, 0, commits[i][0]), commit(orders, 1, commits[i][1]),
                           commit(audit, 0, commits[i][2])},
                          {member(QStringLiteral("m-1"), QStringLiteral("c-1"), {{orders, 0}})});
        s.ends << end(orders, 0, ends[i][0]) << end(orders, 1, ends[i][1])
               << end(audit, 0, ends[i][2]);
        snap = history.add(s);
    }
    const GroupLag &g = snap->groups.first();
    QCOMPARE(find(g, orders, 0)->status, LagStatus::Stall);
    QCOMPARE(find(g, orders, 1)->status, LagStatus::Rewind);
    QCOMPARE(find(g, audit, 0)->status, LagStatus::Ok);
    QCOMPARE(g.status, LagStatus::Stall); // STALL is more severe than REWIND
    QCOMPARE(g.totalLag, 7 + 8 + 0);

    // 5/10@0 5/12@10 reached offset 5 at -25 s, 4/12 at -30 s; audit is caught up.
    QCOMPARE(find(g, orders, 0)->secondsBehind, 35.0);
    QCOMPARE(find(g, orders, 1)->secondsBehind, 40.0);
    QCOMPARE(find(g, audit, 0)->secondsBehind, 0.0);
    QCOMPARE(g.secondsBehind, 40.0);
}

void TestLagHistory::groupBehindUnknownWhenALaggingPartitionIsUnknown()
{
    // orders/0 falls behind while messages arrive (known delay); orders/1 lags behind a
    // partition nobody writes to, so its delay cannot be told: neither can the group's.
    LagHistory history(kRules);
    SnapshotPtr snap;
    for (int i = 0; i < 2; ++i) {
        client::GroupsSample s;
        s.timeMs = i * 10000;
        s.groups << group(QStringLiteral("g"), {commit(orders, 0, 5), commit(orders, 1, 3)});
        s.ends << end(orders, 0, 10 + 2 * i) << end(orders, 1, 8);
        snap = history.add(s);
    }
    const GroupLag &g = snap->groups.first();
    QVERIFY(find(g, orders, 0)->secondsBehind > 0);
    QCOMPARE(find(g, orders, 1)->secondsBehind, -1.0);
    QCOMPARE(g.secondsBehind, -1.0);
}

void TestLagHistory::neverCommittedPartitionLeavesGroupBehindKnown()
{
    // orders/1 is assigned but never committed: its lag is unknown, not "lagging".
    LagHistory history(kRules);
    SnapshotPtr snap;
    for (int i = 0; i < 2; ++i) {
        client::GroupsSample s;
        s.timeMs = i * 10000;
        s.groups << group(
            QStringLiteral("g"), {commit(orders, 0, 5)},
            {member(QStringLiteral("m-1"), QStringLiteral("c-1"), {{orders, 0}, {orders, 1}})});
        s.ends << end(orders, 0, 10 + 2 * i) << end(orders, 1, 8);
        snap = history.add(s);
    }
    const GroupLag &g = snap->groups.first();
    QCOMPARE(find(g, orders, 1)->lag, qint64(-1));
    QVERIFY(g.secondsBehind > 0);
}

void TestLagHistory::unreadOffsetsKeepTheWindows()
{
    // An unowned partition stuck at 5 while the end is 10: STOP once four samples are in.
    // One refresh in between could not read the group's offsets; it neither counts nor
    // restarts the window.
    LagHistory history(kRules);
    SnapshotPtr snap;
    for (int i = 0; i < 5; ++i) {
        client::GroupsSample s;
        s.timeMs = i * 10000;
        client::GroupSample g = group(QStringLiteral("g"), {commit(orders, 0, 5)});
        if (i == 2) {
            g.committed.clear();
            g.offsetsError = QStringLiteral("timed out");
        }
        s.groups << g;
        s.ends << end(orders, 0, 10);
        snap = history.add(s);
        const GroupLag &lag = snap->groups.first();
        if (i == 2)
            QCOMPARE(lag.error, QStringLiteral("timed out"));
        if (i == 3)
            QCOMPARE(find(lag, orders, 0)->status, LagStatus::Ok); // three samples so far
    }
    QCOMPARE(find(snap->groups.first(), orders, 0)->status, LagStatus::Stop);
}

void TestLagHistory::unknownEndKeepsWindow_data()
{
    QTest::addColumn<bool>("withErrorEntry");
    QTest::newRow("no entry in ends") << false;
    QTest::newRow("entry with an error") << true;
}

void TestLagHistory::unknownEndKeepsWindow()
{
    QFETCH(bool, withErrorEntry);
    // orders/0 is owned, orders/1 is not; both never move. The third sample has no usable
    // end for either: neither may lose its window nor count that sample in it.
    LagHistory history(kRules);
    auto sampleAt = [&](int i, qint64 endOffset, bool known) {
        client::GroupsSample s;
        s.timeMs = i * 1000;
        s.groups << group(QStringLiteral("g"), {commit(orders, 0, 5), commit(orders, 1, 5)},
                          {member(QStringLiteral("m-1"), QStringLiteral("c-1"), {{orders, 0}})});
        if (known)
            s.ends << end(orders, 0, endOffset) << end(orders, 1, endOffset);
        else if (withErrorEntry)
            s.ends << end(orders, 0, 99, QStringLiteral("timed out"))
                   << end(orders, 1, 99, QStringLiteral("timed out"));
        return history.add(s);
    };
    sampleAt(0, 10, true);
    SnapshotPtr snap = sampleAt(1, 12, true);
    QCOMPARE(snap->groups.first().partitions[0].status, LagStatus::Stall);
    QCOMPARE(snap->groups.first().partitions[1].status, LagStatus::Ok);

    snap = sampleAt(2, 0, false);
    const GroupLag &g = snap->groups.first();
    QCOMPARE(g.partitions[0].end, -1); // an end with an error is not taken at face value
    QCOMPARE(g.partitions[0].lag, -1);
    QCOMPARE(g.partitions[0].committed, 5);
    QCOMPARE(g.partitions[0].status, LagStatus::Stall);
    QCOMPARE(g.status, LagStatus::Stall);
    QCOMPARE(g.totalLag, -1);

    // Two more known samples make four: a full window only if the gap was not counted.
    snap = sampleAt(3, 14, true);
    QCOMPARE(snap->groups.first().partitions[1].status, LagStatus::Ok);
    snap = sampleAt(4, 16, true);
    QCOMPARE(snap->groups.first().partitions[1].status, LagStatus::Stop);
    QCOMPARE(snap->groups.first().status, LagStatus::Stop);
}

void TestLagHistory::vanishedGroupStartsFresh()
{
    LagHistory history(kRules);
    auto sample = [&](int i, bool withG) {
        client::GroupsSample s;
        s.timeMs = i * 1000;
        if (withG)
            s.groups << group(
                QStringLiteral("g"), {commit(orders, 0, 5)},
                {member(QStringLiteral("m-1"), QStringLiteral("c-1"), {{orders, 0}})});
        s.groups << group(QStringLiteral("h"), {commit(audit, 0, 1)});
        s.ends << end(orders, 0, 10 + i) << end(audit, 0, 1);
        return history.add(s);
    };
    sample(0, true);
    QCOMPARE(sample(1, true)->group(QStringLiteral("g"))->status, LagStatus::Stall);

    SnapshotPtr snap = sample(2, false);
    QCOMPARE(snap->groups.size(), 1);
    QCOMPARE(snap->group(QStringLiteral("g")), nullptr);
    QVERIFY(!snap->rowOf.contains(QStringLiteral("g")));
    QCOMPARE(snap->group(QStringLiteral("h"))->id, QStringLiteral("h"));

    // Back again: one sample's worth of history, so no trend and no STALL yet.
    snap = sample(3, true);
    QCOMPARE(snap->refreshes, 4);
    QCOMPARE(snap->group(QStringLiteral("g"))->status, LagStatus::Ok);
    QCOMPARE(snap->group(QStringLiteral("g"))->secondsBehind, -1.0);
}

void TestLagHistory::lookupAgreesWithRowOf()
{
    client::GroupsSample s;
    for (const char *id : {"alpha", "beta", "gamma", "delta"})
        s.groups << group(QString::fromLatin1(id), {commit(orders, 0, 1)});
    s.ends << end(orders, 0, 3);
    LagHistory history(kRules);
    const SnapshotPtr snap = history.add(s);
    QCOMPARE(snap->rowOf.size(), snap->groups.size());
    for (qsizetype row = 0; row < snap->groups.size(); ++row) {
        const QString &id = snap->groups[row].id;
        QCOMPARE(snap->rowOf.value(id, -1), row);
        QCOMPARE(snap->group(id), &snap->groups[row]);
        QCOMPARE(snap->group(id)->totalLag, 2);
    }
    QCOMPARE(snap->group(QStringLiteral("nobody")), nullptr);
}

QTEST_GUILESS_MAIN(TestLagHistory)
#include "tst_core_laghistory.moc"
