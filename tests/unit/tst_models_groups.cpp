// The consumer group models: update semantics under QAbstractItemModelTester, display
// strings and sort values. Snapshots are built by hand, so every value is known exactly.
#include "common/modelutil.h"
#include "groups/groupmembersmodel.h"
#include "groups/groupoffsetsmodel.h"
#include "groups/groupoffsetsproxy.h"
#include "groups/groupsmodel.h"
#include "groups/lagformat.h"
#include "groups/resetplanmodel.h"
#include "groups/topicgroupsmodel.h"

#include <QAbstractItemModelTester>
#include <QLocale>
#include <QSignalSpy>
#include <QTest>
#include <algorithm>

using namespace periscope;
using namespace periscope::models;
using monitor::GroupLag;
using monitor::LagStatus;
using monitor::PartitionLag;
using Tester = QAbstractItemModelTester;
using namespace Qt::StringLiterals;
using Assignment = QList<QPair<QString, int>>;

namespace {

const QString kDash = QString(QChar(0x2014));

PartitionLag partition(const QString &topic, int p, qint64 committed, qint64 end,
                       LagStatus status = LagStatus::Ok, double behind = -1,
                       const QString &owner = {})
{
    PartitionLag out;
    out.topic = topic;
    out.partition = p;
    out.committed = committed;
    out.end = end;
    out.lag = committed >= 0 && end >= 0 ? end - committed : -1;
    out.status = status;
    out.secondsBehind = behind;
    out.ownerId = owner;
    out.ownerClient = owner.isEmpty() ? QString() : owner + u"-client"_s;
    return out;
}

// Derives the group's totals the way LagHistory does, so the models see consistent input.
GroupLag groupOf(const QString &id, QList<PartitionLag> partitions)
{
    GroupLag g;
    g.id = id;
    g.state = u"Stable"_s;
    g.assignor = u"range"_s;
    g.partitions = std::move(partitions);
    for (const PartitionLag &p : std::as_const(g.partitions)) {
        if (!g.topics.contains(p.topic))
            g.topics << p.topic;
        if (p.lag >= 0)
            g.totalLag = std::max<qint64>(g.totalLag, 0) + p.lag;
        g.status = monitor::worse(g.status, p.status);
        g.secondsBehind = std::max(g.secondsBehind, p.secondsBehind);
    }
    // Sorted as LagHistory leaves it: TopicGroupsModel binary-searches this list.
    std::sort(g.topics.begin(), g.topics.end());
    return g;
}

monitor::SnapshotPtr snapshotOf(const QList<GroupLag> &groups)
{
    auto snap = std::make_shared<monitor::LagSnapshot>();
    for (const GroupLag &g : groups) {
        snap->rowOf.insert(g.id, snap->groups.size());
        snap->groups << g;
    }
    return snap;
}

QVariant cell(const QAbstractItemModel &m, int row, int column, int role = Qt::DisplayRole)
{
    return m.index(row, column).data(role);
}

QString text(const QAbstractItemModel &m, int row, int column)
{
    return cell(m, row, column).toString();
}

// Sort values of numeric columns must be numbers: their display text sorts "10" before "9".
bool sortsAsNumbers(const QAbstractItemModel &m, std::initializer_list<int> columns)
{
    for (int column : columns) {
        const int t = cell(m, 0, column, SortRoleValue).typeId();
        if (t != QMetaType::Int && t != QMetaType::LongLong && t != QMetaType::Double)
            return false;
    }
    return true;
}

// What an update emitted since the last look: a refresh with the same rows must not reset
// (views would lose selection and scroll position), a different set must.
struct Spies
{
    explicit Spies(QAbstractItemModel *m)
        : reset(m, &QAbstractItemModel::modelReset)
        , changed(m, &QAbstractItemModel::dataChanged)
    {}
    QString take()
    {
        const QString out = u"%1 reset, %2 changed"_s.arg(reset.size()).arg(changed.size());
        reset.clear();
        changed.clear();
        return out;
    }
    QSignalSpy reset;
    QSignalSpy changed;
};

const QString orders = u"orders"_s;
const QString audit = u"audit"_s;

} // namespace

