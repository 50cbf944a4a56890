// Consumer groups with real librdkafka consumers: two members split six partitions,
// commits survive a broker restart and a new member resumes exactly there.
#include "brokerstats.h"
#include "kafka.h"
#include "rawkafka.h"
#include "testbroker.h"

#include <QTest>
#include <chrono>
#include <set>

using namespace periscope::test;

namespace {
constexpr int kPartitions = 6;
constexpr int kPerPartition = 50;
const std::string kTopic = "orders";
const std::string kGroup = "billing";

Props groupProps()
{
    return {{"group.id", kGroup},
            {"session.timeout.ms", "6000"},
            {"heartbeat.interval.ms", "300"},
            {"enable.auto.commit", "false"},
            {"auto.offset.reset", "earliest"}};
}

bool subscribe(rd_kafka_t *consumer)
{
    rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, kTopic.c_str(), RD_KAFKA_PARTITION_UA);
    const bool ok = rd_kafka_subscribe(consumer, topics) == RD_KAFKA_RESP_ERR_NO_ERROR;
    rd_kafka_topic_partition_list_destroy(topics);
    return ok;
}

std::set<int> assignment(rd_kafka_t *consumer)
{
    std::set<int> out;
    rd_kafka_topic_partition_list_t *list = nullptr;
    if (rd_kafka_assignment(consumer, &list) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        for (int i = 0; i < list->cnt; ++i)
            out.insert(list->elems[i].partition);
        rd_kafka_topic_partition_list_destroy(list);
    }
    return out;
}

// Polls every consumer, collecting messages, until pred() holds or the time runs out.
template <typename Pred>
bool pollUntil(std::vector<rd_kafka_t *> consumers, std::vector<Message> &seen, Pred pred,
               int timeoutMs = 30000)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < deadline) {
        if (pred())
            return true;
        for (rd_kafka_t *c : consumers) {
            rd_kafka_message_t *m = rd_kafka_consumer_poll(c, 20);
            if (m && !m->err)
                seen.push_back(toMessage(m));
            if (m)
                rd_kafka_message_destroy(m);
        }
    }
    return pred();
}

std::string groupState(rd_kafka_t *rk)
{
    const struct rd_kafka_group_list *list = nullptr;
    if (rd_kafka_list_groups(rk, kGroup.c_str(), &list, 10000) != RD_KAFKA_RESP_ERR_NO_ERROR)
        return "error";
    std::string state = list->group_cnt > 0 ? list->groups[0].state : "missing";
    rd_kafka_group_list_destroy(list);
    return state;
}
} // namespace

class TestGroups : public QObject
{
    Q_OBJECT

