// The client's consumer-group requests against a real broker and a real librdkafka member:
// list, describe, read and move committed offsets, and what an active group refuses.
#include "await.h"
#include "client/clusterclient.h"
#include "kafka.h"
#include "testbroker.h"
#include "testclient.h"

#include <QTest>

using namespace periscope;
using namespace periscope::client;
using periscope::test::TestBroker;

namespace {

using test::await;

constexpr int kPartitions = 3;
const QString kTopic = QStringLiteral("clicks");
const QString kGroup = QStringLiteral("g1");

const GroupListing *listed(const QList<GroupListing> &groups, const QString &id)
{
    for (const auto &g : groups)
        if (g.id == id)
            return &g;
    return nullptr;
}

// partition -> offset of the topic's entries; -2 marks an entry that came with an error.
QMap<int, qint64> byPartition(const QList<GroupOffset> &offsets)
{
    QMap<int, qint64> out;
    for (const auto &o : offsets)
        if (o.topic == kTopic)
            out.insert(o.partition, o.error.isEmpty() ? o.offset : -2);
    return out;
}

using test::assignedCount;

} // namespace

class TestClientGroups : public QObject
{
    Q_OBJECT

    TestBroker m_broker{
        {QStringLiteral("--group-initial-rebalance-delay-ms"), QStringLiteral("0")}};
    std::unique_ptr<ClusterClient> m_client;
    periscope::test::KafkaHandle m_member;
    const QMap<int, qint64> m_committed{{0, 4}, {1, 7}, {2, 11}};

    void expectState(const QString &state)
    {
        const auto groups = await(m_client->listGroups());
        QVERIFY2(groups.ok(), qPrintable(groups.error.message));
        const GroupListing *g = listed(groups.value, kGroup);
        QVERIFY(g);
        QCOMPARE(g->state, state);
        QVERIFY(!g->simple);
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
        auto producer = periscope::test::makeProducer(m_broker.bootstrapStd());
        QVERIFY(producer);
        QCOMPARE(
            periscope::test::produceEach(producer.get(), kTopic.toStdString(), kPartitions, 20), 0);
    }

    void memberJoinsAndCommits()
    {
        m_member = periscope::test::makeConsumer(m_broker.bootstrapStd(),
                                                 {{"group.id", kGroup.toStdString()},
                                                  {"client.id", "clicks-reader"},
                                                  {"enable.auto.commit", "false"},
                                                  {"auto.offset.reset", "earliest"},
                                                  {"session.timeout.ms", "6000"},
                                                  {"heartbeat.interval.ms", "300"}});
        QVERIFY(m_member);
        const QByteArray topic = kTopic.toUtf8();
        rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(topics, topic.constData(), RD_KAFKA_PARTITION_UA);
        QCOMPARE(rd_kafka_subscribe(m_member.get(), topics), RD_KAFKA_RESP_ERR_NO_ERROR);
        rd_kafka_topic_partition_list_destroy(topics);
        for (int i = 0; i < 1500 && assignedCount(m_member.get()) < kPartitions; ++i)
            if (rd_kafka_message_t *m = rd_kafka_consumer_poll(m_member.get(), 20))
                rd_kafka_message_destroy(m);
        QCOMPARE(assignedCount(m_member.get()), kPartitions);

        rd_kafka_topic_partition_list_t *offsets = rd_kafka_topic_partition_list_new(kPartitions);
        for (auto it = m_committed.cbegin(); it != m_committed.cend(); ++it)
            rd_kafka_topic_partition_list_add(offsets, topic.constData(), it.key())->offset =
                it.value();
        QCOMPARE(rd_kafka_commit(m_member.get(), offsets, 0), RD_KAFKA_RESP_ERR_NO_ERROR);
        rd_kafka_topic_partition_list_destroy(offsets);
    }

    void listedAsStable() { expectState(QStringLiteral("Stable")); }

    void describedWithItsMember()
    {
        const QString missing = QStringLiteral("no-such-group");
        const auto described = await(m_client->describeGroups({kGroup, missing}));
        QVERIFY2(described.ok(), qPrintable(described.error.message));
        QCOMPARE(described.value.size(), 2);
        const GroupDescription &g =
            described.value[0].id == kGroup ? described.value[0] : described.value[1];
        QCOMPARE(g.id, kGroup);
        QVERIFY2(g.error.isEmpty(), qPrintable(g.error));
        QCOMPARE(g.state, QStringLiteral("Stable"));
        QCOMPARE(g.coordinator, 1);
        QVERIFY(!g.assignor.isEmpty());
        QCOMPARE(g.members.size(), 1);
        const GroupMember &m = g.members.first();
        QVERIFY(!m.memberId.isEmpty());
        QCOMPARE(m.clientId, QStringLiteral("clicks-reader"));
        QVERIFY(!m.host.isEmpty());
        QCOMPARE(m.assignment.size(), kPartitions);
        for (const auto &[topic, partition] : m.assignment) {
            QCOMPARE(topic, kTopic);
            QVERIFY(partition >= 0 && partition < kPartitions);
        }
    }