class TestModelsGroups : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void secondsBehindText_data()
    {
        QTest::addColumn<double>("seconds");
        QTest::addColumn<QString>("text");
        QTest::newRow("unknown") << -1.0 << kDash;
        QTest::newRow("zero") << 0.0 << u"0 s"_s;
        QTest::newRow("seconds") << 42.0 << u"42 s"_s;
        QTest::newRow("rounded") << 41.6 << u"42 s"_s;
        QTest::newRow("minutes") << 185.0 << u"3 min 5 s"_s;
        QTest::newRow("hours") << 7800.0 << u"2 h 10 min"_s;
        QTest::newRow("days") << 3 * 86400.0 + 4 * 3600 + 59 << u"3 d 4 h"_s;
    }
    void secondsBehindText()
    {
        QFETCH(double, seconds);
        QFETCH(QString, text);
        QCOMPARE(formatSecondsBehind(seconds), text);
    }

    void assignment_data()
    {
        QTest::addColumn<Assignment>("assignment");
        QTest::addColumn<QString>("text");
        QTest::newRow("nothing") << Assignment{} << QString();
        QTest::newRow("one") << Assignment{{orders, 5}} << u"orders 5"_s;
        QTest::newRow("pair is a range")
            << Assignment{{orders, 1}, {orders, 0}} << u"orders 0\u20131"_s;
        // Topics come out by name, partitions sorted and folded into ranges with an en dash.
        QTest::newRow("two topics") << Assignment{{orders, 3}, {orders, 0}, {orders, 7},
                                                  {audit, 1},  {orders, 2}, {orders, 1}}
                                    << u"audit 1; orders 0\u20133, 7"_s;
        QTest::newRow("gaps") << Assignment{{orders, 0}, {orders, 2}, {orders, 4}, {orders, 5}}
                              << u"orders 0, 2, 4\u20135"_s;
    }
    void assignment()
    {
        QFETCH(Assignment, assignment);
        QFETCH(QString, text);
        QCOMPARE(assignmentText(assignment), text);
    }

    void groupsModel()
    {
        GroupsModel model;
        Tester tester(&model, Tester::FailureReportingMode::QtTest);
        Spies spies(&model);
        GroupLag a = groupOf(u"a"_s, {partition(orders, 0, 5, 10, LagStatus::Stall, 185),
                                      partition(orders, 1, 1000, 2234, LagStatus::Ok, 7),
                                      partition(audit, 0, -1, 9)});
        a.coordinator = 2;
        a.members << client::GroupMember{u"m"_s, u"c"_s, {}, {}};
        GroupLag b = groupOf(u"b"_s, {partition(audit, 0, -1, 9, LagStatus::Unknown)});
        b.simple = true;
        model.setSnapshot(snapshotOf({a, b}));
        QCOMPARE(spies.take(), u"1 reset, 0 changed"_s);
        QCOMPARE(model.rowOf(u"b"_s), 1);
        QCOMPARE(model.groupAt(0)->id, u"a"_s);

        QCOMPARE(text(model, 0, GroupsModel::Protocol), u"consumer · range"_s);
        QCOMPARE(text(model, 1, GroupsModel::Protocol), u"simple"_s);
        QCOMPARE(text(model, 0, GroupsModel::Topics), u"audit, orders"_s);
        QCOMPARE(text(model, 0, GroupsModel::Lag), u"1,239"_s);
        QCOMPARE(text(model, 1, GroupsModel::Lag), kDash);
        QCOMPARE(text(model, 0, GroupsModel::Status), u"STALL"_s);
        QCOMPARE(text(model, 1, GroupsModel::Status), kDash);
        QCOMPARE(text(model, 0, GroupsModel::Behind), u"3 min 5 s"_s);
        QCOMPARE(text(model, 1, GroupsModel::Behind), kDash);
        QCOMPARE(text(model, 1, GroupsModel::Coordinator), kDash);

        // Sorting by the numeric columns compares numbers, not their formatted text.
        QVERIFY(sortsAsNumbers(model,
                               {GroupsModel::Members, GroupsModel::Coordinator, GroupsModel::Topics,
                                GroupsModel::Lag, GroupsModel::Status, GroupsModel::Behind}));
        QCOMPARE(cell(model, 0, GroupsModel::Lag, SortRoleValue).toLongLong(), 1239);
        QCOMPARE(cell(model, 1, GroupsModel::Lag, SortRoleValue).toLongLong(), -1);
        QCOMPARE(cell(model, 0, GroupsModel::Behind, SortRoleValue).toDouble(), 185.0);

        // Same groups, new values: in place.
        a.totalLag = 3;
        model.setSnapshot(snapshotOf({a, b}));
        QCOMPARE(spies.take(), u"0 reset, 1 changed"_s);
        QCOMPARE(text(model, 0, GroupsModel::Lag), u"3"_s);

        // A group more: reset.
        model.setSnapshot(snapshotOf({a, b, groupOf(u"c"_s, {})}));
        QCOMPARE(spies.take(), u"1 reset, 0 changed"_s);
        QCOMPARE(model.rowCount(), 3);
        model.setSnapshot({});
        QCOMPARE(model.rowCount(), 0);
    }

    void offsetsModel()
    {
        GroupOffsetsModel model;
        Tester tester(&model, Tester::FailureReportingMode::QtTest);
        Spies spies(&model);
        QList<PartitionLag> rows = {partition(audit, 0, -1, 9, LagStatus::Unknown, -1, u"m-1"_s),
                                    partition(orders, 0, 5, 10, LagStatus::Stop, 42)};
        model.setPartitions(rows);
        QCOMPARE(spies.take(), u"1 reset, 0 changed"_s);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(text(model, 0, GroupOffsetsModel::Committed), kDash);
        QCOMPARE(text(model, 0, GroupOffsetsModel::Lag), kDash);
        QCOMPARE(text(model, 0, GroupOffsetsModel::Owner), u"m-1-client"_s);
        QCOMPARE(text(model, 1, GroupOffsetsModel::Owner), u"none"_s);
        QCOMPARE(text(model, 1, GroupOffsetsModel::Lag), u"5"_s);
        QCOMPARE(text(model, 1, GroupOffsetsModel::Status), u"STOP"_s);
        QCOMPARE(text(model, 1, GroupOffsetsModel::Behind), u"42 s"_s);
        QVERIFY(sortsAsNumbers(model, {GroupOffsetsModel::Partition, GroupOffsetsModel::Committed,
                                       GroupOffsetsModel::End, GroupOffsetsModel::Lag,
                                       GroupOffsetsModel::Status, GroupOffsetsModel::Behind}));
        QCOMPARE(cell(model, 0, GroupOffsetsModel::Committed, SortRoleValue).toLongLong(), -1);
        rows[1] = partition(orders, 0, 10, 10, LagStatus::Ok, 0);
        model.setPartitions(rows);
        QCOMPARE(spies.take(), u"0 reset, 1 changed"_s);
        // Topic and partition name the row; an update leaves them out, so a view sorted by
        // them does not re-sort.
        model.setPartitions(rows);
        QCOMPARE(spies.changed.size(), 1);
        QCOMPARE(spies.changed.first().at(0).toModelIndex().column(),
                 int(GroupOffsetsModel::Committed));
        spies.take();
        QCOMPARE(text(model, 1, GroupOffsetsModel::Lag), u"0"_s);
        rows[1].partition = 1;
        model.setPartitions(rows);
        QCOMPARE(spies.take(), u"1 reset, 0 changed"_s);
        model.setPartitions({});
        QCOMPARE(model.rowCount(), 0);
    }

    // Typed comparisons, with topic then partition number breaking ties.
    void offsetsProxyOrder_data()
    {
        QTest::addColumn<int>("column");
        QTest::addColumn<Qt::SortOrder>("order");
        QTest::addColumn<QStringList>("expected");
        using M = GroupOffsetsModel;
        const QStringList byNumber{u"audit-0"_s, u"orders-1"_s, u"orders-2"_s, u"orders-10"_s};
        QTest::newRow("topic") << int(M::Topic) << Qt::AscendingOrder << byNumber;
        QTest::newRow("partition") << int(M::Partition) << Qt::AscendingOrder << byNumber;
        // Lags: audit-0 unknown, orders-1 and orders-2 five each, orders-10 nine.
        QTest::newRow("lag") << int(M::Lag) << Qt::AscendingOrder << byNumber;
        QTest::newRow("lag descending")
            << int(M::Lag) << Qt::DescendingOrder
            << QStringList{u"orders-10"_s, u"orders-2"_s, u"orders-1"_s, u"audit-0"_s};
        QTest::newRow("status") << int(M::Status) << Qt::AscendingOrder
                                << QStringList{u"audit-0"_s, u"orders-1"_s, u"orders-10"_s,
                                               u"orders-2"_s};
        QTest::newRow("behind") << int(M::Behind) << Qt::AscendingOrder
                                << QStringList{u"audit-0"_s, u"orders-2"_s, u"orders-1"_s,
                                               u"orders-10"_s};
    }

    void offsetsProxyOrder()
    {
        QFETCH(int, column);
        QFETCH(Qt::SortOrder, order);
        QFETCH(QStringList, expected);
        GroupOffsetsModel model;
        GroupOffsetsProxy proxy;
        proxy.setSourceModel(&model);
        Tester tester(&proxy, Tester::FailureReportingMode::QtTest);
        // Partition 10 before 2 as text; lag 5 on two partitions, told apart by number.
        model.setPartitions({partition(orders, 10, 0, 9, LagStatus::Ok, 30),
                             partition(orders, 2, 4, 9, LagStatus::Warn, 5),
                             partition(audit, 0, -1, 9, LagStatus::Unknown, -1),
                             partition(orders, 1, 4, 9, LagStatus::Ok, 12)});
        proxy.sort(column, order);
        QStringList shown;
        for (int r = 0; r < proxy.rowCount(); ++r)
            shown << proxy.index(r, GroupOffsetsModel::Topic).data().toString() + u'-' +
                         proxy.index(r, GroupOffsetsModel::Partition).data().toString();
        QCOMPARE(shown, expected);
    }

    void resetPlanModel()
    {
        ResetPlanModel model;
        Tester tester(&model, Tester::FailureReportingMode::QtTest);
        Spies spies(&model);
        monitor::ResetStep forward{orders, 0, 5, 12345, {}};
        monitor::ResetStep back{orders, 1, 15, 5, {}};
        monitor::ResetStep skipped{audit, 0, -1, -1, u"no committed offset"_s};
        model.setPlan({forward, back, skipped});
        QCOMPARE(spies.take(), u"1 reset, 0 changed"_s);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(text(model, 0, ResetPlanModel::New), u"12,345"_s);
        QCOMPARE(text(model, 0, ResetPlanModel::Change), u"+12,340"_s);
        QCOMPARE(text(model, 1, ResetPlanModel::Change), u"-10"_s);
        QCOMPARE(text(model, 2, ResetPlanModel::Current), kDash);
        QCOMPARE(text(model, 2, ResetPlanModel::Change), QString());
        QCOMPARE(text(model, 2, ResetPlanModel::Note), u"no committed offset"_s);
        QCOMPARE(model.headerData(ResetPlanModel::New, Qt::Horizontal).toString(), u"New"_s);
        // Each preview is a new plan (the dialog empties the table in between).
        back.next = 0;
        model.setPlan({forward, back, skipped});
        QCOMPARE(spies.take(), u"1 reset, 0 changed"_s);
        QCOMPARE(text(model, 1, ResetPlanModel::Change), u"-15"_s);
        model.setPlan({});
        QCOMPARE(spies.take(), u"1 reset, 0 changed"_s);
    }

    void membersModel()
    {
        GroupMembersModel model;
        Tester tester(&model, Tester::FailureReportingMode::QtTest);
        Spies spies(&model);
        QList<client::GroupMember> members = {
            {u"m-1"_s, u"c-1"_s, u"/10.0.0.7"_s, {{orders, 0}, {orders, 1}, {audit, 1}}},
            {u"m-2"_s, u"c-2"_s, u"host-2"_s, {}}};
        model.setMembers(members);
        QCOMPARE(spies.take(), u"1 reset, 0 changed"_s);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(text(model, 0, GroupMembersModel::Host), u"10.0.0.7"_s);
        QCOMPARE(text(model, 1, GroupMembersModel::Host), u"host-2"_s);
        QCOMPARE(text(model, 0, GroupMembersModel::Partitions), u"audit 1; orders 0\u20131"_s);
        QCOMPARE(cell(model, 0, GroupMembersModel::Partitions, SortRoleValue), QVariant(3));
        QCOMPARE(text(model, 1, GroupMembersModel::MemberId), u"m-2"_s);

        // A refresh of the same members (a new assignment, say) updates in place.
        members[1].assignment = {{orders, 2}};
        model.setMembers(members);
        QCOMPARE(spies.take(), u"0 reset, 1 changed"_s);
        QCOMPARE(text(model, 1, GroupMembersModel::Partitions), u"orders 2"_s);
        members.removeFirst();
        model.setMembers(members);
        QCOMPARE(spies.take(), u"1 reset, 0 changed"_s);
        QCOMPARE(model.rowCount(), 1);
        model.setMembers({});
        QCOMPARE(model.rowCount(), 0);
    }

    void topicGroupsModel()
    {
        TopicGroupsModel model(orders);
        Tester tester(&model, Tester::FailureReportingMode::QtTest);
        Spies spies(&model);
        // "both" reads orders and audit: only its orders partitions count here, so the STOP
        // on audit and audit's lag stay out. "auditOnly" is not listed at all.
        const GroupLag both = groupOf(u"both"_s, {partition(audit, 0, 0, 500, LagStatus::Stop, 900),
                                                  partition(orders, 0, 5, 10, LagStatus::Warn, 30),
                                                  partition(orders, 1, 7, 10, LagStatus::Ok, 60)});
        const GroupLag auditOnly = groupOf(u"auditOnly"_s, {partition(audit, 0, 1, 2)});
        const GroupLag fresh =
            groupOf(u"fresh"_s, {partition(orders, 0, -1, 10, LagStatus::Unknown)});
        model.setSnapshot(snapshotOf({auditOnly, both, fresh}));
        QCOMPARE(spies.take(), u"1 reset, 0 changed"_s);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.groupAt(0), u"both"_s);
        QCOMPARE(model.groupAt(1), u"fresh"_s);
        QCOMPARE(cell(model, 0, TopicGroupsModel::Partitions).toInt(), 2);
        QCOMPARE(text(model, 0, TopicGroupsModel::Lag), u"8"_s);
        QCOMPARE(text(model, 0, TopicGroupsModel::Status), u"WARN"_s);
        QCOMPARE(text(model, 0, TopicGroupsModel::Behind), u"1 min 0 s"_s);
        QCOMPARE(text(model, 1, TopicGroupsModel::Lag), kDash);
        QCOMPARE(text(model, 1, TopicGroupsModel::Status), kDash);
        QVERIFY(sortsAsNumbers(model, {TopicGroupsModel::Partitions, TopicGroupsModel::Lag,
                                       TopicGroupsModel::Status, TopicGroupsModel::Behind}));
        QCOMPARE(cell(model, 0, TopicGroupsModel::Lag, SortRoleValue).toLongLong(), 8);
        QCOMPARE(cell(model, 1, TopicGroupsModel::Lag, SortRoleValue).toLongLong(), -1);

        // Same consumers of the topic: in place, whatever else changed in the snapshot.
        model.setSnapshot(snapshotOf({both, fresh}));
        QCOMPARE(spies.take(), u"0 reset, 1 changed"_s);

        // A group starts reading the topic: reset.
        const GroupLag joined = groupOf(u"auditOnly"_s, {partition(orders, 3, 1, 2)});
        model.setSnapshot(snapshotOf({joined, both, fresh}));
        QCOMPARE(spies.take(), u"1 reset, 0 changed"_s);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(text(model, 0, TopicGroupsModel::Lag), u"1"_s);
        model.setSnapshot({});
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestModelsGroups)
#include "tst_models_groups.moc"
