// Topic, config and group administration through librdkafka's admin API.
#include "adminops.h"
#include "testbroker.h"

#include <QTest>
#include <functional>
#include <set>

using namespace periscope::test;

class TestAdmin : public QObject, public AdminOps
{
    Q_OBJECT

    TestBroker m_broker;
    KafkaHandle m_admin;

    // Commits offsets the way an assign() user does: group.id set, no membership, so the
    // group is created Empty.
    void commitOffsets(const std::string &group, const Offsets &offsets)
    {
        auto consumer = makeConsumer(m_broker.bootstrapStd(),
                                     {{"group.id", group}, {"enable.auto.commit", "false"}});
        QVERIFY(consumer);
        rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(4);
        for (const auto &[topic, parts] : offsets)
            for (const auto &[p, o] : parts)
                rd_kafka_topic_partition_list_add(list, topic.c_str(), p)->offset = o;
        QCOMPARE(rd_kafka_assign(consumer.get(), list), RD_KAFKA_RESP_ERR_NO_ERROR);
        const rd_kafka_resp_err_t err = rd_kafka_commit(consumer.get(), list, 0);
        rd_kafka_topic_partition_list_destroy(list);
        QCOMPARE(err, RD_KAFKA_RESP_ERR_NO_ERROR);
        rd_kafka_assign(consumer.get(), nullptr);
        rd_kafka_consumer_close(consumer.get());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_broker.start());
        m_admin = makeAdmin(m_broker.bootstrapStd());
        QVERIFY(m_admin);
        setHandle(m_admin.get());
    }

    void createTopicWithConfigs()
    {
        const Result r =
            create("payments", 3, 1, {{"retention.ms", "3600000"}, {"cleanup.policy", "compact"}});
        QCOMPARE(r.error, RD_KAFKA_RESP_ERR_NO_ERROR);
        QVERIFY(listed("payments"));
        QCOMPARE(partitionCount("payments"), 3);

        // Every config is described: the two given as DYNAMIC_TOPIC, all others DEFAULT.
        const auto configs = describe(RD_KAFKA_RESOURCE_TOPIC, "payments");
        for (const char *name : kStandardTopicConfigs)
            QVERIFY2(configs.count(name), name);
        for (const auto &[name, c] : configs) {
            const bool given = name == "retention.ms" || name == "cleanup.policy";
            QVERIFY2(c.source == (given ? RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG
                                        : RD_KAFKA_CONFIG_SOURCE_DEFAULT_CONFIG),
                     name.c_str());
            QVERIFY2(c.isDefault == !given, name.c_str());
            QVERIFY2(!c.readOnly, name.c_str());
        }
        QCOMPARE(configs.at("retention.ms").value, std::string("3600000"));
        QCOMPARE(configs.at("cleanup.policy").value, std::string("compact"));
        QCOMPARE(configs.at("segment.bytes").value, std::string("1073741824"));
        QCOMPARE(configs.at("retention.bytes").value, std::string("-1"));
        QCOMPARE(configs.at("compression.type").value, std::string("producer"));
        QCOMPARE(configs.at("min.insync.replicas").value, std::string("1"));
    }

    void createTopicErrors_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("replication");
        QTest::addColumn<QStringList>("configs");
        QTest::addColumn<int>("error");
        QTest::addColumn<QString>("mentions");

        QTest::newRow("already exists")
            << "payments" << 1 << QStringList() << int(RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
            << "already exists";
        QTest::newRow("space and bang in the name")
            << "bad name!" << 1 << QStringList() << int(RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION)
            << "illegal";
        QTest::newRow("name \"..\"")
            << ".." << 1 << QStringList() << int(RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION) << "..";
        QTest::newRow("250-character name") << QString(250, QLatin1Char('a')) << 1 << QStringList()
                                            << int(RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION) << "249";
        QTest::newRow("unknown config")
            << "x" << 1 << QStringList{QStringLiteral("retention.weeks=2")}
            << int(RD_KAFKA_RESP_ERR_INVALID_CONFIG) << "retention.weeks";
        QTest::newRow("number config not a number")
            << "y" << 1 << QStringList{QStringLiteral("retention.ms=soon")}
            << int(RD_KAFKA_RESP_ERR_INVALID_CONFIG) << "retention.ms";
        QTest::newRow("enum config out of range")
            << "y" << 1 << QStringList{QStringLiteral("compression.type=brotli")}
            << int(RD_KAFKA_RESP_ERR_INVALID_CONFIG) << "compression.type";
        QTest::newRow("replication factor above the broker count")
            << "z" << 3 << QStringList() << int(RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR)
            << "Replication factor";
    }

    void createTopicErrors()
    {
        QFETCH(QString, name);
        QFETCH(int, replication);
        QFETCH(QStringList, configs);
        QFETCH(int, error);
        QFETCH(QString, mentions);
        const Result r = create(name.toStdString(), 1, replication, toProps(configs));
        QCOMPARE(int(r.error), error);
        QVERIFY2(QString::fromStdString(r.message).contains(mentions), r.message.c_str());
        if (name != QLatin1String("payments"))
            QVERIFY(!listed(name.toStdString()));
        else
            QCOMPARE(partitionCount("payments"), 3); // untouched
    }

    void validateOnlyCreatesNothing()
    {
        const Result ok = create("dry-run", 4, 1, {{"retention.ms", "1000"}}, true);
        QCOMPARE(ok.error, RD_KAFKA_RESP_ERR_NO_ERROR);
        QVERIFY(!listed("dry-run"));
        // ...but still validates.
        QCOMPARE(create("dry-run", 4, 1, {{"retention.ms", "later"}}, true).error,
                 RD_KAFKA_RESP_ERR_INVALID_CONFIG);
        QCOMPARE(create("payments", 4, 1, {}, true).error, RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS);
    }

    void addPartitions()
    {
        QCOMPARE(growTo("payments", 5), RD_KAFKA_RESP_ERR_NO_ERROR);
        QCOMPARE(partitionCount("payments"), 5);
        // The new partitions take messages.
        auto producer = makeProducer(m_broker.bootstrapStd());
        const std::string v = "to partition 4";
        QCOMPARE(rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC("payments"),
                                   RD_KAFKA_V_PARTITION(4),
                                   RD_KAFKA_V_VALUE(const_cast<char *>(v.data()), v.size()),
                                   RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END),
                 RD_KAFKA_RESP_ERR_NO_ERROR);
        const int failuresBefore = deliveryFailures;
        QCOMPARE(flushProducer(producer.get(), 10000), 0);
        QCOMPARE(int(deliveryFailures), failuresBefore);
        std::int64_t low = -1, high = -1;
        rd_kafka_query_watermark_offsets(m_admin.get(), "payments", 4, &low, &high, 10000);
        QCOMPARE(high, std::int64_t(1));
    }

    void addPartitionsRefused_data()
    {
        QTest::addColumn<QString>("topic");
        QTest::addColumn<int>("total");
        QTest::addColumn<int>("error");
        QTest::newRow("fewer") << "payments" << 4 << int(RD_KAFKA_RESP_ERR_INVALID_PARTITIONS);
        QTest::newRow("as many") << "payments" << 5 << int(RD_KAFKA_RESP_ERR_INVALID_PARTITIONS);
        QTest::newRow("unknown topic")
            << "nowhere" << 2 << int(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
    }

    void addPartitionsRefused()
    {
        QFETCH(QString, topic);
        QFETCH(int, total);
        QFETCH(int, error);
        QCOMPARE(int(growTo(topic.toStdString(), total)), error);
        QCOMPARE(partitionCount("payments"), 5);
    }

    void alterConfigsReplacesTheWholeSet()
    {
        const Result r = alter("payments", {{"retention.ms", "120000"}});
        QCOMPARE(r.error, RD_KAFKA_RESP_ERR_NO_ERROR);
        auto configs = describe(RD_KAFKA_RESOURCE_TOPIC, "payments");
        QCOMPARE(configs.at("retention.ms").value, std::string("120000"));
        QCOMPARE(configs.at("retention.ms").source, RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG);
        // AlterConfigs is not incremental: cleanup.policy, not given, went back to its default.
        QCOMPARE(configs.at("cleanup.policy").value, std::string("delete"));
        QCOMPARE(configs.at("cleanup.policy").source, RD_KAFKA_CONFIG_SOURCE_DEFAULT_CONFIG);
        std::size_t dynamic = 0;
        for (const auto &[name, c] : configs)
            dynamic += c.source == RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG;
        QCOMPARE(dynamic, std::size_t(1));

        // An empty set clears every override.
        QCOMPARE(alter("payments", {}).error, RD_KAFKA_RESP_ERR_NO_ERROR);
        configs = describe(RD_KAFKA_RESOURCE_TOPIC, "payments");
        QCOMPARE(configs.at("retention.ms").value, std::string("604800000"));
        QCOMPARE(configs.at("retention.ms").source, RD_KAFKA_CONFIG_SOURCE_DEFAULT_CONFIG);
        QCOMPARE(alter("payments", {{"retention.ms", "120000"}}).error, RD_KAFKA_RESP_ERR_NO_ERROR);
    }

    void alterConfigsRefused_data()
    {
        QTest::addColumn<QString>("topic");
        QTest::addColumn<QStringList>("configs");
        QTest::addColumn<int>("error");
        QTest::newRow("bad value")
            << "payments" << QStringList{QStringLiteral("max.message.bytes=lots")}
            << int(RD_KAFKA_RESP_ERR_INVALID_CONFIG);
        QTest::newRow("unknown name")
            << "payments" << QStringList{QStringLiteral("retention.weeks=1")}
            << int(RD_KAFKA_RESP_ERR_INVALID_CONFIG);
        QTest::newRow("one good, one bad")
            << "payments"
            << QStringList{QStringLiteral("segment.ms=1000"), QStringLiteral("segment.bytes=-5")}
            << int(RD_KAFKA_RESP_ERR_INVALID_CONFIG);
        QTest::newRow("unknown topic") << "nowhere" << QStringList{QStringLiteral("retention.ms=1")}
                                       << int(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
    }

    void alterConfigsRefused()
    {
        QFETCH(QString, topic);
        QFETCH(QStringList, configs);
        QFETCH(int, error);
        const Result r = alter(topic.toStdString(), toProps(configs));
        QCOMPARE(int(r.error), error);
        QVERIFY(!r.message.empty());
        // Nothing changed, not even the valid part of a refused set.
        const auto now = describe(RD_KAFKA_RESOURCE_TOPIC, "payments");
        QCOMPARE(now.at("retention.ms").value, std::string("120000"));
        QCOMPARE(now.at("segment.ms").source, RD_KAFKA_CONFIG_SOURCE_DEFAULT_CONFIG);
    }

    void brokerConfigs()
    {
        rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR__FAIL;
        const auto configs = describe(RD_KAFKA_RESOURCE_BROKER, "1", &err);
        QCOMPARE(err, RD_KAFKA_RESP_ERR_NO_ERROR);
        QVERIFY(configs.count("log.dirs"));
        QCOMPARE(configs.at("log.dirs").value, m_broker.dataDir().toStdString());
        QCOMPARE(configs.at("broker.id").value, std::string("1"));
        QVERIFY(configs.at("broker.id").readOnly);
        QVERIFY(configs.count("num.partitions"));
        QVERIFY(configs.count("advertised.listeners"));
        QVERIFY(QString::fromStdString(configs.at("advertised.listeners").value)
                    .endsWith(QLatin1Char(':') + QString::number(m_broker.port())));
        QCOMPARE(configs.at("log.retention.hours").source, RD_KAFKA_CONFIG_SOURCE_DEFAULT_CONFIG);
        QCOMPARE(configs.at("log.dirs").source, RD_KAFKA_CONFIG_SOURCE_STATIC_BROKER_CONFIG);
    }

    void deleteRecords()
    {
        QCOMPARE(create("audit", 1).error, RD_KAFKA_RESP_ERR_NO_ERROR);
        auto producer = makeProducer(m_broker.bootstrapStd());
        for (int i = 0; i < 100; ++i) {
            const std::string v = std::to_string(i);
            rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC("audit"),
                              RD_KAFKA_V_VALUE(const_cast<char *>(v.data()), v.size()),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        }
        QCOMPARE(flushProducer(producer.get()), 0);

        const auto [err, low] = deleteBefore("audit", 0, 60);
        QCOMPARE(err, RD_KAFKA_RESP_ERR_NO_ERROR);
        QCOMPARE(low, std::int64_t(60));
        std::int64_t lowWatermark = -1, high = -1;
        QCOMPARE(rd_kafka_query_watermark_offsets(m_admin.get(), "audit", 0, &lowWatermark, &high,
                                                  10000),
                 RD_KAFKA_RESP_ERR_NO_ERROR);
        QCOMPARE(lowWatermark, std::int64_t(60));
        QCOMPARE(high, std::int64_t(100));
        // A consumer starting at BEGINNING sees offset 60 first.
        const auto rest = readAll(m_broker.bootstrapStd(), "audit", 1, 40);
        QCOMPARE(rest.size(), std::size_t(40));
        QCOMPARE(rest.front().offset, std::int64_t(60));
        QCOMPARE(rest.front().value, std::string("60"));
        QCOMPARE(rest.back().offset, std::int64_t(99));

        // Deleting below the low watermark changes nothing.
        const auto [again, unchanged] = deleteBefore("audit", 0, 10);
        QCOMPARE(again, RD_KAFKA_RESP_ERR_NO_ERROR);
        QCOMPARE(unchanged, std::int64_t(60));
    }

    void deleteRecordsRefused_data()
    {
        QTest::addColumn<QString>("topic");
        QTest::addColumn<int>("partition");
        QTest::addColumn<qint64>("offset");
        QTest::addColumn<int>("error");
        // (Unknown topics and partitions never reach the broker: librdkafka looks up each
        // partition's leader first.)
        QTest::newRow("one past the high watermark")
            << "audit" << 0 << qint64(101) << int(RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE);
        QTest::newRow("far past the high watermark")
            << "audit" << 0 << (qint64(1) << 40) << int(RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE);
        QTest::newRow("negative, other than -1 (the high watermark)")
            << "audit" << 0 << qint64(-5) << int(RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE);
    }

    void deleteRecordsRefused()
    {
        QFETCH(QString, topic);
        QFETCH(int, partition);
        QFETCH(qint64, offset);
        QFETCH(int, error);
        QCOMPARE(int(deleteBefore(topic.toStdString(), partition, offset).first), error);
        std::int64_t low = -1, high = -1;
        rd_kafka_query_watermark_offsets(m_admin.get(), "audit", 0, &low, &high, 10000);
        QCOMPARE(low, std::int64_t(60));
        QCOMPARE(high, std::int64_t(100));
    }

    void groupsListDescribeDelete()
    {
        commitOffsets("reporting", {{"payments", {{0, 5}, {1, 6}, {2, 7}}}, {"audit", {{0, 70}}}});
        commitOffsets("archiver", {{"audit", {{0, 80}}}});

        const auto groups = listGroups();
        QVERIFY(!groups.count("(error)"));
        QVERIFY(groups.count("reporting") && groups.count("archiver"));
        QCOMPARE(groups.at("reporting"), RD_KAFKA_CONSUMER_GROUP_STATE_EMPTY);
        QCOMPARE(groups.at("archiver"), RD_KAFKA_CONSUMER_GROUP_STATE_EMPTY);
        // The state filter (ListGroups v4).
        QVERIFY(listGroups({RD_KAFKA_CONSUMER_GROUP_STATE_STABLE}).count("reporting") == 0);
        QVERIFY(listGroups({RD_KAFKA_CONSUMER_GROUP_STATE_EMPTY}).count("reporting") == 1);

        const auto described = describeGroup("reporting");
        const rd_kafka_ConsumerGroupDescription_t *desc[] = {described.desc};
        QVERIFY(desc[0]);
        QVERIFY(!rd_kafka_ConsumerGroupDescription_error(desc[0]));
        QCOMPARE(rd_kafka_ConsumerGroupDescription_state(desc[0]),
                 RD_KAFKA_CONSUMER_GROUP_STATE_EMPTY);
        QCOMPARE(rd_kafka_ConsumerGroupDescription_member_count(desc[0]), size_t(0));
        QCOMPARE(rd_kafka_Node_id(rd_kafka_ConsumerGroupDescription_coordinator(desc[0])), 1);

        // Committed offsets through the admin API.
        QCOMPARE(committed("reporting"),
                 (Offsets{{"payments", {{0, 5}, {1, 6}, {2, 7}}}, {"audit", {{0, 70}}}}));

        // AlterConsumerGroupOffsets on the Empty group: changes one, adds one.
        QCOMPARE(alterGroupOffsets("reporting", "payments", {{0, 50}, {4, 1}}),
                 (std::map<int, std::string>{{0, "NO_ERROR"}, {4, "NO_ERROR"}}));
        QCOMPARE(committed("reporting"),
                 (Offsets{{"payments", {{0, 50}, {1, 6}, {2, 7}, {4, 1}}}, {"audit", {{0, 70}}}}));

        // Delete the offsets of one topic (all its partitions); the other topic's stay.
        QCOMPARE(deleteGroupOffsets("reporting", "payments", {0, 1, 2, 3, 4}),
                 (std::map<int, std::string>{{0, "NO_ERROR"},
                                             {1, "NO_ERROR"},
                                             {2, "NO_ERROR"},
                                             {3, "NO_ERROR"},
                                             {4, "NO_ERROR"}}));
        QCOMPARE(committed("reporting"), (Offsets{{"audit", {{0, 70}}}}));
        // A consumer of the group sees the same.
        auto consumer = makeConsumer(m_broker.bootstrapStd(), {{"group.id", "reporting"}});
        rd_kafka_topic_partition_list_t *query = rd_kafka_topic_partition_list_new(2);
        rd_kafka_topic_partition_list_add(query, "payments", 0);
        rd_kafka_topic_partition_list_add(query, "audit", 0);
        QCOMPARE(rd_kafka_committed(consumer.get(), query, 10000), RD_KAFKA_RESP_ERR_NO_ERROR);
        QCOMPARE(query->elems[0].offset, std::int64_t(RD_KAFKA_OFFSET_INVALID));
        QCOMPARE(query->elems[1].offset, std::int64_t(70));
        rd_kafka_topic_partition_list_destroy(query);
        rd_kafka_consumer_close(consumer.get());
        QCOMPARE(committed("archiver"), (Offsets{{"audit", {{0, 80}}}}));

        QCOMPARE(deleteGroup("reporting"), std::string());
        QCOMPARE(deleteGroup("reporting"), std::string("GROUP_ID_NOT_FOUND"));
        QVERIFY(!listGroups().count("reporting"));
        QVERIFY(listGroups().count("archiver"));
        QCOMPARE(deleteGroupOffsets("reporting", "audit", {0}),
                 (std::map<int, std::string>{{-1, "GROUP_ID_NOT_FOUND"}}));
    }

    void activeGroup()
    {
        auto member = makeConsumer(m_broker.bootstrapStd(), {{"group.id", "busy"},
                                                             {"client.id", "busy-member"},
                                                             {"session.timeout.ms", "6000"},
                                                             {"heartbeat.interval.ms", "300"}});
        rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(topics, "payments", RD_KAFKA_PARTITION_UA);
        QCOMPARE(rd_kafka_subscribe(member.get(), topics), RD_KAFKA_RESP_ERR_NO_ERROR);
        rd_kafka_topic_partition_list_destroy(topics);
        int assigned = 0;
        for (int i = 0; i < 500 && assigned == 0; ++i) {
            if (rd_kafka_message_t *m = rd_kafka_consumer_poll(member.get(), 20))
                rd_kafka_message_destroy(m);
            rd_kafka_topic_partition_list_t *list = nullptr;
            rd_kafka_assignment(member.get(), &list);
            assigned = list ? list->cnt : 0;
            if (list)
                rd_kafka_topic_partition_list_destroy(list);
        }
        QCOMPARE(assigned, 5);

        QCOMPARE(listGroups().at("busy"), RD_KAFKA_CONSUMER_GROUP_STATE_STABLE);
        const auto described = describeGroup("busy");
        const rd_kafka_ConsumerGroupDescription_t *desc[] = {described.desc};
        QVERIFY(desc[0]);
        QVERIFY(!rd_kafka_ConsumerGroupDescription_error(desc[0]));
        QCOMPARE(rd_kafka_ConsumerGroupDescription_state(desc[0]),
                 RD_KAFKA_CONSUMER_GROUP_STATE_STABLE);
        QVERIFY(!rd_kafka_ConsumerGroupDescription_is_simple_consumer_group(desc[0]));
        QVERIFY(std::string(rd_kafka_ConsumerGroupDescription_partition_assignor(desc[0])) != "");
        QCOMPARE(rd_kafka_ConsumerGroupDescription_member_count(desc[0]), size_t(1));
        const rd_kafka_MemberDescription_t *m =
            rd_kafka_ConsumerGroupDescription_member(desc[0], 0);
        QCOMPARE(std::string(rd_kafka_MemberDescription_client_id(m)), std::string("busy-member"));
        QCOMPARE(std::string(rd_kafka_MemberDescription_host(m)), std::string("/127.0.0.1"));
        const rd_kafka_topic_partition_list_t *parts =
            rd_kafka_MemberAssignment_partitions(rd_kafka_MemberDescription_assignment(m));
        QVERIFY(parts);
        QCOMPARE(parts->cnt, 5);
        for (int i = 0; i < parts->cnt; ++i)
            QCOMPARE(std::string(parts->elems[i].topic), std::string("payments"));

        // What an active group refuses.
        QCOMPARE(deleteGroup("busy"), std::string("NON_EMPTY_GROUP"));
        QCOMPARE(deleteGroupOffsets("busy", "payments", {0}),
                 (std::map<int, std::string>{{0, "GROUP_SUBSCRIBED_TO_TOPIC"}}));
        const auto altered = alterGroupOffsets("busy", "payments", {{0, 3}});
        QVERIFY(altered.count(0));
        QCOMPARE(altered.at(0), std::string("UNKNOWN_MEMBER_ID"));
        QVERIFY(committed("busy").empty());

        // Once the member leaves the group is Empty and can go.
        rd_kafka_consumer_close(member.get());
        member.reset();
        QCOMPARE(listGroups().at("busy"), RD_KAFKA_CONSUMER_GROUP_STATE_EMPTY);
        QCOMPARE(deleteGroup("busy"), std::string());
    }

    void deleteTopic()
    {
        QCOMPARE(periscope::test::deleteTopic(m_admin.get(), "audit"), std::string());
        QVERIFY(!listed("audit"));
        QVERIFY(listed("payments"));
        rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
        describe(RD_KAFKA_RESOURCE_TOPIC, "audit", &err);
        QCOMPARE(err, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
        // Its committed offsets went with it.
        QVERIFY(committed("archiver").empty());
        QVERIFY(!periscope::test::deleteTopic(m_admin.get(), "audit").empty());
        QVERIFY(!periscope::test::deleteTopic(m_admin.get(), "__consumer_offsets").empty());
        // The name can be used again, empty.
        QCOMPARE(create("audit", 2).error, RD_KAFKA_RESP_ERR_NO_ERROR);
        std::int64_t low = -1, high = -1;
        rd_kafka_query_watermark_offsets(m_admin.get(), "audit", 0, &low, &high, 10000);
        QCOMPARE(low, std::int64_t(0));
        QCOMPARE(high, std::int64_t(0));
        const auto configs = describe(RD_KAFKA_RESOURCE_TOPIC, "audit", &err);
        QCOMPARE(err, RD_KAFKA_RESP_ERR_NO_ERROR);
        QCOMPARE(configs.at("retention.ms").source, RD_KAFKA_CONFIG_SOURCE_DEFAULT_CONFIG);
    }

    void cleanupTestCase()
    {
        m_admin.reset();
        QVERIFY(m_broker.stop());
    }
};

QTEST_GUILESS_MAIN(TestAdmin)
#include "tst_admin.moc"
