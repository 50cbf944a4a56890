// Every offset reset mode end to end: plan with monitor::planReset from what the cluster
// reports, write the plan with alterGroupOffsets, then show that a new member of the group
// really starts at the planned offset on every partition.
#include "await.h"
#include "client/clusterclient.h"
#include "kafka.h"
#include "monitor/offsetreset.h"
#include "testbroker.h"
#include "testclient.h"

#include <QElapsedTimer>
#include <QTest>

using namespace periscope;
using namespace periscope::client;
using namespace periscope::monitor;
using periscope::test::TestBroker;

namespace {

using test::await;

constexpr int kPartitions = 3;
constexpr int kPerPartition = 30;
const QString kTopic = QStringLiteral("events");
const QString kGroup = QStringLiteral("resetters");
constexpr qint64 kT0 = 1700000000000;

// Interleaved across partitions, so a time lands on a different offset in each of them.
qint64 timestampOf(int partition, int index)
{
    return kT0 + qint64(3 * index + partition) * 1000;
}

using periscope::test::assignedCount;

QMap<int, qint64> nextOf(const QList<ResetStep> &steps)
{
    QMap<int, qint64> out;
    for (const ResetStep &s : steps)
        out.insert(s.partition, s.next);
    return out;
}

} // namespace

class TestOffsetResets : public QObject
{
    Q_OBJECT

    TestBroker m_broker{
        {QStringLiteral("--group-initial-rebalance-delay-ms"), QStringLiteral("0")}};
    std::unique_ptr<ClusterClient> m_client;
    periscope::test::KafkaHandle m_producer;

    // A subscribed member of the group. auto.offset.reset=error: a committed offset outside
    // the log shows up as an error instead of being papered over.
    periscope::test::KafkaHandle member()
    {
        return periscope::test::subscribe(m_broker.bootstrapStd(), kGroup.toStdString(),
                                          kTopic.toStdString(), {{"auto.offset.reset", "error"}});
    }

    void produceOneEach()
    {
        QCOMPARE(
            periscope::test::produceEach(m_producer.get(), kTopic.toStdString(), kPartitions, 1),
            0);
    }

    // The first message a new member reads on each partition. With `produceFirst`, one new
    // message per partition is produced once the member owns them all.
    void firstReads(QMap<int, periscope::test::Message> *out, bool produceFirst = false)
    {
        auto c = member();
        QVERIFY(c);
        bool produced = false;
        QStringList errors;
        QElapsedTimer timer;
        timer.start();
        while (out->size() < kPartitions && timer.elapsed() < 30000) {
            if (produceFirst && !produced && assignedCount(c.get()) == kPartitions) {
                produceOneEach();
                produced = true;
            }
            rd_kafka_message_t *m = rd_kafka_consumer_poll(c.get(), 50);
            if (!m)
                continue;
            if (m->err)
                errors.append(QString::fromUtf8(rd_kafka_message_errstr(m)));
            else if (!out->contains(m->partition))
                out->insert(m->partition, periscope::test::toMessage(m));
            rd_kafka_message_destroy(m);
        }
        rd_kafka_consumer_close(c.get());
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
        QCOMPARE(out->size(), kPartitions);
    }

    QMap<int, qint64> committed()
    {
        QMap<int, qint64> out;
        const auto offsets = await(m_client->groupOffsets(kGroup));
        if (!offsets.ok())
            qWarning("group offsets: %s", qPrintable(offsets.error.message));
        for (const GroupOffset &o : offsets.value)
            if (o.topic == kTopic)
                out.insert(o.partition, o.error.isEmpty() ? o.offset : -2);
        return out;
    }

