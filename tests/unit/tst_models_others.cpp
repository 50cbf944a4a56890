// Brokers, partitions, configs, cluster summary, log ring and quick open.
#include "cluster/brokersmodel.h"
#include "cluster/clustersummary.h"
#include "common/logmodel.h"
#include "common/quickopenmodel.h"
#include "topics/configsmodel.h"
#include "topics/partitionsmodel.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QLocale>
#include <QSignalSpy>
#include <QTest>

using namespace periscope;
using namespace periscope::models;
using namespace Qt::StringLiterals;
using Tester = QAbstractItemModelTester;

namespace {

client::PartitionInfo partition(int id, int leader, QList<int> replicas, QList<int> isr)
{
    client::PartitionInfo p;
    p.id = id;
    p.leader = leader;
    p.replicas = std::move(replicas);
    p.isr = std::move(isr);
    return p;
}

client::TopicInfo ordersTopic()
{
    client::TopicInfo t;
    t.name = u"orders"_s;
    t.partitions = {partition(0, 1, {1, 2, 3}, {1, 2, 3}), partition(1, 2, {2, 3, 1}, {2}),
                    partition(2, -1, {3, 1, 2}, {})};
    return t;
}

client::ConfigEntry entry(const QString &name, const QString &value,
                          client::ConfigEntry::Source source, bool isDefault = false)
{
    client::ConfigEntry e;
    e.name = name;
    e.value = value;
    e.source = source;
    e.isDefault = isDefault;
    return e;
}

QList<LogLine> logLines(int from, int count, int level = LogLine::Info)
{
    QList<LogLine> out;
    const QDateTime t0(QDate(2024, 5, 1), QTime(12, 0));
    for (int i = from; i < from + count; ++i)
        out << LogLine{t0.addMSecs(i), level, u"client"_s, u"line %1"_s.arg(i)};
    return out;
}

QString text(const QAbstractItemModel &model, int row, int column = 0)
{
    return model.index(row, column).data().toString();
}

} // namespace

