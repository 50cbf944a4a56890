// The async client layer against a real broker: metadata, offsets, configs, every admin
// action, and the errors a user meets (unreachable host, unknown topic, disconnects).
#include "await.h"
#include "client/clusterclient.h"
#include "client/clustersession.h"
#include "closedport.h"
#include "kafka.h"
#include "testbroker.h"
#include "testclient.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace periscope;
using namespace periscope::client;
using periscope::test::TestBroker;

namespace {

using test::await;

using test::testSettings;

const PartitionOffsets *find(const QList<PartitionOffsets> &list, const QString &topic, int p)
{
    for (const auto &o : list)
        if (o.topic == topic && o.partition == p)
            return &o;
    return nullptr;
}

} // namespace

class TestClient : public QObject
{
    Q_OBJECT

    TestBroker m_broker;
    std::unique_ptr<ClusterClient> m_client;

    const TopicInfo *topic(const ClusterMetadata &md, const QString &name)
    {
        for (const auto &t : md.topics)
            if (t.name == name)
                return &t;
        return nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_broker.start());
        m_client = std::make_unique<ClusterClient>(testSettings(m_broker.bootstrap()));
        QSignalSpy state(m_client.get(), &ClusterClient::stateChanged);
        m_client->open();
        QTRY_COMPARE_WITH_TIMEOUT(m_client->state(), ClusterClient::State::Connected, 10000);
    }

    void metadataDescribesTheCluster()
    {
        const auto created = await(m_client->createTopics(
            {{QStringLiteral("orders"),
              3,
              1,
              {{QStringLiteral("retention.ms"), QStringLiteral("3600000")}}}}));
        QVERIFY2(created.ok(), qPrintable(created.error.message));
        QCOMPARE(created.value.size(), 1);
        QVERIFY2(!created.value.first().error.isError(),
                 qPrintable(created.value.first().error.message));

        const auto md = await(m_client->metadata());
        QVERIFY2(md.ok(), qPrintable(md.error.message));
        QVERIFY(!md.value.clusterId.isEmpty());
        QCOMPARE(md.value.controllerId, 1);
        QCOMPARE(md.value.brokers.size(), 1);
        QCOMPARE(md.value.brokers.first().address(), m_broker.bootstrap());
        QVERIFY(md.value.brokers.first().controller);
        const TopicInfo *orders = topic(md.value, QStringLiteral("orders"));
        QVERIFY(orders);
        QCOMPARE(orders->partitions.size(), 3);
        QCOMPARE(orders->replicationFactor(), 1);
        QCOMPARE(orders->partitions[2].leader, 1);
        QCOMPARE(orders->partitions[2].isr, QList<int>{1});
        QCOMPARE(orders->underReplicatedCount(), 0);
        QVERIFY(!orders->internal);
    }

    // librdkafka 2.0.2's metadata carries no rack; the session asks each broker once.
    void rackComesFromTheBrokersConfig()
    {
        TestBroker racked({QStringLiteral("--rack"), QStringLiteral("eu-west-1a")});
        QVERIFY(racked.start());
        for (auto [broker, expected] :
             {std::pair{&racked, QStringLiteral("eu-west-1a")}, std::pair{&m_broker, QString()}}) {
            ClusterSession session(testSettings(broker->bootstrap()), false);
            QSignalSpy racks(&session, &ClusterSession::brokerRacksChanged);
            session.open();
            session.refresh();
            QVERIFY(racks.wait(15000));
            QCOMPARE(session.metadata().brokers.size(), 1);
            QCOMPARE(session.metadata().brokers.first().rack, expected);
            // Asked once: later refreshes keep the rack without asking again.
            session.refresh();
            QTRY_VERIFY_WITH_TIMEOUT(!session.refreshing(), 15000);
            QCOMPARE(session.metadata().brokers.first().rack, expected);
            QCOMPARE(racks.size(), 1);
        }
    }

    void offsetsForEveryPartition()
    {
        auto producer = test::makeProducer(m_broker.bootstrapStd());
        for (int i = 0; i < 30; ++i) {
            const std::string v = "m" + std::to_string(i);
            rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC("orders"),
                              RD_KAFKA_V_PARTITION(i % 3),
                              RD_KAFKA_V_VALUE(const_cast<char *>(v.data()), v.size()),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        }
        QCOMPARE(test::flushProducer(producer.get()), 0);
        const auto r = await(m_client->offsets({{QStringLiteral("orders"), 3}}));
        QVERIFY2(r.ok(), qPrintable(r.error.message));
        QCOMPARE(r.value.size(), 3);
        for (int p = 0; p < 3; ++p) {
            const PartitionOffsets *o = find(r.value, QStringLiteral("orders"), p);
            QVERIFY(o);
            QCOMPARE(o->start, 0);
            QCOMPARE(o->end, 10);
            QCOMPARE(o->messages(), 10);
        }
    }

    void offsetsOfManyPartitionsComeInChunks()
    {
        // More partitions than one offsets request carries, a topic split across requests.
        const auto created = await(m_client->createTopics({{QStringLiteral("wide"), 1200, 1, {}}}));
        QVERIFY(created.ok() && !created.value.first().error.isError());
        auto producer = test::makeProducer(m_broker.bootstrapStd());
        rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC("wide"), RD_KAFKA_V_PARTITION(1199),
                          RD_KAFKA_V_VALUE(const_cast<char *>("x"), 1),
                          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        QCOMPARE(test::flushProducer(producer.get()), 0);
        const auto r = await(
            m_client->offsets({{QStringLiteral("orders"), 3}, {QStringLiteral("wide"), 1200}}));
        QVERIFY2(r.ok(), qPrintable(r.error.message));
        QCOMPARE(r.value.size(), 1203);
        QSet<int> seen;
        for (const PartitionOffsets &o : r.value)
            if (o.topic == QLatin1String("wide"))
                seen.insert(o.partition);
        QCOMPARE(seen.size(), 1200);
        QCOMPARE(find(r.value, QStringLiteral("wide"), 1199)->end, 1);
        QCOMPARE(find(r.value, QStringLiteral("wide"), 0)->end, 0);
        QCOMPARE(find(r.value, QStringLiteral("orders"), 2)->end, 10);
    }

    void deleteRecordsAndPurge()
    {
        const auto del = await(m_client->deleteRecords(QStringLiteral("orders"), {{0, 4}}));
        QVERIFY2(del.ok(), qPrintable(del.error.message));
        QCOMPARE(del.value.size(), 1);
        QCOMPARE(del.value.first().start, 4);
        auto after = await(m_client->offsets({{QStringLiteral("orders"), 3}}));
        QCOMPARE(find(after.value, QStringLiteral("orders"), 0)->start, 4);

        const auto purged = await(m_client->purge(QStringLiteral("orders"), 3));
        QVERIFY2(purged.ok(), qPrintable(purged.error.message));
        after = await(m_client->offsets({{QStringLiteral("orders"), 3}}));
        for (int p = 0; p < 3; ++p) {
            const PartitionOffsets *o = find(after.value, QStringLiteral("orders"), p);
            QCOMPARE(o->start, o->end);
            QCOMPARE(o->messages(), 0);
        }
    }

    void configsDescribedAndAlteredOneAtATime()
    {
        auto cfg =
            await(m_client->describeConfigs(ConfigResource::Type::Topic, QStringLiteral("orders")));
        QVERIFY2(cfg.ok(), qPrintable(cfg.error.message));
        QCOMPARE(cfg.value.dynamicValues(), (QMap<QString, QString>{{QStringLiteral("retention.ms"),
                                                                     QStringLiteral("3600000")}}));

        // Editing one config keeps the other dynamic one.
        auto altered = await(
            m_client->alterConfigs(ConfigResource::Type::Topic, QStringLiteral("orders"),
                                   {{QStringLiteral("segment.bytes"), QStringLiteral("1048576")}}));
        QVERIFY2(altered.ok(), qPrintable(altered.error.message));
        cfg =
            await(m_client->describeConfigs(ConfigResource::Type::Topic, QStringLiteral("orders")));
        QCOMPARE(
            cfg.value.dynamicValues(),
            (QMap<QString, QString>{{QStringLiteral("retention.ms"), QStringLiteral("3600000")},
                                    {QStringLiteral("segment.bytes"), QStringLiteral("1048576")}}));

        // Reset to default removes just that one.
        altered =
            await(m_client->alterConfigs(ConfigResource::Type::Topic, QStringLiteral("orders"), {},
                                         {QStringLiteral("retention.ms")}));
        QVERIFY2(altered.ok(), qPrintable(altered.error.message));
        cfg =
            await(m_client->describeConfigs(ConfigResource::Type::Topic, QStringLiteral("orders")));
        QCOMPARE(cfg.value.dynamicValues().keys(), QStringList{QStringLiteral("segment.bytes")});

        // A bad value is refused with the broker's words, and changes nothing.
        altered = await(
            m_client->alterConfigs(ConfigResource::Type::Topic, QStringLiteral("orders"),
                                   {{QStringLiteral("retention.ms"), QStringLiteral("soon")}}));
        QCOMPARE(altered.error.kind, ClientError::Kind::InvalidRequest);
        QVERIFY(!altered.error.message.isEmpty());
        cfg =
            await(m_client->describeConfigs(ConfigResource::Type::Topic, QStringLiteral("orders")));
        QCOMPARE(cfg.value.dynamicValues().keys(), QStringList{QStringLiteral("segment.bytes")});

        const auto broker =
            await(m_client->describeConfigs(ConfigResource::Type::Broker, QStringLiteral("1")));
        QVERIFY2(broker.ok(), qPrintable(broker.error.message));
        QVERIFY(!broker.value.entries.isEmpty());
    }

    void createErrors()
    {
        auto r = await(m_client->createTopics({{QStringLiteral("orders"), 1, 1, {}}}));
        QVERIFY(r.ok());
        QCOMPARE(r.value.first().error.kind, ClientError::Kind::InvalidRequest);
        QVERIFY2(r.value.first().error.message.contains(QStringLiteral("exists")),
                 qPrintable(r.value.first().error.message));
        r = await(m_client->createTopics({{QStringLiteral("bad name!"), 1, 1, {}}}));
        QVERIFY(r.ok());
        QCOMPARE(r.value.first().error.kind, ClientError::Kind::InvalidRequest);
        r = await(m_client->createTopics({{QStringLiteral("checked"), 2, 1, {}}}, true));
        QVERIFY(r.ok() && !r.value.first().error.isError());
        const auto md = await(m_client->metadata());
        QVERIFY(!topic(md.value, QStringLiteral("checked"))); // validate-only created nothing
    }

    void addPartitionsAndDelete()
    {
        auto grown = await(m_client->createPartitions(QStringLiteral("orders"), 5));
        QVERIFY2(grown.ok(), qPrintable(grown.error.message));
        grown = await(m_client->createPartitions(QStringLiteral("orders"), 2));
        QCOMPARE(grown.error.kind, ClientError::Kind::InvalidRequest);
        const auto md = await(m_client->metadata());
        QCOMPARE(topic(md.value, QStringLiteral("orders"))->partitions.size(), 5);

        auto deleted = await(m_client->deleteTopics({QStringLiteral("orders")}));
        QVERIFY(deleted.ok());
        QVERIFY(!deleted.value.first().error.isError());
        deleted = await(m_client->deleteTopics({QStringLiteral("orders")}));
        QCOMPARE(deleted.value.first().error.kind, ClientError::Kind::UnknownTopic);
        QCOMPARE(deleted.value.first().error.message, QStringLiteral("topic does not exist"));
        const auto cfg =
            await(m_client->describeConfigs(ConfigResource::Type::Topic, QStringLiteral("orders")));
        QCOMPARE(cfg.error.kind, ClientError::Kind::UnknownTopic);
    }

    void unreachableHost()
    {
        const test::ClosedPort closed;
        const int port = closed.port();
        QVERIFY(port > 0);
        ClusterClient client(testSettings(closed.bootstrap(), 3000));
        client.open();
        const auto r = await(client.metadata());
        QCOMPARE(r.error.kind, ClientError::Kind::Unreachable);
        const QString expected =
            QStringLiteral("broker 127.0.0.1:%1: connection refused").arg(port);
        QCOMPARE(r.error.message, expected);
        QTRY_COMPARE(client.state(), ClusterClient::State::BrokerDown);
        QCOMPARE(client.stateMessage(), expected);
    }

    void brokerThatNeverAnswers()
    {
        // Accepts connections (the kernel completes them) and never says a word.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        ClusterClient client(
            testSettings(QStringLiteral("127.0.0.1:%1").arg(silent.serverPort()), 2000));
        client.open();
        const auto r = await(client.metadata());
        QVERIFY2(r.error.kind == ClientError::Kind::Timeout ||
                     r.error.kind == ClientError::Kind::Unreachable,
                 qPrintable(r.error.message));
        QVERIFY(!r.error.message.isEmpty());
        QVERIFY(r.error.retriable);
    }

    void badConfigurationIsRefusedAtOpen()
    {
        ConnectionSettings s = testSettings(m_broker.bootstrap());
        s.properties.insert(QStringLiteral("security.protocol"), QStringLiteral("carrier-pigeon"));
        ClusterClient client(s);
        QSignalSpy failed(&client, &ClusterClient::openFailed);
        client.open(); // made in a job: the refusal comes back as a signal
        QVERIFY(failed.wait(20000));
        const QString error = failed.first().first().toString();
        QVERIFY2(error.contains(QStringLiteral("security.protocol")), qPrintable(error));
        QCOMPARE(client.state(), ClusterClient::State::Disconnected);
        QCOMPARE(client.stateMessage(), error);
        const auto r = await(client.metadata());
        QCOMPARE(r.error.kind, ClientError::Kind::Cancelled);
    }

    void disconnectWhileARequestRuns()
    {
        const test::ClosedPort closed;
        ClusterClient client(testSettings(closed.bootstrap(), 20000));
        client.open();
        auto pending = client.metadata();
        bool delivered = false;
        pending.then(&client, [&](const Result<ClusterMetadata> &) { delivered = true; });
        client.close();
        QCOMPARE(client.state(), ClusterClient::State::Disconnected);
        QVERIFY(pending.isCancelled());
        // The job ends promptly (it waits in slices that see the cancel) with Cancelled, and
        // its answer never reaches a receiver.
        const auto r = await(pending);
        QCOMPARE(r.error.kind, ClientError::Kind::Cancelled);
        QCoreApplication::processEvents();
        QVERIFY(!delivered);
    }

    void brokerGoesAwayAndComesBack()
    {
        TestBroker broker;
        QVERIFY(broker.start());
        const int port = broker.port();
        ClusterClient client(testSettings(broker.bootstrap(), 3000));
        client.open();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ClusterClient::State::Connected, 10000);
        broker.kill();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ClusterClient::State::BrokerDown, 15000);
        QVERIFY(broker.start(port));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ClusterClient::State::Connected, 20000);
        QVERIFY(await(client.metadata()).ok());
    }

    void wrongPassword()
    {
        TestBroker broker({QStringLiteral("--sasl-plain-users"), QStringLiteral("alice:s3cret")});
        QVERIFY(broker.start());
        const auto settings = [&](const QString &password) {
            ConnectionSettings s = testSettings(broker.bootstrap(), 5000);
            s.properties.insert(QStringLiteral("security.protocol"),
                                QStringLiteral("SASL_PLAINTEXT"));
            s.properties.insert(QStringLiteral("sasl.mechanisms"), QStringLiteral("PLAIN"));
            s.properties.insert(QStringLiteral("sasl.username"), QStringLiteral("alice"));
            s.properties.insert(QStringLiteral("sasl.password"), password);
            return s;
        };
        ClusterClient wrong(settings(QStringLiteral("wrong")));
        wrong.open();
        const auto r = await(wrong.metadata());
        QCOMPARE(r.error.kind, ClientError::Kind::Authentication);
        QVERIFY2(r.error.message.startsWith(QStringLiteral("authentication failed")),
                 qPrintable(r.error.message));
        QVERIFY2(!r.error.message.contains(QStringLiteral("wrong")), qPrintable(r.error.message));
        QTRY_COMPARE_WITH_TIMEOUT(wrong.state(), ClusterClient::State::AuthFailed, 10000);
        QVERIFY(!wrong.stateMessage().contains(QStringLiteral("wrong")));

        ClusterClient right(settings(QStringLiteral("s3cret")));
        right.open();
        QTRY_COMPARE_WITH_TIMEOUT(right.state(), ClusterClient::State::Connected, 10000);
        QVERIFY(await(right.metadata()).ok());
    }

    void cleanupTestCase()
    {
        m_client.reset();
        QVERIFY(m_broker.stop());
    }
};

QTEST_GUILESS_MAIN(TestClient)
#include "tst_client.moc"