    // What the dialog would preview: the plan from the committed offsets, the log offsets
    // and, for DateTime, the offsets at `timeMs`.
    void plan(ResetMode mode, qint64 value, QList<ResetStep> *steps, qint64 timeMs = -1)
    {
        const QMap<int, qint64> current = committed();
        const auto logs = await(m_client->offsets({{kTopic, kPartitions}}));
        QVERIFY2(logs.ok(), qPrintable(logs.error.message));
        QMap<int, qint64> atTime;
        if (mode == ResetMode::DateTime) {
            const auto found = await(m_client->offsetsAtTime({{kTopic, {0, 1, 2}}}, timeMs));
            QVERIFY2(found.ok(), qPrintable(found.error.message));
            for (const GroupOffset &o : found.value)
                atTime.insert(o.partition, o.offset);
        }
        QList<ResetTarget> targets;
        for (const PartitionOffsets &o : logs.value) {
            QVERIFY2(o.error.isEmpty(), qPrintable(o.error));
            targets.append({o.topic, o.partition, current.value(o.partition, -1), o.start, o.end,
                            atTime.value(o.partition, -1)});
        }
        QCOMPARE(targets.size(), kPartitions);
        *steps = planReset(targets, mode, value);
    }

    // Writes the plan and checks the group now has exactly it.
    void write(const QList<ResetStep> &steps)
    {
        QList<GroupOffset> wanted;
        for (const ResetStep &s : steps)
            if (s.next >= 0)
                wanted.append({s.topic, s.partition, s.next, {}, {}});
        const auto altered = await(m_client->alterGroupOffsets(kGroup, wanted));
        QVERIFY2(altered.ok(), qPrintable(altered.error.message));
        for (const GroupOffset &o : altered.value)
            QVERIFY2(o.error.isEmpty(), qPrintable(o.error));
        QCOMPARE(committed(), nextOf(steps));
    }

    // Plan, write, and show that a new member starts exactly at the plan.
    void resetAndRead(ResetMode mode, qint64 value, const QMap<int, qint64> &expected,
                      qint64 timeMs = -1, bool produceFirst = false)
    {
        // The helpers report their failures; stop at the first one.
        QList<ResetStep> steps;
        plan(mode, value, &steps, timeMs);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(nextOf(steps), expected);
        write(steps);
        if (QTest::currentTestFailed())
            return;
        QMap<int, periscope::test::Message> first;
        firstReads(&first, produceFirst);
        if (QTest::currentTestFailed())
            return;
        for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
            QCOMPARE(qint64(first.value(it.key()).offset), it.value());
            if (mode == ResetMode::DateTime)
                QCOMPARE(qint64(first.value(it.key()).timestamp),
                         timestampOf(it.key(), int(it.value())));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_broker.start());
        m_client = periscope::test::connectedClient(m_broker.bootstrap());
        QVERIFY(m_client);

        const auto created = await(m_client->createTopics({{kTopic, kPartitions, 1, {}}}));
        QVERIFY2(created.ok(), qPrintable(created.error.message));
        QVERIFY(!created.value.first().error.isError());
        m_producer = periscope::test::makeProducer(m_broker.bootstrapStd());
        QVERIFY(m_producer);
        QCOMPARE(periscope::test::produceEach(m_producer.get(), kTopic.toStdString(), kPartitions,
                                              kPerPartition, timestampOf),
                 0);

