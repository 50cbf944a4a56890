// The message browser's reading half against a real broker: every field of 100,000
// messages, each start and stop mode, live tail, and what goes wrong (log start moved,
// topic deleted, broker gone).
#include "adminops.h"
#include "client/browsesession.h"
#include "testbroker.h"
#include "testclient.h"

#include <QDeadlineTimer>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QTimer>

using namespace periscope;
using namespace periscope::client;

namespace {

constexpr qint64 kBaseTs = 1760000000000; // ms
constexpr int kCount = 100000;
constexpr int kPartitions = 3;

// Message i: partition i % 3, key "k<i>" (null for every 10th), value JSON-ish (empty for
// every 7th), timestamp base + i, header "n"=i and, for odd i, a null header "odd".
std::string keyOf(int i)
{
    return "k" + std::to_string(i);
}
std::string valueOf(int i)
{
    return i % 7 == 0 ? std::string() : "{\"i\":" + std::to_string(i) + ",\"pad\":\"xxxxxxxxxx\"}";
}

void produceAll(const std::string &bootstrap, const std::string &topic, int from, int to,
                int partitions = kPartitions)
{
    auto producer = test::makeProducer(bootstrap, {{"linger.ms", "20"}});
    for (int i = from; i < to; ++i) {
        const std::string k = keyOf(i), v = valueOf(i), n = std::to_string(i);
        const bool nullKey = i % 10 == 0;
        const void *keyData = nullKey ? nullptr : k.data();
        const size_t keySize = nullKey ? 0 : k.size();
        rd_kafka_headers_t *h = rd_kafka_headers_new(2);
        rd_kafka_header_add(h, "n", -1, n.data(), ssize_t(n.size()));
        if (i % 2)
            rd_kafka_header_add(h, "odd", -1, nullptr, 0);
        const rd_kafka_resp_err_t err = rd_kafka_producev(
            producer.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(i % partitions),
            RD_KAFKA_V_KEY(keyData, keySize),
            RD_KAFKA_V_VALUE(const_cast<char *>(v.data()), v.size()),
            RD_KAFKA_V_TIMESTAMP(kBaseTs + i), RD_KAFKA_V_HEADERS(h),
            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            rd_kafka_headers_destroy(h);
            rd_kafka_poll(producer.get(), 10);
            --i;
        } else if (err) {
            rd_kafka_headers_destroy(h);
            qWarning("produce: %s", rd_kafka_err2str(err));
            return;
        }
    }
    test::flushProducer(producer.get(), 60000);
}

struct Collected
{
    std::vector<MessageBatch> batches;
    qint64 total = 0;
    QStringList notices;
    ClientError error;
    bool finished = false;
};

// Runs a browse until it finishes (or `until` says enough), collecting everything.
Collected browse(const QString &bootstrap, BrowseRequest request,
                 std::function<bool(const Collected &)> until = {}, int timeoutMs = 60000)
{
    Collected c;
    ClusterClient client(test::testSettings(bootstrap));
    BrowseSession session(&client, request);
    QObject::connect(&session, &BrowseSession::batchReady, [&](const MessageBatch &b) {
        c.total += b.size();
        c.batches.push_back(b);
    });
    QObject::connect(&session, &BrowseSession::notice, [&](const QString &t) { c.notices << t; });
    QObject::connect(&session, &BrowseSession::finished, [&](const ClientError &e) {
        c.error = e;
        c.finished = true;
    });
    session.start();
    QElapsedTimer t;
    t.start();
    while (!c.finished && t.elapsed() < timeoutMs && !(until && until(c)))
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    if (!c.finished)
        session.cancel();
    return c;
}

} // namespace

class TestBrowse : public QObject
{
    Q_OBJECT

    test::TestBroker m_broker;
    test::KafkaHandle m_admin;
    test::AdminOps m_ops;

