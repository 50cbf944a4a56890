// Topic, config and group administration through librdkafka's admin API.
#include "kafka.h"
#include "testbroker.h"

#include <QTest>
#include <functional>
#include <set>

using namespace periscope::test;

namespace {

// One admin request and its result event, released together.
class Call
{
public:
    Call(rd_kafka_t *rk, const std::function<void(rd_kafka_queue_t *)> &issue)
        : m_queue(rd_kafka_queue_new(rk))
    {
        issue(m_queue);
        m_event = waitForEvent(m_queue, 20000);
    }
    ~Call()
    {
        if (m_event)
            rd_kafka_event_destroy(m_event);
        rd_kafka_queue_destroy(m_queue);
    }
    rd_kafka_event_t *event() const { return m_event; }
    rd_kafka_resp_err_t error() const
    {
        return m_event ? rd_kafka_event_error(m_event) : RD_KAFKA_RESP_ERR__TIMED_OUT;
    }

private:
    rd_kafka_queue_t *m_queue;
    rd_kafka_event_t *m_event = nullptr;
};

struct Config
{
    std::string value;
    rd_kafka_ConfigSource_t source;
    bool readOnly;
};

} // namespace

class TestAdmin : public QObject
{
    Q_OBJECT

    TestBroker m_broker;
    KafkaHandle m_admin;

