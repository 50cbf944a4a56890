// TopicsModel and TopicFilterProxy: update semantics, message sums, filtering, sorting.
#include "topics/topicfilterproxy.h"
#include "topics/topicsmodel.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QLocale>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTest>

using namespace periscope;
using namespace periscope::models;
using Tester = QAbstractItemModelTester;
using namespace Qt::StringLiterals;

namespace {

client::TopicInfo makeTopic(const QString &name, int partitions, int replication = 3,
                            bool internal = false, int underReplicated = 0)
{
    client::TopicInfo t;
    t.name = name;
    t.internal = internal;
    for (int p = 0; p < partitions; ++p) {
        client::PartitionInfo info;
        info.id = p;
        info.leader = p % replication;
        for (int r = 0; r < replication; ++r)
            info.replicas << r;
        info.isr = info.replicas;
        if (p < underReplicated)
            info.isr.removeLast();
        t.partitions << info;
    }
    return t;
}

QList<client::PartitionOffsets> offsetsFor(const QString &topic, QList<qint64> perPartition,
                                           qint64 start = 0)
{
    QList<client::PartitionOffsets> out;
    for (int p = 0; p < perPartition.size(); ++p)
        out << client::PartitionOffsets{topic, p, start, start + perPartition[p], {}};
    return out;
}

QStringList names(const QAbstractItemModel &model)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.index(row, TopicsModel::Name).data().toString();
    return out;
}

QVariant cell(const QAbstractItemModel &model, int row, int column, int role = Qt::DisplayRole)
{
    return model.index(row, column).data(role);
}

} // namespace