    void unknownGroupIsDead()
    {
        // Kafka describes a group it does not know as Dead, without an error.
        const auto described = await(m_client->describeGroups({QStringLiteral("no-such-group")}));
        QVERIFY2(described.ok(), qPrintable(described.error.message));
        QCOMPARE(described.value.size(), 1);
        const GroupDescription &g = described.value.first();
        QCOMPARE(g.id, QStringLiteral("no-such-group"));
        qInfo("unknown group: state '%s', error '%s'", qPrintable(g.state), qPrintable(g.error));
        QCOMPARE(g.state, QStringLiteral("Dead"));
        QVERIFY(g.error.isEmpty());
        QVERIFY(g.members.isEmpty());
    }

    void committedOffsetsRead()
    {
        const auto offsets = await(m_client->groupOffsets(kGroup));
        QVERIFY2(offsets.ok(), qPrintable(offsets.error.message));
        QCOMPARE(byPartition(offsets.value), m_committed);
    }

    void activeGroupRefusesNewOffsets()
    {
        QList<GroupOffset> wanted;
        for (int p = 0; p < kPartitions; ++p)
            wanted.append({kTopic, p, 0, {}, {}});
        const auto altered = await(m_client->alterGroupOffsets(kGroup, wanted));
        QVERIFY2(altered.ok(), qPrintable(altered.error.message));
        QCOMPARE(altered.value.size(), kPartitions);
        for (const GroupOffset &o : altered.value) {
            qInfo("partition %d refused: %s", o.partition, qPrintable(o.error));
            QVERIFY(!o.error.isEmpty());
        }
        // The broker's own words for a commit from outside the generation.
        QCOMPARE(altered.value.first().error,
                 QString::fromUtf8(rd_kafka_err2str(RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID)));
        const auto offsets = await(m_client->groupOffsets(kGroup));
        QVERIFY2(offsets.ok(), qPrintable(offsets.error.message));
        QCOMPARE(byPartition(offsets.value), m_committed);
    }

    void emptyGroupTakesNewOffsets()
    {
        QCOMPARE(rd_kafka_consumer_close(m_member.get()), RD_KAFKA_RESP_ERR_NO_ERROR);
        m_member.reset();
        expectState(QStringLiteral("Empty"));

        QList<GroupOffset> wanted;
        for (int p = 0; p < kPartitions; ++p)
            wanted.append({kTopic, p, 0, {}, {}});
        const auto altered = await(m_client->alterGroupOffsets(kGroup, wanted));
        QVERIFY2(altered.ok(), qPrintable(altered.error.message));
        QCOMPARE(altered.value.size(), kPartitions);
        for (const GroupOffset &o : altered.value)
            QVERIFY2(o.error.isEmpty(), qPrintable(o.error));
        const auto offsets = await(m_client->groupOffsets(kGroup));
        QVERIFY2(offsets.ok(), qPrintable(offsets.error.message));
        QCOMPARE(byPartition(offsets.value), (QMap<int, qint64>{{0, 0}, {1, 0}, {2, 0}}));
    }

    void offsetsOfTheTopicDeleted()
    {
        const auto deleted = await(m_client->deleteGroupOffsets(kGroup, kTopic, {0, 1, 2}));
        QVERIFY2(deleted.ok(), qPrintable(deleted.error.message));
        QCOMPARE(deleted.value.size(), kPartitions);
        for (const GroupOffset &o : deleted.value)
            QVERIFY2(o.error.isEmpty(), qPrintable(o.error));
        const auto offsets = await(m_client->groupOffsets(kGroup));
        QVERIFY2(offsets.ok(), qPrintable(offsets.error.message));
        QVERIFY(byPartition(offsets.value).isEmpty());
    }

    void groupDeleted()
    {
        const auto deleted = await(m_client->deleteGroup(kGroup));
        QVERIFY2(deleted.ok(), qPrintable(deleted.error.message));
        QCOMPARE(deleted.value.name, kGroup);
        const auto groups = await(m_client->listGroups());
        QVERIFY2(groups.ok(), qPrintable(groups.error.message));
        QVERIFY(!listed(groups.value, kGroup));

        const auto again = await(m_client->deleteGroup(kGroup));
        QVERIFY(!again.ok());
        qInfo("deleting it again: %s", qPrintable(again.error.message));
        QCOMPARE(again.value.error.message, again.error.message);
    }

    void cleanupTestCase()
    {
        if (m_member)
            rd_kafka_consumer_close(m_member.get());
        m_member.reset();
        m_client.reset();
    }
};

QTEST_GUILESS_MAIN(TestClientGroups)
#include "tst_clientgroups.moc"