class TestModelsOthers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void brokers()
    {
        BrokersModel model;
        Tester tester(&model, Tester::FailureReportingMode::Fatal);
        QList<client::BrokerInfo> brokers{{2, u"kafka-2"_s, 9092, u"rack-b"_s, false},
                                          {10, u"kafka-10"_s, 9093, {}, true}};
        model.setBrokers(brokers);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.headerData(BrokersModel::Address, Qt::Horizontal).toString(),
                 u"Host:Port"_s);
        QCOMPARE(text(model, 0, BrokersModel::Id), u"2"_s);
        QCOMPARE(text(model, 0, BrokersModel::Address), u"kafka-2:9092"_s);
        QCOMPARE(text(model, 0, BrokersModel::Rack), u"rack-b"_s);
        QCOMPARE(text(model, 0, BrokersModel::Controller), QString());
        QCOMPARE(text(model, 1, BrokersModel::Controller), QString(QChar(0x2713)));
        QCOMPARE(model.index(1, BrokersModel::Id).data(BrokersModel::SortRole).toInt(), 10);
        QCOMPARE(model.brokerAt(1)->host, u"kafka-10"_s);
        QCOMPARE(model.brokerAt(2), nullptr);

        // The controller moves: same ids, so the rows update in place.
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
        brokers[0].controller = true;
        brokers[1].controller = false;
        model.setBrokers(brokers);
        QCOMPARE(resets.count(), 0);
        QCOMPARE(changes.count(), 1);
        QCOMPARE(text(model, 0, BrokersModel::Controller), QString(QChar(0x2713)));

        brokers.removeFirst();
        model.setBrokers(brokers);
        QCOMPARE(resets.count(), 1);
        QCOMPARE(model.rowCount(), 1);
    }

    void partitions()
    {
        PartitionsModel model;
        Tester tester(&model, Tester::FailureReportingMode::Fatal);
        model.setTopic(ordersTopic());
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), 7);
        QCOMPARE(model.topicName(), u"orders"_s);
        QCOMPARE(text(model, 0, PartitionsModel::Replicas), u"1, 2, 3"_s);
        QCOMPARE(text(model, 1, PartitionsModel::Isr), u"2"_s);
        QCOMPARE(text(model, 2, PartitionsModel::Leader), u"none"_s);
        QCOMPARE(text(model, 0, PartitionsModel::End), QString(QChar(0x2026)));

        // Healthy: no tint, no tooltip. Under-replicated and offline: both, saying why.
        QVERIFY(!model.index(0, 0).data(Qt::BackgroundRole).isValid());
        QVERIFY(!model.index(0, 0).data(Qt::ToolTipRole).isValid());
        const QColor under = model.index(1, 0).data(Qt::BackgroundRole).value<QColor>();
        const QColor offline = model.index(2, 0).data(Qt::BackgroundRole).value<QColor>();
        QVERIFY(under.isValid());
        QVERIFY(offline.isValid());
        QVERIFY(under != offline);
        const QString underTip = model.index(1, 0).data(Qt::ToolTipRole).toString();
        QVERIFY2(underTip.contains(u"Under-replicated"_s), qPrintable(underTip));
        QVERIFY2(underTip.contains(u"3, 1"_s), qPrintable(underTip)); // the replicas out of sync
        QVERIFY(model.index(2, 0).data(Qt::ToolTipRole).toString().contains(u"Offline"_s));

        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
        model.setOffsets({{u"orders"_s, 1, 100, 1100, {}},
                          {u"orders"_s, 0, 0, 12345, {}},
                          {u"payments"_s, 2, 0, 99, {}},
                          {u"orders"_s, 7, 0, 99, {}},
                          {u"orders"_s, 2, -1, -1, u"Leader not available"_s}});
        QCOMPARE(changes.count(), 1);
        QCOMPARE(changes[0][0].toModelIndex().column(), int(PartitionsModel::Start));
        QCOMPARE(changes[0][1].toModelIndex().column(), int(PartitionsModel::Messages));
        QCOMPARE(text(model, 0, PartitionsModel::End), u"12,345"_s);
        QCOMPARE(text(model, 1, PartitionsModel::Start), u"100"_s);
        QCOMPARE(text(model, 1, PartitionsModel::Messages), u"1,000"_s);
        QCOMPARE(
            model.index(1, PartitionsModel::Messages).data(PartitionsModel::SortRole).toLongLong(),
            1000);
        QCOMPARE(
            model.index(2, PartitionsModel::Messages).data(PartitionsModel::SortRole).toLongLong(),
            -1);
        QVERIFY(model.index(2, PartitionsModel::End)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(u"Leader not available"_s));
        QCOMPARE(model.offsetsAt(0)->end, 12345);

        // The ISR recovers: in place, offsets kept.
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        client::TopicInfo healed = ordersTopic();
        healed.partitions[1].isr = {2, 3, 1};
        model.setTopic(healed);
        QCOMPARE(resets.count(), 0);
        QVERIFY(!model.index(1, 0).data(Qt::BackgroundRole).isValid());
        QCOMPARE(text(model, 0, PartitionsModel::End), u"12,345"_s);

        // A partition added to the same topic keeps known offsets; another topic forgets them.
        healed.partitions << partition(3, 1, {1}, {1});
        model.setTopic(healed);
        QCOMPARE(resets.count(), 1);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(text(model, 0, PartitionsModel::End), u"12,345"_s);
        healed.name = u"other"_s;
        model.setTopic(healed);
        QCOMPARE(resets.count(), 2);
        QCOMPARE(model.offsetsAt(0), nullptr);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void configs()
    {
        using S = client::ConfigEntry::Source;
        client::ConfigResource resource;
        resource.name = u"orders"_s;
        resource.entries << entry(u"retention.ms"_s, u"86400000"_s, S::DynamicTopic)
                         << entry(u"cleanup.policy"_s, u"delete"_s, S::Default, true);
        client::ConfigEntry secret = entry(u"sasl.jaas.config"_s, u"hunter2"_s, S::StaticBroker);
        secret.sensitive = true;
        secret.readOnly = true;
        resource.entries << secret;

        ConfigsModel model;
        Tester tester(&model, Tester::FailureReportingMode::Fatal);
        model.setResource(resource);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), 5);
        QCOMPARE(text(model, 0, ConfigsModel::Value), u"86400000"_s);
        QCOMPARE(text(model, 0, ConfigsModel::Source), u"topic"_s);
        QCOMPARE(text(model, 0, ConfigsModel::Default), QString());
        QCOMPARE(text(model, 1, ConfigsModel::Default), QString(QChar(0x2713)));
        QCOMPARE(text(model, 2, ConfigsModel::Value), u"••••••"_s);
        QVERIFY(!model.index(2, ConfigsModel::Value)
                     .data(ConfigsModel::SortRole)
                     .toString()
                     .contains(u"hunter2"_s));
        QCOMPARE(text(model, 2, ConfigsModel::Flags), u"sensitive, read-only"_s);
        QCOMPARE(text(model, 0, ConfigsModel::Flags), QString());
        QVERIFY(model.index(1, ConfigsModel::Name)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(u"default"_s));
        QCOMPARE(model.entryAt(2)->name, u"sasl.jaas.config"_s);
        QCOMPARE(model.entryAt(3), nullptr);

        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
        resource.entries[0].value = u"1000"_s;
        model.setResource(resource);
        QCOMPARE(resets.count(), 0);
        QCOMPARE(changes.count(), 1);
        QCOMPARE(text(model, 0, ConfigsModel::Value), u"1000"_s);
        resource.name = u"payments"_s;
        model.setResource(resource);
        QCOMPARE(resets.count(), 1);
    }

    void clusterSummary()
    {
        client::ClusterMetadata md;
        md.clusterId = u"abc-123"_s;
        md.controllerId = 2;
        md.brokers = {{1, u"k1"_s, 9092, {}, false}, {2, u"k2"_s, 9093, {}, true}};
        md.topics = {ordersTopic()};
        QList<client::PartitionOffsets> offsets{{u"orders"_s, 0, 10, 1010, {}},
                                                {u"orders"_s, 1, 0, 500, {}},
                                                {u"orders"_s, 2, -1, -1, u"offline"_s}};
        const QList<SummaryItem> items = ClusterSummary::build(md, u"2.0.2"_s, offsets);
        auto value = [&](const QString &label) {
            for (const SummaryItem &i : items)
                if (i.label == label)
                    return i.value;
            return u"<missing>"_s;
        };
        QCOMPARE(value(u"Cluster ID"_s), u"abc-123"_s);
        QCOMPARE(value(u"Controller"_s), u"2 (k2:9093)"_s);
        QCOMPARE(value(u"Brokers"_s), u"2"_s);
        QCOMPARE(value(u"Topics"_s), u"1"_s);
        QCOMPARE(value(u"Partitions"_s), u"3"_s);
        QCOMPARE(value(u"Under-replicated partitions"_s), u"2"_s);
        QCOMPARE(value(u"Offline partitions"_s), u"1"_s);
        QCOMPARE(value(u"Total messages"_s), u"1,500"_s);
        QCOMPARE(value(u"librdkafka"_s), u"2.0.2"_s);

        const QList<SummaryItem> pending = ClusterSummary::build(md, {}, {});
        QCOMPARE(pending.size(), items.size());
        QCOMPARE(pending[7].value, QString(QChar(0x2026)));
        md.controllerId = -1;
        QCOMPARE(ClusterSummary::build(md, {}, {})[1].value, u"none"_s);
    }

    void logRing()
    {
        LogModel model;
        QCOMPARE(model.capacity(), 5000);
        model.setCapacity(10);
        Tester tester(&model, Tester::FailureReportingMode::Fatal);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QStringList order;
        connect(&model, &QAbstractItemModel::rowsAboutToBeRemoved, this,
                [&](const QModelIndex &, int first, int last) {
                    order << u"remove %1-%2"_s.arg(first).arg(last);
                });
        connect(&model, &QAbstractItemModel::rowsAboutToBeInserted, this,
                [&](const QModelIndex &, int first, int last) {
                    order << u"insert %1-%2"_s.arg(first).arg(last);
                });

        model.appendLines(logLines(0, 7));
        QCOMPARE(model.rowCount(), 7);
        model.appendLines(logLines(7, 7));
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(text(model, 0, LogModel::Message), u"line 4"_s);
        QCOMPARE(text(model, 9, LogModel::Message), u"line 13"_s);
        QCOMPARE(order, (QStringList{u"insert 0-6"_s, u"remove 0-3"_s, u"insert 3-9"_s}));
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(removed.count(), 1);

        // A batch bigger than the ring: everything old goes, the newest ten stay.
        order.clear();
        model.appendLines(logLines(100, 25, LogLine::Error));
        QCOMPARE(order, (QStringList{u"remove 0-9"_s, u"insert 0-9"_s}));
        QCOMPARE(text(model, 0, LogModel::Message), u"line 115"_s);
        QCOMPARE(text(model, 9, LogModel::Message), u"line 124"_s);
        QCOMPARE(model.errorCount(), 25); // evicted errors still count

        model.setCapacity(4);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(text(model, 0, LogModel::Message), u"line 121"_s);

        QSignalSpy errors(&model, &LogModel::errorCountChanged);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.errorCount(), 0);
        QCOMPARE(errors.count(), 1);
        model.appendLines(logLines(0, 1, LogLine::Critical) + logLines(1, 1, LogLine::Off));
        QCOMPARE(model.errorCount(), 1);
    }

    void logColumns()
    {
        LogModel model;
        Tester tester(&model, Tester::FailureReportingMode::Fatal);
        model.appendLines(logLines(0, 1, LogLine::Info) + logLines(1, 1, LogLine::Warning) +
                          logLines(2, 1, LogLine::Error) + logLines(3, 1, LogLine::Critical));
        QCOMPARE(model.headerData(LogModel::Source, Qt::Horizontal).toString(), u"Source"_s);
        QCOMPARE(text(model, 0, LogModel::Time), u"12:00:00.000"_s);
        QCOMPARE(text(model, 1, LogModel::Level), u"warning"_s);
        QCOMPARE(text(model, 1, LogModel::Source), u"client"_s);
        QVERIFY(!model.index(0, 0).data(Qt::ForegroundRole).isValid());
        const QColor amber = model.index(1, 0).data(Qt::ForegroundRole).value<QColor>();
        const QColor red = model.index(2, 0).data(Qt::ForegroundRole).value<QColor>();
        QVERIFY(amber.isValid() && red.isValid() && amber != red);
        QCOMPARE(model.index(3, 0).data(Qt::ForegroundRole).value<QColor>(), red);
        QCOMPARE(model.lineAt(3)->level, int(LogLine::Critical));
    }

    void quickOpenRanking()
    {
        using K = QuickOpenEntry::Kind;
        QuickOpenModel model;
        Tester tester(&model, Tester::FailureReportingMode::Fatal);
        model.setEntries({{K::Topic, u"payments-orders"_s, u"prod"_s}, // 0 substring at 9
                          {K::Topic, u"o_r_d_x"_s, u"prod"_s},         // 1 subsequence
                          {K::Group, u"ORDERS-consumer"_s, u"prod"_s}, // 2 prefix, longer
                          {K::Topic, u"orders"_s, u"dev"_s},           // 3 prefix, shortest
                          {K::Topic, u"billing"_s, u"dev"_s},          // 4 no match
                          {K::Topic, u"my-orders"_s, u"dev"_s},        // 5 substring at 3
                          {K::Topic, u"order"_s, u"dev"_s}});          // 6 prefix
        QCOMPARE(model.rowCount(), 7); // an empty query shows everything up to the limit

        QCOMPARE(model.match(u"Ord"_s, 10), (QList<int>{6, 3, 2, 5, 0, 1}));
        QCOMPARE(model.match(u"ord"_s, 2), (QList<int>{6, 3}));
        QCOMPARE(model.match(u"zzz"_s, 10), QList<int>{});
        QCOMPARE(model.match({}, 3), (QList<int>{0, 1, 2}));
        QCOMPARE(model.match(u"bg"_s, 10), QList<int>{4});

        model.setQuery(u"ord"_s, 3);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(text(model, 0), u"order"_s);
        QCOMPARE(model.entryAt(2)->kind, K::Group);
        QCOMPARE(model.index(2, 0).data(QuickOpenModel::ClusterRole).toString(), u"prod"_s);
        QCOMPARE(model.index(1, 0).data(QuickOpenModel::EntryIndexRole).toInt(), 3);
        QVERIFY(model.index(2, 0).data(Qt::ToolTipRole).toString().contains(u"prod"_s));

        // New entries are matched against the current query.
        model.setEntries({{K::Topic, u"x"_s, u"c"_s}, {K::Topic, u"ordinal"_s, u"c"_s}});
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(text(model, 0), u"ordinal"_s);
    }

    void quickOpenTenThousand()
    {
        QList<QuickOpenEntry> entries;
        for (int i = 0; i < 10000; ++i)
            entries << QuickOpenEntry{QuickOpenEntry::Kind::Topic, u"service-%1.events"_s.arg(i),
                                      u"prod"_s};
        QuickOpenModel model;
        model.setEntries(entries);
        const QList<int> hits = model.match(u"service-42"_s, 50);
        QCOMPARE(hits.size(), 50);
        QCOMPARE(hits.first(), 42); // the shortest prefix match
        // Every name whose number holds a 4 somewhere before a 2 matches as a subsequence.
        int expected = 0;
        for (int i = 0; i < 10000; ++i) {
            const QString digits = QString::number(i);
            const qsizetype four = digits.indexOf(QLatin1Char('4'));
            expected += four >= 0 && digits.indexOf(QLatin1Char('2'), four) > four ? 1 : 0;
        }
        QCOMPARE(model.match(u"sv42ev"_s, 20000).size(), expected);
    }
};

QTEST_MAIN(TestModelsOthers)
#include "tst_models_others.moc"