class TestModelsTopics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void testerOnModelAndProxy()
    {
        TopicsModel model;
        TopicFilterProxy proxy;
        proxy.setSourceModel(&model);
        Tester modelTester(&model, Tester::FailureReportingMode::Fatal);
        Tester proxyTester(&proxy, Tester::FailureReportingMode::Fatal);
        proxy.sort(TopicsModel::Messages, Qt::DescendingOrder);

        model.setTopics({makeTopic(QStringLiteral("orders"), 3),
                         makeTopic(QStringLiteral("payments"), 2, 3, false, 1),
                         makeTopic(QStringLiteral("__consumer_offsets"), 5, 3, true)});
        model.setOffsets(offsetsFor(QStringLiteral("orders"), {1, 2, 3}));
        model.setOffsets(offsetsFor(QStringLiteral("payments"), {10, 20}));
        model.setTopics({makeTopic(QStringLiteral("orders"), 3, 2),
                         makeTopic(QStringLiteral("payments"), 2),
                         makeTopic(QStringLiteral("__consumer_offsets"), 5, 3, true)});
        proxy.setPattern(QStringLiteral("ORD"));
        proxy.setRegexMode(true);
        proxy.setPattern(QStringLiteral("("));
        proxy.setPattern(QStringLiteral("^p"));
        proxy.setHideInternal(true);
        proxy.setPattern({});
        model.setTopics({makeTopic(QStringLiteral("new"), 1)});
        model.clear();
        QCOMPARE(proxy.rowCount(), 0);
    }

    void displayAndRoles()
    {
        TopicsModel model;
        client::TopicInfo broken = makeTopic(QStringLiteral("broken"), 1);
        broken.error = QStringLiteral("Leader not available");
        model.setTopics({makeTopic(QStringLiteral("big"), 1200, 3, false, 2),
                         makeTopic(QStringLiteral("__consumer_offsets"), 50, 3, true), broken});
        QCOMPARE(model.columnCount(), 6);
        QCOMPARE(model.headerData(TopicsModel::Messages, Qt::Horizontal).toString(),
                 QStringLiteral("Messages"));
        QCOMPARE(cell(model, 0, TopicsModel::Partitions).toString(), QStringLiteral("1,200"));
        QCOMPARE(cell(model, 0, TopicsModel::Partitions, TopicsModel::SortRole).toLongLong(), 1200);
        QCOMPARE(cell(model, 0, TopicsModel::Replication).toString(), QStringLiteral("3"));
        QCOMPARE(cell(model, 0, TopicsModel::UnderReplicated).toString(), QStringLiteral("2"));
        QVERIFY(cell(model, 0, TopicsModel::Name, Qt::ForegroundRole).value<QColor>().isValid());
        QVERIFY(!cell(model, 1, TopicsModel::Name, Qt::ForegroundRole).isValid());
        QCOMPARE(cell(model, 1, TopicsModel::Internal).toString(), QString(QChar(0x2713)));
        QCOMPARE(cell(model, 0, TopicsModel::Internal).toString(), QString());
        QVERIFY(cell(model, 2, TopicsModel::Name, Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("Leader not available")));
        QCOMPARE(cell(model, 0, TopicsModel::Messages, Qt::TextAlignmentRole).toInt(),
                 int(Qt::AlignRight | Qt::AlignVCenter));
        QVERIFY(!cell(model, 0, TopicsModel::Name, Qt::TextAlignmentRole).isValid());

        // Before offsets arrive: an ellipsis, and -1 for sorting.
        QCOMPARE(cell(model, 0, TopicsModel::Messages).toString(), QString(QChar(0x2026)));
        QCOMPARE(cell(model, 0, TopicsModel::Messages, TopicsModel::SortRole).toLongLong(), -1);
        QCOMPARE(model.messagesAt(0), -1);

        QCOMPARE(model.topicAt(1)->name, QStringLiteral("__consumer_offsets"));
        QCOMPARE(model.topicAt(3), nullptr);
        QCOMPARE(model.topicAt(-1), nullptr);
        QCOMPARE(model.rowOf(QStringLiteral("broken")), 2);
    }

    void sameNamesUpdateInPlace()
    {
        TopicsModel model;
        Tester tester(&model, Tester::FailureReportingMode::Fatal);
        model.setTopics({makeTopic(QStringLiteral("a"), 1), makeTopic(QStringLiteral("b"), 1),
                         makeTopic(QStringLiteral("c"), 1), makeTopic(QStringLiteral("d"), 1)});
        model.setOffsets(offsetsFor(QStringLiteral("a"), {5}));
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);

        // Same names in another order, two of them changed: rows keep their order.
        model.setTopics({makeTopic(QStringLiteral("d"), 1), makeTopic(QStringLiteral("c"), 4),
                         makeTopic(QStringLiteral("b"), 2), makeTopic(QStringLiteral("a"), 1)});
        QCOMPARE(resets.count(), 0);
        QCOMPARE(changes.count(), 1);
        QCOMPARE(changes[0][0].toModelIndex().row(), 1);
        QCOMPARE(changes[0][1].toModelIndex().row(), 2);
        QCOMPARE(changes[0][1].toModelIndex().column(), TopicsModel::ColumnCount - 1);
        QCOMPARE(names(model), (QStringList{u"a"_s, u"b"_s, u"c"_s, u"d"_s}));
        QCOMPARE(model.topicAt(2)->partitions.size(), 4);
        QCOMPARE(model.messagesAt(0), 5);

        // Nothing changed: no signal at all.
        changes.clear();
        model.setTopics({makeTopic(QStringLiteral("a"), 1), makeTopic(QStringLiteral("b"), 2),
                         makeTopic(QStringLiteral("c"), 4), makeTopic(QStringLiteral("d"), 1)});
        QCOMPARE(changes.count(), 0);
        QCOMPARE(resets.count(), 0);

        // A different set of names resets; a known count survives for topics still there.
        model.setTopics({makeTopic(QStringLiteral("a"), 1), makeTopic(QStringLiteral("e"), 1)});
        QCOMPARE(resets.count(), 1);
        QCOMPARE(names(model), (QStringList{u"a"_s, u"e"_s}));
        QCOMPARE(model.messagesAt(0), 5);
        QCOMPARE(model.messagesAt(1), -1);

        // Same size, but a duplicate hides a missing name: that is a change of set.
        model.setTopics({makeTopic(QStringLiteral("a"), 1), makeTopic(QStringLiteral("a"), 2)});
        QCOMPARE(resets.count(), 2);
        QCOMPARE(names(model), (QStringList{u"a"_s}));
    }

    void offsetSums()
    {
        TopicsModel model;
        Tester tester(&model, Tester::FailureReportingMode::Fatal);
        model.setTopics({makeTopic(QStringLiteral("a"), 3), makeTopic(QStringLiteral("b"), 2),
                         makeTopic(QStringLiteral("c"), 2)});
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);

        QList<client::PartitionOffsets> offsets =
            offsetsFor(QStringLiteral("a"), {1000, 200, 34}, 50);
        offsets += offsetsFor(QStringLiteral("c"), {7, 0});
        offsets += offsetsFor(QStringLiteral("gone"), {99});
        model.setOffsets(offsets);
        QCOMPARE(changes.count(), 1);
        const QModelIndex from = changes[0][0].toModelIndex();
        const QModelIndex to = changes[0][1].toModelIndex();
        QCOMPARE(from.column(), int(TopicsModel::Messages));
        QCOMPARE(to.column(), int(TopicsModel::Messages));
        QCOMPARE(from.row(), 0);
        QCOMPARE(to.row(), 2);
        QCOMPARE(model.messagesAt(0), 1234);
        QCOMPARE(cell(model, 0, TopicsModel::Messages).toString(), QStringLiteral("1,234"));
        QCOMPARE(model.messagesAt(1), -1);
        QCOMPARE(model.messagesAt(2), 7);

        // Only b arrives now; a and c keep their counts. A failed partition shows in the tip.
        changes.clear();
        QList<client::PartitionOffsets> partial = offsetsFor(QStringLiteral("b"), {3, 4});
        partial[1].error = QStringLiteral("Not leader");
        partial[1].start = partial[1].end = -1;
        model.setOffsets(partial);
        QCOMPARE(changes.count(), 1);
        QCOMPARE(changes[0][0].toModelIndex().row(), 1);
        QCOMPARE(changes[0][1].toModelIndex().row(), 1);
        QCOMPARE(model.messagesAt(0), 1234);
        QCOMPARE(model.messagesAt(1), 3);
        QVERIFY(!cell(model, 1, TopicsModel::Messages, Qt::ToolTipRole).toString().isEmpty());

        // The same offsets again change nothing.
        changes.clear();
        model.setOffsets(partial);
        QCOMPARE(changes.count(), 0);
    }

    void filter_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<bool>("regex");
        QTest::addColumn<bool>("hideInternal");
        QTest::addColumn<QStringList>("expected");
        QTest::addColumn<bool>("valid");
        const QStringList all{u"orders"_s, u"Orders.DLQ"_s, u"payments"_s, u"__consumer_offsets"_s};
        QTest::newRow("empty") << QString() << false << false << all << true;
        QTest::newRow("substring any case")
            << "ORDER" << false << false << QStringList{u"orders"_s, u"Orders.DLQ"_s} << true;
        QTest::newRow("dot is literal")
            << "s.d" << false << false << QStringList{u"Orders.DLQ"_s} << true;
        QTest::newRow("substring no match") << "xyz" << false << false << QStringList{} << true;
        QTest::newRow("regex anchored") << "^(orders|payments)$" << true << false
                                        << QStringList{u"orders"_s, u"payments"_s} << true;
        QTest::newRow("regex case-insensitive")
            << "dlq$" << true << false << QStringList{u"Orders.DLQ"_s} << true;
        QTest::newRow("regex invalid") << "orders(" << true << false << QStringList{} << false;
        QTest::newRow("regex empty") << QString() << true << false << all << true;
        QTest::newRow("hide internal")
            << QString() << false << true
            << QStringList{u"orders"_s, u"Orders.DLQ"_s, u"payments"_s} << true;
        QTest::newRow("hide internal with pattern")
            << "s" << false << true << QStringList{u"orders"_s, u"Orders.DLQ"_s, u"payments"_s}
            << true;
        QTest::newRow("internal shown")
            << "consumer" << false << false << QStringList{u"__consumer_offsets"_s} << true;
    }

    void filter()
    {
        QFETCH(QString, pattern);
        QFETCH(bool, regex);
        QFETCH(bool, hideInternal);
        QFETCH(QStringList, expected);
        QFETCH(bool, valid);

        TopicsModel model;
        model.setTopics({makeTopic(QStringLiteral("orders"), 1),
                         makeTopic(QStringLiteral("Orders.DLQ"), 1),
                         makeTopic(QStringLiteral("payments"), 1),
                         makeTopic(QStringLiteral("__consumer_offsets"), 1, 3, true)});
        TopicFilterProxy proxy;
        proxy.setSourceModel(&model);
        Tester tester(&proxy, Tester::FailureReportingMode::Fatal);
        QSignalSpy validity(&proxy, &TopicFilterProxy::patternValidityChanged);
        proxy.setRegexMode(regex);
        proxy.setHideInternal(hideInternal);
        proxy.setPattern(pattern);
        QCOMPARE(names(proxy), expected);
        QCOMPARE(proxy.patternValid(), valid);
        QCOMPARE(proxy.patternError().isEmpty(), valid);
        QCOMPARE(validity.count(), valid ? 0 : 1);

        // Leaving regex mode makes any pattern a valid substring again.
        proxy.setRegexMode(false);
        QVERIFY(proxy.patternValid());
        QVERIFY(proxy.patternError().isEmpty());
    }

    void sortsByNumbersNotText()
    {
        TopicsModel model;
        model.setTopics({makeTopic(QStringLiteral("a"), 1), makeTopic(QStringLiteral("b"), 1),
                         makeTopic(QStringLiteral("c"), 1), makeTopic(QStringLiteral("d"), 12)});
        QList<client::PartitionOffsets> offsets = offsetsFor(QStringLiteral("a"), {100});
        offsets += offsetsFor(QStringLiteral("b"), {9});
        offsets += offsetsFor(QStringLiteral("c"), {25000});
        model.setOffsets(offsets);
        TopicFilterProxy proxy;
        proxy.setSourceModel(&model);
        Tester tester(&proxy, Tester::FailureReportingMode::Fatal);

        proxy.sort(TopicsModel::Messages, Qt::AscendingOrder);
        QCOMPARE(names(proxy), (QStringList{u"d"_s, u"b"_s, u"a"_s, u"c"_s})); // unknown (-1) first
        proxy.sort(TopicsModel::Messages, Qt::DescendingOrder);
        QCOMPARE(names(proxy), (QStringList{u"c"_s, u"a"_s, u"b"_s, u"d"_s}));
        proxy.sort(TopicsModel::Partitions, Qt::DescendingOrder);
        QCOMPARE(names(proxy).first(), QStringLiteral("d"));

        // The sort follows in-place updates.
        model.setOffsets(offsetsFor(QStringLiteral("d"), {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 50000}));
        proxy.sort(TopicsModel::Messages, Qt::DescendingOrder);
        QCOMPARE(names(proxy).first(), QStringLiteral("d"));
    }

    void otherSourceModels()
    {
        // Any table with the same columns can be filtered, through data().
        QStandardItemModel source(0, TopicsModel::ColumnCount);
        for (const auto &[name, internal] :
             {std::pair{QStringLiteral("orders"), false}, std::pair{QStringLiteral("__x"), true}}) {
            QList<QStandardItem *> row;
            for (int c = 0; c < TopicsModel::ColumnCount; ++c)
                row << new QStandardItem;
            row[TopicsModel::Name]->setText(name);
            row[TopicsModel::Internal]->setData(internal, TopicsModel::SortRole);
            source.appendRow(row);
        }
        TopicFilterProxy proxy;
        proxy.setSourceModel(&source);
        proxy.setHideInternal(true);
        QCOMPARE(names(proxy), QStringList{u"orders"_s});
        proxy.setHideInternal(false);
        proxy.setPattern(QStringLiteral("X"));
        QCOMPARE(names(proxy), QStringList{u"__x"_s});
    }

    void tenThousandTopics()
    {
        QList<client::TopicInfo> topics;
        topics.reserve(10000);
        QList<client::PartitionOffsets> offsets;
        offsets.reserve(100000);
        for (int i = 0; i < 10000; ++i) {
            const QString name = QStringLiteral("topic-%1").arg(i, 5, 10, QLatin1Char('0'));
            topics << makeTopic(name, 10, 3, i % 1000 == 0, i % 7 == 0 ? 1 : 0);
            for (int p = 0; p < 10; ++p)
                offsets << client::PartitionOffsets{name, p, 0, qint64(i), {}};
        }
        TopicsModel model;
        TopicFilterProxy proxy;
        proxy.setSourceModel(&model);
        proxy.sort(TopicsModel::Messages, Qt::DescendingOrder);
        model.setTopics(topics);
        model.setOffsets(offsets);
        QCOMPARE(proxy.rowCount(), 10000);
        QCOMPARE(proxy.index(0, TopicsModel::Name).data().toString(),
                 QStringLiteral("topic-09999"));
        QCOMPARE(proxy.index(0, TopicsModel::Messages).data().toString(), QStringLiteral("99,990"));

        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        topics[5].partitions.removeLast();
        model.setTopics(topics);
        QCOMPARE(resets.count(), 0);

        proxy.setPattern(QStringLiteral("TOPIC-0999"));
        QCOMPARE(proxy.rowCount(), 10);
        proxy.setRegexMode(true);
        proxy.setPattern(QStringLiteral("-0\\d{2}77$"));
        QCOMPARE(proxy.rowCount(), 100);
        proxy.setPattern({});
        proxy.setHideInternal(true);
        QCOMPARE(proxy.rowCount(), 9990);
    }
};

QTEST_MAIN(TestModelsTopics)
#include "tst_models_topics.moc"