        // The group consumes everything and commits known offsets, then leaves.
        auto c =
            periscope::test::subscribe(m_broker.bootstrapStd(), kGroup.toStdString(),
                                       kTopic.toStdString(), {{"auto.offset.reset", "earliest"}});
        QVERIFY(c); // null when the subscription is refused
        int read = 0;
        QElapsedTimer timer;
        timer.start();
        while (read < kPartitions * kPerPartition && timer.elapsed() < 30000)
            if (rd_kafka_message_t *m = rd_kafka_consumer_poll(c.get(), 50)) {
                read += m->err ? 0 : 1;
                rd_kafka_message_destroy(m);
            }
        QCOMPARE(read, kPartitions * kPerPartition);
        const QMap<int, qint64> initial{{0, 10}, {1, 20}, {2, 25}};
        QVERIFY(periscope::test::commitOffsets(c.get(), kTopic.toStdString(), initial.toStdMap()));
        QCOMPARE(rd_kafka_consumer_close(c.get()), RD_KAFKA_RESP_ERR_NO_ERROR);
        QCOMPARE(committed(), initial);
    }

    void refusedWhileAMemberIsJoined()
    {
        const QMap<int, qint64> before = committed();
        auto c = member();
        QVERIFY(c);
        for (int i = 0; i < 1500 && assignedCount(c.get()) < kPartitions; ++i)
            if (rd_kafka_message_t *m = rd_kafka_consumer_poll(c.get(), 20))
                rd_kafka_message_destroy(m);
        QCOMPARE(assignedCount(c.get()), kPartitions);

        QList<ResetStep> steps;
        plan(ResetMode::Earliest, 0, &steps);
        QList<GroupOffset> wanted;
        for (const ResetStep &s : steps)
            wanted.append({s.topic, s.partition, s.next, {}, {}});
        const auto altered = await(m_client->alterGroupOffsets(kGroup, wanted));
        // Either the whole request or every partition is refused; both leave the offsets.
        if (altered.ok()) {
            QCOMPARE(altered.value.size(), kPartitions);
            for (const GroupOffset &o : altered.value) {
                qInfo("partition %d refused: %s", o.partition, qPrintable(o.error));
                QVERIFY(!o.error.isEmpty());
            }
        } else {
            qInfo("request refused: %s", qPrintable(altered.error.message));
        }
        QCOMPARE(committed(), before);
        rd_kafka_consumer_close(c.get());
    }

    void earliest() { resetAndRead(ResetMode::Earliest, 0, {{0, 0}, {1, 0}, {2, 0}}); }

    void offsetClampedToTheLog()
    {
        const auto deleted = await(m_client->deleteRecords(kTopic, {{0, 8}}));
        QVERIFY2(deleted.ok(), qPrintable(deleted.error.message));

        QList<ResetStep> beyond;
        plan(ResetMode::Offset, 1000, &beyond);
        for (const ResetStep &s : std::as_const(beyond)) {
            QCOMPARE(s.next, qint64(kPerPartition));
            QVERIFY(!s.note.isEmpty());
        }

        // Partition 0 now starts at 8: asking for 3 there gets the log start.
        QList<ResetStep> below;
        plan(ResetMode::Offset, 3, &below);
        for (const ResetStep &s : std::as_const(below))
            QCOMPARE(s.note.isEmpty(), s.partition != 0);
        resetAndRead(ResetMode::Offset, 3, {{0, 8}, {1, 3}, {2, 3}});
    }

    void shiftForward() { resetAndRead(ResetMode::Shift, 10, {{0, 18}, {1, 13}, {2, 13}}); }

    void shiftBackward() { resetAndRead(ResetMode::Shift, -5, {{0, 13}, {1, 8}, {2, 8}}); }

    void dateTime()
    {
        const qint64 at = kT0 + 40000;
        // Worked out from the produced timestamps, independently of the broker's index.
        QMap<int, qint64> expected;
        for (int p = 0; p < kPartitions; ++p) {
            int i = 0;
            while (timestampOf(p, i) < at)
                ++i;
            expected.insert(p, i);
        }
        QCOMPARE(expected, (QMap<int, qint64>{{0, 14}, {1, 13}, {2, 13}}));
        resetAndRead(ResetMode::DateTime, 0, expected, at);

        // After the last message there is nothing at the time: the log end, with a note.
        QList<ResetStep> late;
        plan(ResetMode::DateTime, 0, &late, timestampOf(kPartitions - 1, kPerPartition) + 1);
        for (const ResetStep &s : std::as_const(late)) {
            QCOMPARE(s.next, qint64(kPerPartition));
            QVERIFY(!s.note.isEmpty());
        }
    }

    void latest()
    {
        // Nothing is left to read: the first message is the one produced after joining.
        resetAndRead(ResetMode::Latest, 0, {{0, 30}, {1, 30}, {2, 30}}, -1, true);
    }

    void cleanupTestCase()
    {
        m_producer.reset();
        m_client.reset();
    }
};

QTEST_GUILESS_MAIN(TestOffsetResets)
#include "tst_offsetresets.moc"