    TestBroker m_broker{
        {QStringLiteral("--group-initial-rebalance-delay-ms"), QStringLiteral("100")}};

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_broker.start());
        auto admin = makeAdmin(m_broker.bootstrapStd());
        QCOMPARE(createTopic(admin.get(), kTopic, kPartitions), std::string());
        auto producer = makeProducer(m_broker.bootstrapStd());
        QCOMPARE(produceEach(producer.get(), kTopic, kPartitions, kPerPartition), 0);
    }

    void twoMembersSplitAndCommitsSurviveRestart()
    {
        auto a = makeConsumer(m_broker.bootstrapStd(), groupProps());
        auto b = makeConsumer(m_broker.bootstrapStd(), groupProps());
        QVERIFY(a && b);
        QVERIFY(subscribe(a.get()));
        QVERIFY(subscribe(b.get()));
        std::vector<Message> seen;
        QVERIFY(pollUntil({a.get(), b.get()}, seen, [&] {
            const auto pa = assignment(a.get());
            const auto pb = assignment(b.get());
            return pa.size() == 3 && pb.size() == 3;
        }));
        auto pa = assignment(a.get());
        auto pb = assignment(b.get());
        std::set<int> all = pa;
        all.insert(pb.begin(), pb.end());
        QCOMPARE(all.size(), std::size_t(kPartitions)); // disjoint and complete

        auto admin = makeAdmin(m_broker.bootstrapStd());
        QCOMPARE(groupState(admin.get()), std::string("Stable"));

        // Commit a different, known offset for every partition from its owner.
        for (rd_kafka_t *c : {a.get(), b.get()}) {
            rd_kafka_topic_partition_list_t *offsets = rd_kafka_topic_partition_list_new(3);
            for (int p : assignment(c))
                rd_kafka_topic_partition_list_add(offsets, kTopic.c_str(), p)->offset = 10 + p;
            QCOMPARE(rd_kafka_commit(c, offsets, 0), RD_KAFKA_RESP_ERR_NO_ERROR);
            rd_kafka_topic_partition_list_destroy(offsets);
        }
        QCOMPARE(rd_kafka_consumer_close(a.get()), RD_KAFKA_RESP_ERR_NO_ERROR);
        QCOMPARE(rd_kafka_consumer_close(b.get()), RD_KAFKA_RESP_ERR_NO_ERROR);
        a.reset();
        b.reset();
        QCOMPARE(groupState(admin.get()), std::string("Empty"));
        admin.reset();

        QVERIFY(m_broker.restart());

        auto c = makeConsumer(m_broker.bootstrapStd(), groupProps());
        rd_kafka_topic_partition_list_t *query = rd_kafka_topic_partition_list_new(kPartitions);
        for (int p = 0; p < kPartitions; ++p)
            rd_kafka_topic_partition_list_add(query, kTopic.c_str(), p);
        QCOMPARE(rd_kafka_committed(c.get(), query, 10000), RD_KAFKA_RESP_ERR_NO_ERROR);
        for (int i = 0; i < query->cnt; ++i)
            QCOMPARE(query->elems[i].offset, std::int64_t(10 + query->elems[i].partition));
        rd_kafka_topic_partition_list_destroy(query);

        QVERIFY(subscribe(c.get()));
        seen.clear();
        std::map<int, std::int64_t> first;
        QVERIFY(pollUntil({c.get()}, seen, [&] {
            for (const Message &m : seen)
                first.emplace(m.partition, m.offset);
            return first.size() == kPartitions;
        }));
        for (const auto &[p, offset] : first)
            QCOMPARE(offset, std::int64_t(10 + p));
        rd_kafka_consumer_close(c.get());
    }

    void simpleCommitOnEmptyGroupAndFetchAll()
    {
        // An assign()-style client commits with generation -1 and no member id.
        auto c = makeConsumer(m_broker.bootstrapStd(), {{"group.id", "standalone"}});
        rd_kafka_topic_partition_list_t *offsets = rd_kafka_topic_partition_list_new(2);
        rd_kafka_topic_partition_list_add(offsets, kTopic.c_str(), 0)->offset = 7;
        rd_kafka_topic_partition_list_add(offsets, kTopic.c_str(), 5)->offset = 49;
        QCOMPARE(rd_kafka_commit(c.get(), offsets, 0), RD_KAFKA_RESP_ERR_NO_ERROR);
        rd_kafka_topic_partition_list_destroy(offsets);
        rd_kafka_topic_partition_list_t *query = rd_kafka_topic_partition_list_new(2);
        rd_kafka_topic_partition_list_add(query, kTopic.c_str(), 5);
        rd_kafka_topic_partition_list_add(query, kTopic.c_str(), 1);
        QCOMPARE(rd_kafka_committed(c.get(), query, 10000), RD_KAFKA_RESP_ERR_NO_ERROR);
        QCOMPARE(query->elems[0].offset, std::int64_t(49));
        QCOMPARE(query->elems[1].offset, std::int64_t(RD_KAFKA_OFFSET_INVALID));
        rd_kafka_topic_partition_list_destroy(query);
        rd_kafka_consumer_close(c.get());
    }

    void memberThatStopsIsRebalancedAway()
    {
        Props props = groupProps();
        props["group.id"] = "fragile";
        auto a = makeConsumer(m_broker.bootstrapStd(), props);
        auto b = makeConsumer(m_broker.bootstrapStd(), props);
        subscribe(a.get());
        subscribe(b.get());
        std::vector<Message> seen;
        QVERIFY(pollUntil({a.get(), b.get()}, seen, [&] {
            return assignment(a.get()).size() == 3 && assignment(b.get()).size() == 3;
        }));
        // b vanishes without leaving (no close): after its session time-out a owns everything.
        rd_kafka_t *raw = b.release();
        rd_kafka_destroy_flags(raw, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
        QVERIFY(pollUntil(
            {a.get()}, seen, [&] { return assignment(a.get()).size() == kPartitions; }, 40000));
        rd_kafka_consumer_close(a.get());
    }

    void memberIdsAskedForAndNeverUsedExpire()
    {
        // 500 JoinGroups v4 without a member id are answered MEMBER_ID_REQUIRED; the client
        // never comes back with the ids. After the session time-out they asked for, the
        // broker holds none of them.
        auto join = [](std::uint32_t id) {
            Bytes body;
            putStr(body, "askers");
            put32(body, 3000); // session time-out
            put32(body, 3000); // rebalance time-out
            putStr(body, "");  // no member id yet
            putStr(body, "consumer");
            put32(body, 1);
            putStr(body, "range");
            put32(body, 0);
            return request(11, 4, id, body);
        };
        {
            RawClient client(m_broker.port());
            for (std::uint32_t i = 0; i < 500; ++i) {
                QVERIFY(client.send(join(i)));
                const Bytes answer = client.readFrame(30000);
                QCOMPARE(correlation(answer), std::int64_t(i));
                QCOMPARE(get16(answer.data() + 8), 79); // MEMBER_ID_REQUIRED
            }
        }
        QVERIFY(brokerStats(m_broker).value(QStringLiteral("pending_members")) > 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            brokerStats(m_broker).value(QStringLiteral("pending_members"), -1) == 0, 60000);
    }

    void cleanupTestCase() { QVERIFY(m_broker.stop()); }
};

QTEST_GUILESS_MAIN(TestGroups)
#include "tst_groups.moc"