    int partitionCount(const std::string &topic)
    {
        rd_kafka_topic_t *t = rd_kafka_topic_new(m_admin.get(), topic.c_str(), nullptr);
        const struct rd_kafka_metadata *md = nullptr;
        int count = -1;
        if (rd_kafka_metadata(m_admin.get(), 0, t, &md, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR &&
            md->topic_cnt == 1 && md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR)
            count = md->topics[0].partition_cnt;
        if (md)
            rd_kafka_metadata_destroy(md);
        rd_kafka_topic_destroy(t);
        return count;
    }

    bool listed(const std::string &topic)
    {
        const struct rd_kafka_metadata *md = nullptr;
        bool found = false;
        if (rd_kafka_metadata(m_admin.get(), 1, nullptr, &md, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR)
            for (int i = 0; i < md->topic_cnt; ++i)
                found = found || topic == md->topics[i].topic;
        if (md)
            rd_kafka_metadata_destroy(md);
        return found;
    }

    std::map<std::string, Config> describe(rd_kafka_ResourceType_t type, const std::string &name,
                                           rd_kafka_resp_err_t *error = nullptr)
    {
        std::map<std::string, Config> out;
        rd_kafka_ConfigResource_t *res = rd_kafka_ConfigResource_new(type, name.c_str());
        Call call(m_admin.get(), [&](rd_kafka_queue_t *q) {
            rd_kafka_DescribeConfigs(m_admin.get(), &res, 1, nullptr, q);
        });
        rd_kafka_ConfigResource_destroy(res);
        if (!call.event())
            return out;
        size_t n = 0;
        const rd_kafka_ConfigResource_t **results = rd_kafka_DescribeConfigs_result_resources(
            rd_kafka_event_DescribeConfigs_result(call.event()), &n);
        if (error)
            *error = n == 1 ? rd_kafka_ConfigResource_error(results[0]) : RD_KAFKA_RESP_ERR__FAIL;
        for (size_t i = 0; i < n; ++i) {
            size_t cnt = 0;
            const rd_kafka_ConfigEntry_t **entries =
                rd_kafka_ConfigResource_configs(results[i], &cnt);
            for (size_t e = 0; e < cnt; ++e) {
                const char *value = rd_kafka_ConfigEntry_value(entries[e]);
                out[rd_kafka_ConfigEntry_name(entries[e])] = {
                    value ? value : "", rd_kafka_ConfigEntry_source(entries[e]),
                    rd_kafka_ConfigEntry_is_read_only(entries[e]) != 0};
            }
        }
        return out;
    }

    std::string groupError(const rd_kafka_group_result_t *g)
    {
        const rd_kafka_error_t *e = rd_kafka_group_result_error(g);
        return e ? rd_kafka_error_name(e) : std::string();
    }

    void commitOffsets(const std::string &group, const std::string &topic,
                       std::initializer_list<std::int64_t> offsets)
    {
        auto consumer = makeConsumer(m_broker.bootstrapStd(), {{"group.id", group}});
        rd_kafka_topic_partition_list_t *list =
            rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size()));
        int p = 0;
        for (std::int64_t o : offsets)
            rd_kafka_topic_partition_list_add(list, topic.c_str(), p++)->offset = o;
        QCOMPARE(rd_kafka_commit(consumer.get(), list, 0), RD_KAFKA_RESP_ERR_NO_ERROR);
        rd_kafka_topic_partition_list_destroy(list);
        rd_kafka_consumer_close(consumer.get());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_broker.start());
        m_admin = makeAdmin(m_broker.bootstrapStd());
    }

    void createTopicWithConfigs()
    {
        QCOMPARE(createTopic(m_admin.get(), "payments", 3,
                             {{"retention.ms", "3600000"}, {"cleanup.policy", "compact"}}),
                 std::string());
        QVERIFY(listed("payments"));
        QCOMPARE(partitionCount("payments"), 3);
        const auto configs = describe(RD_KAFKA_RESOURCE_TOPIC, "payments");
        QVERIFY(configs.size() >= 20); // every topic config, with its default
        QCOMPARE(configs.at("retention.ms").value, std::string("3600000"));
        QCOMPARE(configs.at("retention.ms").source, RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG);
        QCOMPARE(configs.at("cleanup.policy").value, std::string("compact"));
        QCOMPARE(configs.at("segment.bytes").value, std::string("1073741824"));
        QCOMPARE(configs.at("segment.bytes").source, RD_KAFKA_CONFIG_SOURCE_DEFAULT_CONFIG);
    }

    void createTopicErrors()
    {
        QVERIFY(createTopic(m_admin.get(), "payments", 1).find("already exists") !=
                std::string::npos);
        const std::string badName = createTopic(m_admin.get(), "bad name!", 1);
        QVERIFY2(badName.find("illegal") != std::string::npos, badName.c_str());
        const std::string badConfig =
            createTopic(m_admin.get(), "x", 1, {{"retention.weeks", "2"}});
        QVERIFY2(badConfig.find("retention.weeks") != std::string::npos, badConfig.c_str());
        const std::string badValue = createTopic(m_admin.get(), "y", 1, {{"retention.ms", "soon"}});
        QVERIFY2(badValue.find("retention.ms") != std::string::npos, badValue.c_str());
        QVERIFY(!listed("x") && !listed("y"));
    }

    void addPartitions()
    {
        auto grow = [&](int total) {
            char err[256];
            rd_kafka_NewPartitions_t *np =
                rd_kafka_NewPartitions_new("payments", static_cast<size_t>(total), err, sizeof err);
            Call call(m_admin.get(), [&](rd_kafka_queue_t *q) {
                rd_kafka_CreatePartitions(m_admin.get(), &np, 1, nullptr, q);
            });
            rd_kafka_NewPartitions_destroy(np);
            size_t n = 0;
            const rd_kafka_topic_result_t **r = rd_kafka_CreatePartitions_result_topics(
                rd_kafka_event_CreatePartitions_result(call.event()), &n);
            return n == 1 ? rd_kafka_topic_result_error(r[0]) : RD_KAFKA_RESP_ERR__FAIL;
        };
        QCOMPARE(grow(5), RD_KAFKA_RESP_ERR_NO_ERROR);
        QCOMPARE(partitionCount("payments"), 5);
        QCOMPARE(grow(4), RD_KAFKA_RESP_ERR_INVALID_PARTITIONS);
        QCOMPARE(partitionCount("payments"), 5);
    }

    void alterConfigsReplacesTheWholeSet()
    {
        rd_kafka_ConfigResource_t *res =
            rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, "payments");
        rd_kafka_ConfigResource_set_config(res, "retention.ms", "120000");
        Call call(m_admin.get(), [&](rd_kafka_queue_t *q) {
            rd_kafka_AlterConfigs(m_admin.get(), &res, 1, nullptr, q);
        });
        rd_kafka_ConfigResource_destroy(res);
        QCOMPARE(call.error(), RD_KAFKA_RESP_ERR_NO_ERROR);
        size_t n = 0;
        const rd_kafka_ConfigResource_t **results = rd_kafka_AlterConfigs_result_resources(
            rd_kafka_event_AlterConfigs_result(call.event()), &n);
        QCOMPARE(n, size_t(1));
        QCOMPARE(rd_kafka_ConfigResource_error(results[0]), RD_KAFKA_RESP_ERR_NO_ERROR);
        const auto configs = describe(RD_KAFKA_RESOURCE_TOPIC, "payments");
        QCOMPARE(configs.at("retention.ms").value, std::string("120000"));
        // AlterConfigs is not incremental: cleanup.policy went back to its default.
        QCOMPARE(configs.at("cleanup.policy").value, std::string("delete"));
        QCOMPARE(configs.at("cleanup.policy").source, RD_KAFKA_CONFIG_SOURCE_DEFAULT_CONFIG);

        rd_kafka_ConfigResource_t *bad =
            rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, "payments");
        rd_kafka_ConfigResource_set_config(bad, "max.message.bytes", "lots");
        Call refused(m_admin.get(), [&](rd_kafka_queue_t *q) {
            rd_kafka_AlterConfigs(m_admin.get(), &bad, 1, nullptr, q);
        });
        rd_kafka_ConfigResource_destroy(bad);
        results = rd_kafka_AlterConfigs_result_resources(
            rd_kafka_event_AlterConfigs_result(refused.event()), &n);
        QCOMPARE(rd_kafka_ConfigResource_error(results[0]), RD_KAFKA_RESP_ERR_INVALID_CONFIG);
        QCOMPARE(describe(RD_KAFKA_RESOURCE_TOPIC, "payments").at("retention.ms").value,
                 std::string("120000"));
    }

    void brokerConfigs()
    {
        const auto configs = describe(RD_KAFKA_RESOURCE_BROKER, "1");
        QVERIFY(configs.count("log.dirs"));
        QCOMPARE(configs.at("log.dirs").value, m_broker.dataDir().toStdString());
        QVERIFY(configs.at("broker.id").readOnly);
        QVERIFY(configs.count("num.partitions"));
    }

    void deleteRecords()
    {
        QCOMPARE(createTopic(m_admin.get(), "audit", 1), std::string());
        auto producer = makeProducer(m_broker.bootstrapStd());
        for (int i = 0; i < 100; ++i) {
            const std::string v = std::to_string(i);
            rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC("audit"),
                              RD_KAFKA_V_VALUE(const_cast<char *>(v.data()), v.size()),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        }
        QCOMPARE(flushProducer(producer.get()), 0);
        rd_kafka_topic_partition_list_t *before = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(before, "audit", 0)->offset = 60;
        rd_kafka_DeleteRecords_t *del = rd_kafka_DeleteRecords_new(before);
        rd_kafka_topic_partition_list_destroy(before);
        Call call(m_admin.get(), [&](rd_kafka_queue_t *q) {
            rd_kafka_DeleteRecords(m_admin.get(), &del, 1, nullptr, q);
        });
        rd_kafka_DeleteRecords_destroy(del);
        QCOMPARE(call.error(), RD_KAFKA_RESP_ERR_NO_ERROR);
        const rd_kafka_topic_partition_list_t *result = rd_kafka_DeleteRecords_result_offsets(
            rd_kafka_event_DeleteRecords_result(call.event()));
        QCOMPARE(result->elems[0].err, RD_KAFKA_RESP_ERR_NO_ERROR);
        QCOMPARE(result->elems[0].offset, std::int64_t(60));
        std::int64_t low = -1, high = -1;
        rd_kafka_query_watermark_offsets(m_admin.get(), "audit", 0, &low, &high, 10000);
        QCOMPARE(low, std::int64_t(60));
        QCOMPARE(high, std::int64_t(100));
        const auto rest = readAll(m_broker.bootstrapStd(), "audit", 1, 40);
        QCOMPARE(rest.size(), std::size_t(40));
        QCOMPARE(rest.front().offset, std::int64_t(60));
        QCOMPARE(rest.front().value, std::string("60"));
    }

    void groupsListDescribeDelete()
    {
        commitOffsets("reporting", "payments", {5, 6, 7});
        commitOffsets("archiver", "audit", {70});

        Call list(m_admin.get(), [&](rd_kafka_queue_t *q) {
            rd_kafka_ListConsumerGroups(m_admin.get(), nullptr, q);
        });
        QCOMPARE(list.error(), RD_KAFKA_RESP_ERR_NO_ERROR);
        size_t n = 0;
        const rd_kafka_ConsumerGroupListing_t **groups = rd_kafka_ListConsumerGroups_result_valid(
            rd_kafka_event_ListConsumerGroups_result(list.event()), &n);
        std::set<std::string> names;
        for (size_t i = 0; i < n; ++i) {
            names.insert(rd_kafka_ConsumerGroupListing_group_id(groups[i]));
            QCOMPARE(rd_kafka_ConsumerGroupListing_state(groups[i]),
                     RD_KAFKA_CONSUMER_GROUP_STATE_EMPTY);
        }
        QVERIFY(names.count("reporting") && names.count("archiver"));

        const char *wanted[] = {"reporting"};
        Call describe(m_admin.get(), [&](rd_kafka_queue_t *q) {
            rd_kafka_DescribeConsumerGroups(m_admin.get(), wanted, 1, nullptr, q);
        });
        const rd_kafka_ConsumerGroupDescription_t **desc =
            rd_kafka_DescribeConsumerGroups_result_groups(
                rd_kafka_event_DescribeConsumerGroups_result(describe.event()), &n);
        QCOMPARE(n, size_t(1));
        QVERIFY(!rd_kafka_ConsumerGroupDescription_error(desc[0]));
        QCOMPARE(rd_kafka_ConsumerGroupDescription_state(desc[0]),
                 RD_KAFKA_CONSUMER_GROUP_STATE_EMPTY);
        QCOMPARE(rd_kafka_ConsumerGroupDescription_member_count(desc[0]), size_t(0));

        // Committed offsets through the admin API.
        rd_kafka_ListConsumerGroupOffsets_t *lo =
            rd_kafka_ListConsumerGroupOffsets_new("reporting", nullptr);
        Call offsets(m_admin.get(), [&](rd_kafka_queue_t *q) {
            rd_kafka_ListConsumerGroupOffsets(m_admin.get(), &lo, 1, nullptr, q);
        });
        rd_kafka_ListConsumerGroupOffsets_destroy(lo);
        const rd_kafka_group_result_t **gr = rd_kafka_ListConsumerGroupOffsets_result_groups(
            rd_kafka_event_ListConsumerGroupOffsets_result(offsets.event()), &n);
        QCOMPARE(n, size_t(1));
        const rd_kafka_topic_partition_list_t *committed = rd_kafka_group_result_partitions(gr[0]);
        QCOMPARE(committed->cnt, 3);
        for (int i = 0; i < committed->cnt; ++i)
            QCOMPARE(committed->elems[i].offset, std::int64_t(5 + committed->elems[i].partition));

        // Delete one partition's committed offset, then the whole group.
        rd_kafka_topic_partition_list_t *drop = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(drop, "payments", 1);
        rd_kafka_DeleteConsumerGroupOffsets_t *dco =
            rd_kafka_DeleteConsumerGroupOffsets_new("reporting", drop);
        rd_kafka_topic_partition_list_destroy(drop);
        Call deleted(m_admin.get(), [&](rd_kafka_queue_t *q) {
            rd_kafka_DeleteConsumerGroupOffsets(m_admin.get(), &dco, 1, nullptr, q);
        });
        rd_kafka_DeleteConsumerGroupOffsets_destroy(dco);
        gr = rd_kafka_DeleteConsumerGroupOffsets_result_groups(
            rd_kafka_event_DeleteConsumerGroupOffsets_result(deleted.event()), &n);
        QCOMPARE(n, size_t(1));
        QCOMPARE(groupError(gr[0]), std::string());
        QCOMPARE(rd_kafka_group_result_partitions(gr[0])->elems[0].err, RD_KAFKA_RESP_ERR_NO_ERROR);
        auto consumer = makeConsumer(m_broker.bootstrapStd(), {{"group.id", "reporting"}});
        rd_kafka_topic_partition_list_t *query = rd_kafka_topic_partition_list_new(2);
        rd_kafka_topic_partition_list_add(query, "payments", 0);
        rd_kafka_topic_partition_list_add(query, "payments", 1);
        QCOMPARE(rd_kafka_committed(consumer.get(), query, 10000), RD_KAFKA_RESP_ERR_NO_ERROR);
        QCOMPARE(query->elems[0].offset, std::int64_t(5));
        QCOMPARE(query->elems[1].offset, std::int64_t(RD_KAFKA_OFFSET_INVALID));
        rd_kafka_topic_partition_list_destroy(query);
        rd_kafka_consumer_close(consumer.get());

        auto deleteGroup = [&](const char *name) {
            rd_kafka_DeleteGroup_t *dg = rd_kafka_DeleteGroup_new(name);
            Call call(m_admin.get(), [&](rd_kafka_queue_t *q) {
                rd_kafka_DeleteGroups(m_admin.get(), &dg, 1, nullptr, q);
            });
            rd_kafka_DeleteGroup_destroy(dg);
            size_t count = 0;
            const rd_kafka_group_result_t **r = rd_kafka_DeleteGroups_result_groups(
                rd_kafka_event_DeleteGroups_result(call.event()), &count);
            return count == 1 ? groupError(r[0]) : std::string("no result");
        };
        QCOMPARE(deleteGroup("reporting"), std::string());
        QCOMPARE(deleteGroup("reporting"), std::string("GROUP_ID_NOT_FOUND"));
    }

    void activeGroupCannotBeDeleted()
    {
        auto member = makeConsumer(m_broker.bootstrapStd(), {{"group.id", "busy"},
                                                             {"session.timeout.ms", "6000"},
                                                             {"heartbeat.interval.ms", "300"}});
        rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(topics, "payments", RD_KAFKA_PARTITION_UA);
        rd_kafka_subscribe(member.get(), topics);
        rd_kafka_topic_partition_list_destroy(topics);
        for (int i = 0; i < 200; ++i) {
            if (rd_kafka_message_t *m = rd_kafka_consumer_poll(member.get(), 20))
                rd_kafka_message_destroy(m);
            rd_kafka_topic_partition_list_t *assigned = nullptr;
            rd_kafka_assignment(member.get(), &assigned);
            const int cnt = assigned ? assigned->cnt : 0;
            if (assigned)
                rd_kafka_topic_partition_list_destroy(assigned);
            if (cnt > 0)
                break;
        }
        rd_kafka_DeleteGroup_t *dg = rd_kafka_DeleteGroup_new("busy");
        Call call(m_admin.get(), [&](rd_kafka_queue_t *q) {
            rd_kafka_DeleteGroups(m_admin.get(), &dg, 1, nullptr, q);
        });
        rd_kafka_DeleteGroup_destroy(dg);
        size_t n = 0;
        const rd_kafka_group_result_t **r = rd_kafka_DeleteGroups_result_groups(
            rd_kafka_event_DeleteGroups_result(call.event()), &n);
        QCOMPARE(n, size_t(1));
        QCOMPARE(groupError(r[0]), std::string("NON_EMPTY_GROUP"));
        rd_kafka_consumer_close(member.get());
    }

    void deleteTopic()
    {
        QCOMPARE(periscope::test::deleteTopic(m_admin.get(), "audit"), std::string());
        QVERIFY(!listed("audit"));
        rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
        describe(RD_KAFKA_RESOURCE_TOPIC, "audit", &err);
        QCOMPARE(err, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
        QVERIFY(!periscope::test::deleteTopic(m_admin.get(), "audit").empty());
        QVERIFY(!periscope::test::deleteTopic(m_admin.get(), "__consumer_offsets").empty());
        // The name can be used again, empty.
        QCOMPARE(createTopic(m_admin.get(), "audit", 2), std::string());
        std::int64_t low = -1, high = -1;
        rd_kafka_query_watermark_offsets(m_admin.get(), "audit", 0, &low, &high, 10000);
        QCOMPARE(high, std::int64_t(0));
    }

    void cleanupTestCase()
    {
        m_admin.reset();
        QVERIFY(m_broker.stop());
    }
};

QTEST_GUILESS_MAIN(TestAdmin)
#include "tst_admin.moc"
