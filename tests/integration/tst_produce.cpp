// Producing against a real broker: numbered messages, a fixed partition, a topic that does
// not exist, and export → import → produce giving back the very same bytes.
#include "adminops.h"
#include "client/browsesession.h"
#include "client/messageimport.h"
#include "client/messagejson.h"
#include "client/producer.h"
#include "closedport.h"
#include "testbroker.h"
#include "testclient.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace periscope;
using namespace periscope::client;

namespace {

struct TestBrokerWithUsers
{
    test::TestBroker broker{{QStringLiteral("--sasl-plain-users"), QStringLiteral("alice:s3cret")}};
};

using Deliveries = Result<QList<Delivery>>;

Deliveries await(const jobs::Pending<Deliveries> &pending, int timeoutMs = 60000)
{
    QElapsedTimer t;
    t.start();
    while (!pending.isFinished() && t.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    if (!pending.isFinished()) {
        Deliveries r;
        r.error = {ClientError::Kind::Timeout, QStringLiteral("test gave up waiting"), false};
        return r;
    }
    return pending.result();
}

// Every message of a topic, in one list.
struct Browsed
{
    MessageBatch all;
    ClientError error;
};

Browsed browseAll(const QString &bootstrap, const QString &topic)
{
    Browsed out;
    BrowseRequest request;
    request.topic = topic;
    ClusterClient client(test::testSettings(bootstrap));
    BrowseSession session(&client, request);
    bool finished = false;
    QObject::connect(&session, &BrowseSession::batchReady, [&](const MessageBatch &b) {
        for (qsizetype i = 0; i < b.size(); ++i) {
            const MessageRecord &r = b.record(i);
            const QByteArray key = b.key(i), value = b.value(i);
            const QList<MessageHeader> headers = b.headers(i);
            out.all.append(r.partition, r.offset, r.timestamp, r.timestampType,
                           key.isNull() ? nullptr : key.constData(), key.size(),
                           value.isNull() ? nullptr : value.constData(), value.size(),
                           {headers.begin(), headers.end()});
        }
    });
    QObject::connect(&session, &BrowseSession::finished, [&](const ClientError &e) {
        out.error = e;
        finished = true;
    });
    session.start();
    QElapsedTimer t;
    t.start();
    while (!finished && t.elapsed() < 60000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    if (!finished) {
        session.cancel();
        out.error = {ClientError::Kind::Timeout, QStringLiteral("browse did not finish"), false};
    }
    return out;
}

OutgoingMessage message(std::optional<QByteArray> key, std::optional<QByteArray> value,
                        std::vector<MessageHeader> headers = {}, qint64 timestamp = -1)
{
    return {std::move(key), std::move(value), std::move(headers), timestamp};
}

// Messages that exercise every encoding: binary, invalid UTF-8, null and empty keys and
// values, null, empty and binary header values.
QList<OutgoingMessage> knownMessages()
{
    const QByteArray binary("\x00\xff\x01\xfe\n\"", 6);
    return {
        message(QByteArray("plain"), QByteArray("{\"json\":true}"), {}, 1760000000001),
        message(std::nullopt, QByteArray("null key"), {}, 1760000000002),
        message(QByteArray("tombstone"), std::nullopt, {}, 1760000000003),
        message(QByteArray(""), QByteArray(""), {}, 1760000000004),
        message(binary, binary, {{"bin", binary, false}}, 1760000000005),
        message(QByteArray("\xc3\x28"), QByteArray("caf\xc3\xa9 \xf0\x9f\x98\x80"),
                {{"n", "1", false}, {"nul", {}, true}, {"empty", "", false}}, 1760000000006),
        message(QByteArray("\xef\xbb\xbf"
                           "bom"),
                std::nullopt, {{"dup", "a", false}, {"dup", "b", false}}, 1760000000007),
    };
}

} // namespace

class TestProduce : public QObject
{
    Q_OBJECT

    test::TestBroker m_broker;
    test::KafkaHandle m_admin;
    test::AdminOps m_ops;

    std::unique_ptr<ClusterClient> m_client;

    // The cluster's client: producers run on its pool and take its properties.
    ClusterClient *client()
    {
        if (!m_client)
            m_client = std::make_unique<ClusterClient>(test::testSettings(m_broker.bootstrap()));
        return m_client.get();
    }

    // Compares what was browsed with what was meant, byte for byte and null for null.
    static void compare(const MessageBatch &got, const QList<OutgoingMessage> &want)
    {
        QCOMPARE(got.size(), want.size());
        for (qsizetype i = 0; i < want.size(); ++i) {
            const QByteArray key = got.key(i), value = got.value(i);
            QCOMPARE(key.isNull(), !want[i].key.has_value());
            QCOMPARE(value.isNull(), !want[i].value.has_value());
            QCOMPARE(key, want[i].key.value_or(QByteArray()));
            QCOMPARE(value, want[i].value.value_or(QByteArray()));
            QCOMPARE(got.record(i).timestamp, want[i].timestamp);
            const QList<MessageHeader> headers = got.headers(i);
            QCOMPARE(std::size_t(headers.size()), want[i].headers.size());
            for (qsizetype h = 0; h < headers.size(); ++h) {
                const MessageHeader &w = want[i].headers[std::size_t(h)];
                QCOMPARE(headers[h].name, w.name);
                QCOMPARE(headers[h].isNull, w.isNull);
                QCOMPARE(headers[h].value, w.value);
            }
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_broker.start());
        m_admin = test::makeAdmin(m_broker.bootstrapStd());
        m_ops.setHandle(m_admin.get());
    }

    void thousandNumberedMessages()
    {
        QCOMPARE(m_ops.create("numbered", 3).error, RD_KAFKA_RESP_ERR_NO_ERROR);
        Producer producer(client());
        const auto messages = Producer::makeNumbered(
            message(QByteArray("key-{{i}}"), QByteArray("value {{i}}")), 1000);
        const Deliveries r = await(producer.produce(QStringLiteral("numbered"), messages));
        QVERIFY2(r.ok(), qPrintable(r.error.message));
        QCOMPARE(r.value.size(), 1000);
        QMap<int, QSet<qint64>> offsets;
        for (const Delivery &d : r.value) {
            QVERIFY2(d.ok(), qPrintable(d.error));
            QVERIFY(d.partition >= 0 && d.partition < 3);
            QVERIFY(d.offset >= 0);
            offsets[d.partition].insert(d.offset);
        }
        qsizetype distinct = 0;
        for (const auto &set : std::as_const(offsets))
            distinct += set.size();
        QCOMPARE(distinct, qsizetype(1000));

        const Browsed b = browseAll(m_broker.bootstrap(), QStringLiteral("numbered"));
        QVERIFY2(!b.error.isError(), qPrintable(b.error.message));
        QCOMPARE(b.all.size(), qsizetype(1000));
        QSet<QByteArray> keys;
        for (qsizetype i = 0; i < b.all.size(); ++i) {
            const QByteArray key = b.all.key(i);
            QCOMPARE(b.all.value(i), "value " + key.mid(4));
            keys.insert(key);
        }
        QVERIFY(keys.contains("key-0") && keys.contains("key-999"));
        QCOMPARE(keys.size(), qsizetype(1000));
    }

    void fixedPartition()
    {
        QCOMPARE(m_ops.create("fixed", 3).error, RD_KAFKA_RESP_ERR_NO_ERROR);
        Producer producer(client());
        ProduceOptions options;
        options.partition = 2;
        options.acks = 1;
        options.compression = QStringLiteral("gzip");
        const Deliveries r = await(producer.produce(
            QStringLiteral("fixed"),
            Producer::makeNumbered(message(QByteArray("k{{i}}"), QByteArray("v")), 50), options));
        QVERIFY2(r.ok(), qPrintable(r.error.message));
        for (qsizetype i = 0; i < r.value.size(); ++i) {
            QVERIFY2(r.value[i].ok(), qPrintable(r.value[i].error));
            QCOMPARE(r.value[i].partition, 2);
            QCOMPARE(r.value[i].offset, qint64(i));
        }
        const Browsed b = browseAll(m_broker.bootstrap(), QStringLiteral("fixed"));
        QCOMPARE(b.all.size(), qsizetype(50));
        for (qsizetype i = 0; i < b.all.size(); ++i)
            QCOMPARE(b.all.record(i).partition, 2);
    }

    void badCompressionFailsAtOnce()
    {
        Producer producer(client());
        ProduceOptions options;
        options.compression = QStringLiteral("zip-it");
        const Deliveries r = await(
            producer.produce(QStringLiteral("fixed"), {message({}, QByteArray("v"))}, options));
        QCOMPARE(r.error.kind, ClientError::Kind::InvalidRequest);
        QVERIFY2(r.error.message.contains(QStringLiteral("zip-it")), qPrintable(r.error.message));
    }

    void unknownTopicWithoutAutoCreate()
    {
        test::TestBroker strict({QStringLiteral("--auto-create-topics"), QStringLiteral("false")});
        QVERIFY(strict.start());
        ConnectionSettings settings = test::testSettings(strict.bootstrap());
        settings.properties.insert(QStringLiteral("topic.metadata.propagation.max.ms"),
                                   QStringLiteral("1000"));
        ClusterClient strictClient(settings);
        Producer producer(&strictClient, 10000);
        const Deliveries r = await(producer.produce(
            QStringLiteral("missing"),
            Producer::makeNumbered(message(QByteArray("k{{i}}"), QByteArray("v")), 3)));
        QVERIFY2(r.ok(), qPrintable(r.error.message));
        QCOMPARE(r.value.size(), 3);
        for (const Delivery &d : r.value) {
            QVERIFY(!d.ok());
            QCOMPARE(d.offset, qint64(-1));
            QVERIFY2(d.error.contains(QStringLiteral("Unknown topic"), Qt::CaseInsensitive),
                     qPrintable(d.error));
        }
        QVERIFY(strict.stop());
    }

    void wrongPasswordFailsAtOnceWithTheLoginsError()
    {
        TestBrokerWithUsers sasl;
        QVERIFY(sasl.broker.start());
        ConnectionSettings settings = test::testSettings(sasl.broker.bootstrap());
        settings.properties.insert(QStringLiteral("security.protocol"),
                                   QStringLiteral("SASL_PLAINTEXT"));
        settings.properties.insert(QStringLiteral("sasl.mechanisms"), QStringLiteral("PLAIN"));
        settings.properties.insert(QStringLiteral("sasl.username"), QStringLiteral("alice"));
        settings.properties.insert(QStringLiteral("sasl.password"), QStringLiteral("wrong"));
        ClusterClient cluster(settings);
        // A minute before librdkafka would give up on the messages: the answer must come
        // from the login's failure, well inside the wait below.
        Producer producer(&cluster, 60000);
        QSignalSpy problems(&producer, &Producer::problem);
        const Deliveries r =
            await(producer.produce(QStringLiteral("secured"),
                                   Producer::makeNumbered(message({}, QByteArray("v")), 3)),
                  30000);
        QCOMPARE(r.error.kind, ClientError::Kind::Authentication);
        QVERIFY2(r.error.message.startsWith(QStringLiteral("authentication failed")),
                 qPrintable(r.error.message));
        QVERIFY2(!r.error.message.contains(QStringLiteral("wrong")), qPrintable(r.error.message));
        QVERIFY(!problems.isEmpty());
        // With the right password the same cluster settings then work.
        settings.properties.insert(QStringLiteral("sasl.password"), QStringLiteral("s3cret"));
        ClusterClient right(settings);
        Producer good(&right);
        const Deliveries ok = await(good.produce(
            QStringLiteral("secured"), Producer::makeNumbered(message({}, QByteArray("v")), 3)));
        QVERIFY2(ok.ok(), qPrintable(ok.error.message));
        for (const Delivery &d : ok.value)
            QVERIFY2(d.ok(), qPrintable(d.error));
    }

    void unreachableBrokerIsReportedWhileTrying()
    {
        const test::ClosedPort closed;
        ClusterClient cluster(test::testSettings(closed.bootstrap()));
        Producer producer(&cluster, 3000);
        QSignalSpy problems(&producer, &Producer::problem);
        const Deliveries r = await(
            producer.produce(QStringLiteral("nowhere"), {message({}, QByteArray("v"))}), 30000);
        // Reported while sending, and named in the message that timed out.
        QVERIFY(!problems.isEmpty());
        const QString expected =
            QStringLiteral("broker %1: connection refused").arg(closed.bootstrap());
        QVERIFY2(problems.first().first().toString().contains(expected),
                 qPrintable(problems.first().first().toString()));
        QVERIFY2(r.ok(), qPrintable(r.error.message));
        QCOMPARE(r.value.size(), 1);
        QVERIFY2(r.value.first().error.contains(expected), qPrintable(r.value.first().error));
    }

    void disconnectingCancelsASend()
    {
        // A send to a cluster that never answers, then the cluster is let go of: the send
        // ends (cancelled) instead of waiting out its time-out, and delivers nothing.
        const test::ClosedPort closed;
        auto cluster = std::make_unique<ClusterClient>(test::testSettings(closed.bootstrap()));
        Producer producer(cluster.get(), 600000);
        auto pending = producer.produce(QStringLiteral("nowhere"), {message({}, QByteArray("v"))});
        bool delivered = false;
        pending.then(&producer, [&](const Deliveries &) { delivered = true; });
        QTRY_VERIFY(cluster->streamPool().runningJobs() == 1);
        cluster.reset();
        QVERIFY(pending.isCancelled());
        const Deliveries r = await(pending, 30000);
        QCOMPARE(r.error.kind, ClientError::Kind::Cancelled);
        QCoreApplication::processEvents();
        QVERIFY(!delivered);
        // The producer outlives its cluster and says so.
        const Deliveries later =
            await(producer.produce(QStringLiteral("nowhere"), {message({}, QByteArray("v"))}));
        QCOMPARE(later.error.kind, ClientError::Kind::Cancelled);
    }

    void exportImportRoundTrip()
    {
        QCOMPARE(m_ops.create("source", 1).error, RD_KAFKA_RESP_ERR_NO_ERROR);
        QCOMPARE(m_ops.create("copy", 1).error, RD_KAFKA_RESP_ERR_NO_ERROR);
        Producer producer(client());
        const QList<OutgoingMessage> known = knownMessages();
        Deliveries r = await(producer.produce(QStringLiteral("source"), known));
        QVERIFY2(r.ok(), qPrintable(r.error.message));
        for (const Delivery &d : r.value)
            QVERIFY2(d.ok(), qPrintable(d.error));

        const Browsed source = browseAll(m_broker.bootstrap(), QStringLiteral("source"));
        QVERIFY2(!source.error.isError(), qPrintable(source.error.message));
        compare(source.all, known);

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("export.jsonl"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (qsizetype i = 0; i < source.all.size(); ++i)
            file.write(toJsonLine(source.all, i) + '\n');
        file.close();

        const auto imported = readJsonLines(path);
        QVERIFY2(imported.ok(), qPrintable(imported.error.message));
        QCOMPARE(imported.value.size(), known.size());
        r = await(producer.produce(QStringLiteral("copy"), imported.value));
        QVERIFY2(r.ok(), qPrintable(r.error.message));
        for (const Delivery &d : r.value)
            QVERIFY2(d.ok(), qPrintable(d.error));

        const Browsed copy = browseAll(m_broker.bootstrap(), QStringLiteral("copy"));
        QVERIFY2(!copy.error.isError(), qPrintable(copy.error.message));
        compare(copy.all, known);
        for (qsizetype i = 0; i < copy.all.size(); ++i) {
            QByteArray line = toJsonLine(copy.all, i);
            QCOMPARE(line, toJsonLine(source.all, i)); // offsets match too: both start at 0
        }
    }

    void malformedFileProducesNothing()
    {
        QCOMPARE(m_ops.create("untouched", 1).error, RD_KAFKA_RESP_ERR_NO_ERROR);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("broken.jsonl"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"key\":\"a\",\"value\":\"1\"}\n"
                   "{\"key\":\"b\",\"value\":\"2\"}\n"
                   "{\"key\":\"c\",\"value\":{\"base64\":\"not base64!\"}}\n"
                   "{\"key\":\"d\",\"value\":\"4\"}\n");
        file.close();
        const auto imported = readJsonLines(path);
        QVERIFY(!imported.ok());
        QVERIFY(imported.value.isEmpty());
        QVERIFY2(imported.error.message.contains(QStringLiteral("line 3")),
                 qPrintable(imported.error.message));
        const Browsed b = browseAll(m_broker.bootstrap(), QStringLiteral("untouched"));
        QVERIFY2(!b.error.isError(), qPrintable(b.error.message));
        QCOMPARE(b.all.size(), qsizetype(0));
    }

    void cleanupTestCase()
    {
        m_admin.reset();
        QVERIFY(m_broker.stop());
    }
};

QTEST_GUILESS_MAIN(TestProduce)
#include "tst_produce.moc"
