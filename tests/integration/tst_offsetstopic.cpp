// __consumer_offsets belongs to the broker: a group's committed offsets live in the
// partition its id hashes to, so nothing a client sends may change that partition count,
// delete what the topic holds or write to it, and offsets acknowledged before a restart
// are there after it.
#include "kafka.h"
#include "rawkafka.h"
#include "testbroker.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace periscope::test;

namespace {
constexpr int kGroups = 60;

std::string groupName(int i)
{
    return "group-" + std::to_string(i);
}

// OffsetCommit v2 of partition 0 of topic, as a standalone (generation -1) commit; the
// error of that partition, -1 when no answer came.
int commit(RawClient &client, const std::string &group, const std::string &topic,
           std::int64_t offset)
{
    Bytes body;
    putStr(body, group);
    put32(body, 0xffffffffu); // generation -1
    putStr(body, "");         // no member
    put64(body, -1);          // retention: the broker's
    put32(body, 1);
    putStr(body, topic);
    put32(body, 1);
    put32(body, 0);
    put64(body, offset);
    putStr(body, "");
    if (!client.send(request(8, 2, 1, body)))
        return -1;
    const Bytes frame = client.readFrame(30000);
    // correlation, topics[1], name, partitions[1], partition, error
    const std::size_t at = 4 + 4 + 2 + topic.size() + 4 + 4;
    return frame.size() >= at + 2 ? get16(frame.data() + at) : -1;
}

// OffsetFetch v1 of partition 0: the committed offset (-1 for none, -2 for no answer).
std::int64_t committed(RawClient &client, const std::string &group, const std::string &topic)
{
    Bytes body;
    putStr(body, group);
    put32(body, 1);
    putStr(body, topic);
    put32(body, 1);
    put32(body, 0);
    if (!client.send(request(9, 1, 2, body)))
        return -2;
    const Bytes frame = client.readFrame(30000);
    const std::size_t at = 4 + 4 + 2 + topic.size() + 4 + 4;
    return frame.size() >= at + 8 ? get64(frame.data() + at) : -2;
}

// CreatePartitions v0 for one topic: its error code.
int createPartitions(RawClient &client, const std::string &topic, int count)
{
    Bytes body;
    put32(body, 1);
    putStr(body, topic);
    put32(body, static_cast<std::uint32_t>(count));
    put32(body, 0xffffffffu); // no assignments
    put32(body, 10000);
    put8(body, 0);
    if (!client.send(request(37, 0, 3, body)))
        return -1;
    const Bytes frame = client.readFrame(30000);
    const std::size_t at = 4 + 4 + 4 + 2 + topic.size();
    return frame.size() >= at + 2 ? get16(frame.data() + at) : -1;
}

// AlterConfigs v0 of one topic config: its error code.
int alterConfig(RawClient &client, const std::string &topic, const std::string &name,
                const std::string &value)
{
    Bytes body;
    put32(body, 1);
    put8(body, 2); // topic
    putStr(body, topic);
    put32(body, 1);
    putStr(body, name);
    putStr(body, value);
    put8(body, 0);
    if (!client.send(request(33, 0, 4, body)))
        return -1;
    const Bytes frame = client.readFrame(30000);
    const std::size_t at = 4 + 4 + 4;
    return frame.size() >= at + 2 ? get16(frame.data() + at) : -1;
}

int partitionFolders(const QString &dataDir)
{
    return static_cast<int>(QDir(dataDir + QStringLiteral("/topics/__consumer_offsets"))
                                .entryList(QDir::Dirs | QDir::NoDotAndDotDot)
                                .size());
}
} // namespace

class TestOffsetsTopic : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acknowledgedOffsetsSurviveAttemptsToMoveThem()
    {
        TestBroker broker;
        QVERIFY(broker.start());
        {
            auto admin = makeAdmin(broker.bootstrapStd());
            QCOMPARE(createTopic(admin.get(), "orders", 1), std::string());
        }
        {
            RawClient client(broker.port());
            for (int g = 0; g < kGroups; ++g)
                QCOMPARE(commit(client, groupName(g), "orders", 10), 0);

            // Each would move groups to other partitions of the offsets topic.
            QCOMPARE(createPartitions(client, "__consumer_offsets", 13), 17); // INVALID_TOPIC
            QCOMPARE(alterConfig(client, "__consumer_offsets", "cleanup.policy", "delete"),
                     40); // INVALID_CONFIG: retention would delete commits
            QCOMPARE(createPartitions(client, "orders", 2), 0); // other topics still may

            for (int g = 0; g < kGroups; ++g)
                QCOMPARE(commit(client, groupName(g), "orders", 20), 0);
        }
        QVERIFY(broker.restart());
        QCOMPARE(partitionFolders(broker.dataDir()), 10);
        RawClient client(broker.port());
        for (int g = 0; g < kGroups; ++g)
            QCOMPARE(committed(client, groupName(g), "orders"), std::int64_t(20));
        QVERIFY(broker.stop());
    }

    void clientsCannotWriteOrTrimIt()
    {
        TestBroker broker;
        QVERIFY(broker.start());
        RawClient client(broker.port());
        QVERIFY(client.send(produceRequest(5, "__consumer_offsets", 1, "forged")));
        QCOMPARE(produceError(client.readFrame(30000), 18), 17); // INVALID_TOPIC
        auto admin = makeAdmin(broker.bootstrapStd());
        rd_kafka_topic_partition_list_t *offsets = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(offsets, "__consumer_offsets", 0)->offset =
            RD_KAFKA_OFFSET_END;
        rd_kafka_DeleteRecords_t *del = rd_kafka_DeleteRecords_new(offsets);
        rd_kafka_topic_partition_list_destroy(offsets);
        rd_kafka_queue_t *queue = rd_kafka_queue_new(admin.get());
        rd_kafka_DeleteRecords(admin.get(), &del, 1, nullptr, queue);
        rd_kafka_DeleteRecords_destroy(del);
        rd_kafka_event_t *event = waitForEvent(queue);
        QVERIFY(event);
        const auto *result =
            rd_kafka_DeleteRecords_result_offsets(rd_kafka_event_DeleteRecords_result(event));
        QVERIFY(result && result->cnt == 1);
        QCOMPARE(result->elems[0].err, RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION);
        rd_kafka_event_destroy(event);
        rd_kafka_queue_destroy(queue);
        QVERIFY(broker.stop());
    }
};

QTEST_GUILESS_MAIN(TestOffsetsTopic)
#include "tst_offsetstopic.moc"