    BrowseRequest request(const char *topic)
    {
        BrowseRequest r;
        r.topic = QString::fromLatin1(topic);
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_broker.start());
        m_admin = test::makeAdmin(m_broker.bootstrapStd());
        m_ops.setHandle(m_admin.get());
        QCOMPARE(m_ops.create("events", kPartitions).error, RD_KAFKA_RESP_ERR_NO_ERROR);
        produceAll(m_broker.bootstrapStd(), "events", 0, kCount);
    }

    void aSlowReceiverHoldsTheReaderBack()
    {
        // The window does not take its batches (no event loop turns): the reader stops at
        // kQueuedBatches waiting for it, pausing its partitions, and loses nothing.
        ClusterClient client(test::testSettings(m_broker.bootstrap()));
        BrowseSession session(&client, request("events"));
        std::vector<bool> seen(kCount);
        qint64 total = 0;
        int duplicates = 0;
        QObject::connect(&session, &BrowseSession::batchReady, [&](const MessageBatch &b) {
            for (qsizetype j = 0; j < b.size(); ++j) {
                const auto i = std::size_t(b.record(j).timestamp - kBaseTs);
                duplicates += seen[i] ? 1 : 0;
                seen[i] = true;
            }
            total += b.size();
        });
        ClientError end;
        bool finished = false;
        QObject::connect(&session, &BrowseSession::finished, [&](const ClientError &e) {
            end = e;
            finished = true;
        });
        session.start();
        QDeadlineTimer full(30000);
        while (session.queuedBatches() < BrowseSession::kQueuedBatches && !full.hasExpired())
            QThread::msleep(5);
        QCOMPARE(session.queuedBatches(), BrowseSession::kQueuedBatches);
        // It stays at the bound however long the window is busy.
        for (int i = 0; i < 40; ++i) {
            QThread::msleep(10);
            QCOMPARE(session.queuedBatches(), BrowseSession::kQueuedBatches);
        }
        QTRY_VERIFY_WITH_TIMEOUT(finished, 60000);
        QVERIFY2(!end.isError(), qPrintable(end.message));
        QCOMPARE(total, qint64(kCount));
        QCOMPARE(duplicates, 0);
        QVERIFY(std::all_of(seen.cbegin(), seen.cend(), [](bool b) { return b; }));
    }

    void partitionsIdleWhenPausedResumeWhereTheyWere()
    {
        // Partitions 1 and 2 have given nothing when the reader pauses for a slow window;
        // what arrives on them meanwhile must still be read once it resumes.
        constexpr int backlog = 150000; // more than the queued batches hold
        QCOMPARE(m_ops.create("lopsided", kPartitions).error, RD_KAFKA_RESP_ERR_NO_ERROR);
        produceAll(m_broker.bootstrapStd(), "lopsided", 0, backlog, 1);
        ClusterClient client(test::testSettings(m_broker.bootstrap()));
        BrowseRequest r = request("lopsided");
        r.stop = BrowseRequest::Stop::Follow;
        BrowseSession session(&client, r);
        qint64 total = 0;
        QSet<int> partitions;
        QObject::connect(&session, &BrowseSession::batchReady, [&](const MessageBatch &b) {
            for (qsizetype j = 0; j < b.size(); ++j)
                partitions.insert(b.record(j).partition);
            total += b.size();
        });
        session.start();
        QDeadlineTimer full(30000);
        while (session.queuedBatches() < BrowseSession::kQueuedBatches && !full.hasExpired())
            QThread::msleep(5);
        QCOMPARE(session.queuedBatches(), BrowseSession::kQueuedBatches);
        QThread::msleep(1000); // past the time after which the reader pauses
        produceAll(m_broker.bootstrapStd(), "lopsided", backlog, backlog + 30);
        QTRY_COMPARE_WITH_TIMEOUT(total, qint64(backlog + 30), 30000);
        QCOMPARE(partitions.size(), kPartitions);
        session.cancel();
    }

    void everyFieldOfEveryMessage()
    {
        const Collected c = browse(m_broker.bootstrap(), request("events"));
        QVERIFY2(!c.error.isError(), qPrintable(c.error.message));
        QCOMPARE(c.total, qint64(kCount));
        std::vector<bool> seen(kCount);
        for (const MessageBatch &b : c.batches) {
            for (qsizetype j = 0; j < b.size(); ++j) {
                const MessageRecord &r = b.record(j);
                const int i = int(r.timestamp - kBaseTs);
                QVERIFY(i >= 0 && i < kCount && !seen[std::size_t(i)]);
                seen[std::size_t(i)] = true;
                QCOMPARE(r.partition, i % kPartitions);
                QCOMPARE(r.offset, qint64(i / kPartitions));
                QCOMPARE(r.timestampType, quint8(1));
                const QByteArray key = b.key(j);
                if (i % 10 == 0)
                    QVERIFY(key.isNull());
                else
                    QCOMPARE(key.toStdString(), keyOf(i));
                const QByteArray value = b.value(j);
                QVERIFY(!value.isNull()); // empty, not null
                QCOMPARE(value.toStdString(), valueOf(i));
                const auto headers = b.headers(j);
                QCOMPARE(headers.size(), i % 2 ? 2 : 1);
                QCOMPARE(headers[0].name, QByteArray("n"));
                QCOMPARE(headers[0].value.toStdString(), std::to_string(i));
                if (i % 2) {
                    QCOMPARE(headers[1].name, QByteArray("odd"));
                    QVERIFY(headers[1].isNull);
                }
            }
        }
    }

    void startAndStopModes_data()
    {
        QTest::addColumn<int>("start");
        QTest::addColumn<qint64>("startValue");
        QTest::addColumn<int>("stop");
        QTest::addColumn<qint64>("count");
        QTest::addColumn<qint64>("expected");
        QTest::addColumn<qint64>("firstOffset"); // of partition 0, -1: not checked
        using S = BrowseRequest::Start;
        using E = BrowseRequest::Stop;
        QTest::newRow("from offset") << int(S::Offset) << qint64(33000) << int(E::Now) << qint64(0)
                                     << qint64(kCount - 3 * 33000) << qint64(33000);
        QTest::newRow("newest - 100") << int(S::NewestMinus) << qint64(100) << int(E::Now)
                                      << qint64(0) << qint64(300) << qint64(kCount / 3 + 1 - 100);
        QTest::newRow("from a time") << int(S::Time) << qint64(kBaseTs + 90000) << int(E::Now)
                                     << qint64(0) << qint64(10000) << qint64(30000);
        QTest::newRow("a count") << int(S::Oldest) << qint64(0) << int(E::Count) << qint64(1234)
                                 << qint64(1234) << qint64(0);
        QTest::newRow("past the end") << int(S::Offset) << qint64(10000000) << int(E::Now)
                                      << qint64(0) << qint64(0) << qint64(-1);
    }

    void startAndStopModes()
    {
        QFETCH(int, start);
        QFETCH(qint64, startValue);
        QFETCH(int, stop);
        QFETCH(qint64, count);
        QFETCH(qint64, expected);
        QFETCH(qint64, firstOffset);
        BrowseRequest r = request("events");
        r.start = BrowseRequest::Start(start);
        r.startValue = startValue;
        r.stop = BrowseRequest::Stop(stop);
        r.count = count;
        const Collected c = browse(m_broker.bootstrap(), r);
        QVERIFY2(!c.error.isError(), qPrintable(c.error.message));
        QCOMPARE(c.total, expected);
        if (firstOffset >= 0) {
            // A count can be met before partition 0 delivers anything; every partition
            // starts at the same offset in that row, so any partition's lowest will do then.
            const bool anyPartition = BrowseRequest::Stop(stop) == BrowseRequest::Stop::Count;
            qint64 lowest = -1;
            for (const MessageBatch &b : c.batches)
                for (qsizetype j = 0; j < b.size(); ++j)
                    if ((anyPartition || b.record(j).partition == 0) &&
                        (lowest < 0 || b.record(j).offset < lowest))
                        lowest = b.record(j).offset;
            QCOMPARE(lowest, firstOffset);
        }
    }

    void searchKeepsOnlyMatches()
    {
        // Keys ending in 7: one message in ten (every tenth has a null key, none end in 7).
        auto keyEndsIn7 = [](const MessageBatch &b, qsizetype i) {
            const QByteArray key = b.key(i);
            return !key.isNull() && key.endsWith('7');
        };
        BrowseRequest r = request("events");
        r.keep = keyEndsIn7;
        Collected c = browse(m_broker.bootstrap(), r);
        QVERIFY2(!c.error.isError(), qPrintable(c.error.message));
        QCOMPARE(c.total, qint64(kCount / 10));
        for (const MessageBatch &b : c.batches)
            for (qsizetype j = 0; j < b.size(); ++j)
                QVERIFY(keyEndsIn7(b, j));
        // Stop after N matches.
        r.stop = BrowseRequest::Stop::Count;
        r.count = 25;
        c = browse(m_broker.bootstrap(), r);
        QCOMPARE(c.total, qint64(25));
    }

    void everyCodec_data()
    {
        QTest::addColumn<QString>("codec");
        for (const char *codec : {"gzip", "snappy", "lz4", "zstd"})
            QTest::newRow(codec) << QString::fromLatin1(codec);
    }

    void everyCodec()
    {
        QFETCH(QString, codec);
        const std::string topic = "codec-" + codec.toStdString();
        QCOMPARE(m_ops.create(topic, 1).error, RD_KAFKA_RESP_ERR_NO_ERROR);
        {
            auto producer = test::makeProducer(
                m_broker.bootstrapStd(),
                {{"compression.codec", codec.toStdString()}, {"linger.ms", "20"}});
            for (int i = 0; i < 2000; ++i) {
                const std::string k = keyOf(i), v = valueOf(i);
                rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC(topic.c_str()),
                                  RD_KAFKA_V_KEY(k.data(), k.size()),
                                  RD_KAFKA_V_VALUE(const_cast<char *>(v.data()), v.size()),
                                  RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
            }
            QCOMPARE(test::flushProducer(producer.get()), 0);
        }
        const Collected c = browse(m_broker.bootstrap(), request(topic.c_str()));
        QVERIFY2(!c.error.isError(), qPrintable(c.error.message));
        QCOMPARE(c.total, qint64(2000));
        for (const MessageBatch &b : c.batches)
            for (qsizetype j = 0; j < b.size(); ++j) {
                const int i = int(b.record(j).offset);
                QCOMPARE(b.key(j).toStdString(), keyOf(i));
                QCOMPARE(b.value(j).toStdString(), valueOf(i));
            }
    }

    void onePartitionOnly()
    {
        BrowseRequest r = request("events");
        r.partitions = {1};
        const Collected c = browse(m_broker.bootstrap(), r);
        QCOMPARE(c.total, qint64(kCount / 3));
        for (const MessageBatch &b : c.batches)
            for (qsizetype j = 0; j < b.size(); ++j)
                QCOMPARE(b.record(j).partition, 1);
    }

    void liveTailSeesNewMessages()
    {
        QCOMPARE(m_ops.create("live", 1).error, RD_KAFKA_RESP_ERR_NO_ERROR);
        BrowseRequest r = request("live");
        r.stop = BrowseRequest::Stop::Follow;
        bool produced = false;
        const Collected c = browse(m_broker.bootstrap(), r, [&](const Collected &now) {
            if (!produced) {
                produced = true;
                QTimer::singleShot(
                    500, [this] { produceAll(m_broker.bootstrapStd(), "live", 0, 10, 1); });
            }
            return now.total >= 10;
        });
        QVERIFY(!c.error.isError());
        QCOMPARE(c.total, qint64(10));
    }

    void startBelowTheLogStart()
    {
        QCOMPARE(m_ops.create("trimmed", 1).error, RD_KAFKA_RESP_ERR_NO_ERROR);
        produceAll(m_broker.bootstrapStd(), "trimmed", 0, 10, 1);
        QCOMPARE(m_ops.deleteBefore("trimmed", 0, 6).first, RD_KAFKA_RESP_ERR_NO_ERROR);
        BrowseRequest r = request("trimmed");
        r.start = BrowseRequest::Start::Offset;
        r.startValue = 2;
        const Collected c = browse(m_broker.bootstrap(), r);
        QCOMPARE(c.total, qint64(4));
        QCOMPARE(c.batches.front().record(0).offset, qint64(6));
        QCOMPARE(c.notices.size(), 1);
        QVERIFY2(c.notices.first().contains(QStringLiteral("below the log start")),
                 qPrintable(c.notices.first()));
    }

    void unknownTopic()
    {
        const Collected c = browse(m_broker.bootstrap(), request("no-such-topic"));
        QCOMPARE(c.error.kind, ClientError::Kind::UnknownTopic);
        QVERIFY(c.error.message.contains(QStringLiteral("no-such-topic")));
    }

    void topicDeletedWhileFollowing()
    {
        QCOMPARE(m_ops.create("doomed", 1).error, RD_KAFKA_RESP_ERR_NO_ERROR);
        produceAll(m_broker.bootstrapStd(), "doomed", 0, 1, 1);
        BrowseRequest r = request("doomed");
        r.stop = BrowseRequest::Stop::Follow;
        bool deleted = false;
        const Collected c = browse(
            m_broker.bootstrap(), r,
            [&](const Collected &now) {
                if (now.total >= 1 && !deleted) {
                    deleted = true;
                    test::deleteTopic(m_admin.get(), "doomed");
                }
                return false;
            },
            30000);
        QVERIFY(c.finished);
        QCOMPARE(c.error.kind, ClientError::Kind::UnknownTopic);
        QCOMPARE(c.total, qint64(1)); // what was read stays
    }

    void brokerGoneMidLoad()
    {
        test::TestBroker doomed;
        QVERIFY(doomed.start());
        auto admin = test::makeAdmin(doomed.bootstrapStd());
        test::AdminOps ops;
        ops.setHandle(admin.get());
        QCOMPARE(ops.create("t", 1).error, RD_KAFKA_RESP_ERR_NO_ERROR);
        produceAll(doomed.bootstrapStd(), "t", 0, 1, 1);
        admin.reset();
        BrowseRequest r = request("t");
        r.stop = BrowseRequest::Stop::Follow;
        bool killed = false;
        const Collected c = browse(
            doomed.bootstrap(), r,
            [&](const Collected &now) {
                if (now.total >= 1 && !killed) {
                    killed = true;
                    doomed.kill();
                }
                return false;
            },
            60000);
        QVERIFY(c.finished);
        QCOMPARE(c.error.kind, ClientError::Kind::Unreachable);
        QVERIFY2(c.error.message.contains(QStringLiteral("refused")), qPrintable(c.error.message));
        QCOMPARE(c.total, qint64(1));
    }

    void cleanupTestCase()
    {
        m_admin.reset();
        QVERIFY(m_broker.stop());
    }
};

QTEST_GUILESS_MAIN(TestBrowse)
#include "tst_browse.moc"
