// Bad input on the wire: each closes only the offending connection (or gets a protocol
// error answer) and the broker keeps serving everyone else. Also the framing rules clients
// rely on: pipelined requests answered in order, partial frames, flexible headers.
#include "brokerstats.h"
#include "kafka.h"
#include "rawkafka.h"
#include "testbroker.h"

#include <QTest>

using namespace periscope::test;

class TestRobustness : public QObject
{
    Q_OBJECT

    TestBroker m_broker;
    int m_pings = 0;

    // The process still runs, and a normal librdkafka client gets metadata, produces one
    // message and reads it back.
    bool serves()
    {
        if (!m_broker.process().isRunning()) {
            qWarning("broker is gone; its last output:\n%s", qPrintable(m_broker.recentLog()));
            return false;
        }
        auto admin = makeAdmin(m_broker.bootstrapStd());
        const struct rd_kafka_metadata *md = nullptr;
        const bool ok =
            rd_kafka_metadata(admin.get(), 1, nullptr, &md, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR;
        if (md)
            rd_kafka_metadata_destroy(md);
        if (!ok) {
            qWarning("metadata request failed; the broker's last output:\n%s",
                     qPrintable(m_broker.recentLog()));
            return false;
        }
        const std::string value = "ping-" + std::to_string(++m_pings);
        auto producer = makeProducer(m_broker.bootstrapStd());
        const int failuresBefore = deliveryFailures;
        rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC("alive"),
                          RD_KAFKA_V_VALUE(const_cast<char *>(value.data()), value.size()),
                          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        if (flushProducer(producer.get(), 10000) != 0 || deliveryFailures != failuresBefore) {
            qWarning("produce failed");
            return false;
        }
        const auto all =
            readAll(m_broker.bootstrapStd(), "alive", 1, static_cast<std::size_t>(m_pings), 10000);
        if (all.size() != static_cast<std::size_t>(m_pings) || all.back().value != value) {
            qWarning("read back %zu of %d messages", all.size(), m_pings);
            return false;
        }
        return true;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_broker.start());
        auto admin = makeAdmin(m_broker.bootstrapStd());
        QCOMPARE(createTopic(admin.get(), "alive", 1), std::string());
        QCOMPARE(createTopic(admin.get(), "quiet", 1), std::string());
        QCOMPARE(createTopic(admin.get(), "busy", 1), std::string());
        QVERIFY(serves());
    }

    void badFramesCloseTheConnection_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("http request") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        // 4096 pseudo-random bytes: as a stream (its first word is a negative size) and as
        // the contents of a correctly sized frame (its API key is negative).
        QByteArray noise(4096, Qt::Uninitialized);
        std::uint32_t x = 12345;
        for (auto &c : noise) {
            x = x * 1103515245u + 12345u;
            c = static_cast<char>(x >> 24);
        }
        QTest::newRow("random bytes") << noise;
        QTest::newRow("random frame") << noise.left(4092).prepend("\0\0\x0f\xfc", 4);
        QTest::newRow("negative size") << QByteArray("\xff\xff\xff\xfe\0\0\0\0", 8);
        QTest::newRow("size -1") << QByteArray("\xff\xff\xff\xff", 4);
        QTest::newRow("2 GB frame") << QByteArray("\x7f\xff\xff\xff\0\x12\0\0", 8);
        QTest::newRow("just over 100 MB") << QByteArray("\x06\x40\x00\x01\0\x12\0\0", 8);
        QTest::newRow("frame too small for a header") << QByteArray("\0\0\0\x02\0\x12", 6);
        QTest::newRow("header cut before the client id")
            << toQt(Bytes{0, 0, 0, 8, 0, 18, 0, 0, 0, 0, 0, 1});
        QTest::newRow("unknown api key 999") << toQt(request(999, 0, 1, {}));
        QTest::newRow("negative api key") << toQt(request(-5, 0, 1, {}));
        QTest::newRow("metadata v99") << toQt(request(3, 99, 1, {0, 0, 0, 0}));
        QTest::newRow("produce v0 (below the minimum)") << toQt(request(0, 0, 1, {}));
        // Metadata v1 whose topic array claims a million entries in a 6-byte body.
        QTest::newRow("array longer than the frame")
            << toQt(request(3, 1, 1, {0, 0x0f, 0x42, 0x40, 0, 1}));
        QTest::newRow("string runs past the frame")
            << toQt(request(3, 1, 1, {0, 0, 0, 1, 0, 50, 'a'}));
        // ApiVersions v3 (flexible) whose compact string length is a never-ending varint.
        QTest::newRow("endless varint") << toQt(request(18, 3, 1, Bytes(12, 0xff), Header::V2));
    }

    void badFramesCloseTheConnection()
    {
        QFETCH(QByteArray, bytes);
        RawClient client(m_broker.port());
        QVERIFY(client.connected());
        QVERIFY(client.send(fromQt(bytes)));
        QVERIFY(client.closedByPeer());
        QVERIFY(serves());
    }

    void clientVanishingMidRequest_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("parks"); // the request waits in the broker (a long poll)
        Bytes half = request(18, 0, 5, {});
        half.resize(half.size() - 3);
        QTest::newRow("half an ApiVersions frame") << toQt(half) << false;
        Bytes prefix;
        put32(prefix, 10 * 1024 * 1024); // promises 10 MB, sends 4 bytes
        prefix.insert(prefix.end(), {0, 3, 0, 1});
        QTest::newRow("10 MB promised, 4 bytes sent") << toQt(prefix) << false;
        QTest::newRow("two bytes of the size") << QByteArray("\0\0", 2) << false;
        Bytes whole = request(18, 0, 6, {});
        Bytes cut = produceRequest(7, "alive", 1, "never");
        cut.resize(cut.size() / 2);
        append(whole, cut);
        QTest::newRow("a whole request, then half a produce") << toQt(whole) << false;
        // A fetch that waits, then the client goes before the answer.
        QTest::newRow("during a long-poll fetch")
            << toQt(fetchRequest(8, "quiet", 0, 60000)) << true;
    }

    void clientVanishingMidRequest()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, parks);
        const auto before = brokerStats(m_broker);
        QVERIFY(!before.isEmpty());
        const qint64 received = before.value(QStringLiteral("received_bytes"));
        {
            RawClient client(m_broker.port());
            QVERIFY(client.connected());
            QVERIFY(client.send(fromQt(bytes)));
            // Mid-request means the broker holds the bytes (and a long poll is parked).
            QTRY_VERIFY_WITH_TIMEOUT(
                [&] {
                    const auto now = brokerStats(m_broker);
                    return now.value(QStringLiteral("received_bytes")) - received >= bytes.size() &&
                           (!parks || now.value(QStringLiteral("waiting_fetches")) == 1);
                }(),
                20000);
        } // closed here, mid-request
        // The broker lets go of what the connection held.
        QTRY_VERIFY_WITH_TIMEOUT(
            brokerStats(m_broker).value(QStringLiteral("waiting_fetches"), -1) == 0, 20000);
        QVERIFY(serves());
        // Nothing of the half-sent produce was appended.
        for (const auto &m :
             readAll(m_broker.bootstrapStd(), "alive", 1, static_cast<std::size_t>(m_pings), 10000))
            QVERIFY(m.value != "never");
    }

    void unsupportedApiVersionsGetsV0Answer()
    {
        RawClient client(m_broker.port());
        QVERIFY(client.send(request(18, 99, 4242, {}, Header::V2)));
        const Bytes frame = client.readFrame();
        QVERIFY(frame.size() >= 10);
        QCOMPARE(get32(frame.data()), 4242u);
        QCOMPARE(get16(frame.data() + 4), 35); // UNSUPPORTED_VERSION
        const std::uint32_t count = get32(frame.data() + 6);
        QVERIFY(count >= 20);
        QCOMPARE(frame.size(), std::size_t(10 + 6 * count)); // v0: key, min, max per entry
        int apiVersionsMax = -1, fetchMin = -1, fetchMax = -1;
        for (std::uint32_t i = 0; i < count; ++i) {
            const std::uint8_t *e = frame.data() + 10 + 6 * i;
            if (get16(e) == 18)
                apiVersionsMax = get16(e + 4);
            if (get16(e) == 1) {
                fetchMin = get16(e + 2);
                fetchMax = get16(e + 4);
            }
        }
        QCOMPARE(apiVersionsMax, 3);
        QCOMPARE(fetchMin, 0);
        QCOMPARE(fetchMax, 11);
        // The connection stays usable: the client retries with a version it now knows.
        QVERIFY(client.send(request(18, 0, 4243, {})));
        const Bytes retry = client.readFrame();
        QCOMPARE(correlation(retry), std::int64_t(4243));
        QCOMPARE(get16(retry.data() + 4), 0);
        QVERIFY(serves());
    }

    void flexibleApiVersions_data()
    {
        QTest::addColumn<int>("header");
        QTest::newRow("header v2") << int(Header::V2);
        QTest::newRow("header v2 with a tagged field") << int(Header::V2WithTag);
    }

    void flexibleApiVersions()
    {
        QFETCH(int, header);
        RawClient client(m_broker.port());
        QVERIFY(client.send(request(18, 3, 77, kApiVersionsV3Body, Header(header))));
        const Bytes frame = client.readFrame();
        QVERIFY(frame.size() > 8);
        QCOMPARE(get32(frame.data()), 77u); // response header v0: no tag byte
        QCOMPARE(get16(frame.data() + 4), 0);
        QVERIFY(frame[6] > 1 && frame[6] < 0x80); // compact array, fewer than 127 entries
        const std::size_t count = frame[6] - 1u;
        QVERIFY(count >= 20);
        // Entries carry a tag byte each; then throttle time and the body's tag section.
        QCOMPARE(frame.size(), 7 + count * 7 + 4 + 1);
        bool sawApiVersions = false;
        for (std::size_t i = 0; i < count; ++i) {
            const std::uint8_t *e = frame.data() + 7 + 7 * i;
            QCOMPARE(int(e[6]), 0);
            QVERIFY(get16(e + 2) <= get16(e + 4));
            if (get16(e) == 18) {
                sawApiVersions = true;
                QCOMPARE(get16(e + 2), 0);
                QCOMPARE(get16(e + 4), 3);
            }
        }
        QVERIFY(sawApiVersions);
        QCOMPARE(get32(frame.data() + 7 + 7 * count), 0u); // throttle
        QCOMPARE(int(frame.back()), 0);
    }

    void nullClientId()
    {
        RawClient client(m_broker.port());
        QVERIFY(client.send(request(18, 0, 31, {}, Header::V1NullClient)));
        const Bytes frame = client.readFrame();
        QCOMPARE(correlation(frame), std::int64_t(31));
        QCOMPARE(get16(frame.data() + 4), 0);
    }

    void requestSentByteByByte()
    {
        RawClient client(m_broker.port());
        const Bytes whole = request(18, 3, 55, kApiVersionsV3Body, Header::V2);
        for (std::size_t i = 0; i < whole.size(); ++i) {
            QVERIFY(client.send(Bytes{whole[i]}));
            if (i + 1 < whole.size())
                QVERIFY(client.silentFor(2)); // no answer before the last byte
        }
        const Bytes frame = client.readFrame();
        QCOMPARE(correlation(frame), std::int64_t(55));
        QCOMPARE(get16(frame.data() + 4), 0);
    }

    void pipelinedRequestsAnswerInOrder_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QList<int>>("expected");

        Bytes two = request(18, 0, 7, {});
        append(two, request(18, 0, 8, {}));
        QTest::newRow("two ApiVersions v0") << toQt(two) << QList<int>{7, 8};

        Bytes mixed = request(18, 0, 7, {});
        append(mixed, request(3, 1, 8, {0xff, 0xff, 0xff, 0xff})); // all topics
        append(mixed, request(18, 3, 9, kApiVersionsV3Body, Header::V2));
        append(mixed, request(18, 1, 10, {}));
        QTest::newRow("mixed apis and versions") << toQt(mixed) << QList<int>{7, 8, 9, 10};

        // The fetch waits (nothing to read), yet the quick request behind it is not
        // answered first.
        Bytes behindFetch = fetchRequest(7, "quiet", 0, 300);
        append(behindFetch, request(18, 0, 8, {}));
        QTest::newRow("behind a long-poll fetch") << toQt(behindFetch) << QList<int>{7, 8};

        // acks=0 gets no answer at all; the next request's answer comes first.
        Bytes fireAndForget = produceRequest(7, "busy", 0, "acks0");
        append(fireAndForget, request(18, 0, 8, {}));
        QTest::newRow("after an acks=0 produce") << toQt(fireAndForget) << QList<int>{8};

        Bytes many;
        QList<int> ids;
        for (int i = 0; i < 200; ++i) {
            // Metadata v0 with an empty topic list (all topics) and ApiVersions v1 in turn.
            if (i % 2)
                append(many, request(3, 0, 1000 + i, {0, 0, 0, 0}));
            else
                append(many, request(18, 1, 1000 + i, {}));
            ids.push_back(1000 + i);
        }
        QTest::newRow("200 in one write") << toQt(many) << ids;
    }

    void pipelinedRequestsAnswerInOrder()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QList<int>, expected);
        RawClient client(m_broker.port());
        QVERIFY(client.send(fromQt(bytes)));
        for (int id : expected)
            QCOMPARE(correlation(client.readFrame()), std::int64_t(id));
        QVERIFY(client.silentFor(200)); // and nothing else
    }

    void clientThatDoesNotRead()
    {
        // 20,000 requests whose ~3 MB of answers are left unread for a while: the broker
        // buffers them without blocking anyone else.
        RawClient lazy(m_broker.port());
        Bytes all;
        for (std::uint32_t i = 0; i < 20000; ++i)
            append(all, request(18, 0, i, {}));
        QVERIFY(lazy.send(all));
        QVERIFY(serves());
        for (std::uint32_t i = 0; i < 20000; ++i) {
            const Bytes frame = lazy.readFrame();
            QCOMPARE(correlation(frame), std::int64_t(i));
        }
    }

    void produceWithBadCrcIsRefused()
    {
        Bytes frame = produceRequest(11, "busy", 1, "x");
        // The CRC sits at 17..20 of the batch, which starts 4 (size) + 11 (header) + 2 + 2
        // + 4 + 4 + 6 (topic) + 4 + 4 + 4 bytes into the frame.
        const std::size_t batchAt = 4 + 11 + 2 + 2 + 4 + 4 + 6 + 4 + 4 + 4;
        frame[batchAt + 17] ^= 0xff;
        RawClient client(m_broker.port());
        QVERIFY(client.send(frame));
        QCOMPARE(produceError(client.readFrame(), 4), 2); // CORRUPT_MESSAGE
        auto admin = makeAdmin(m_broker.bootstrapStd());
        std::int64_t low = -1, high = -1, highBefore = -1;
        rd_kafka_query_watermark_offsets(admin.get(), "busy", 0, &low, &highBefore, 10000);
        // A good batch on the same connection is still taken.
        QVERIFY(client.send(produceRequest(12, "busy", 1, "good")));
        QCOMPARE(produceError(client.readFrame(), 4), 0);
        rd_kafka_query_watermark_offsets(admin.get(), "busy", 0, &low, &high, 10000);
        QCOMPARE(high, highBefore + 1);
        QVERIFY(serves());
    }

    void produceV0WithAnOldMessageSetIsRefused()
    {
        // Produce v0 is listed (librdkafka only compresses for brokers that list it), but the
        // log holds magic 2 batches only: a magic 0 message set is refused, nothing written.
        Bytes message;
        put64(message, 0);          // offset
        put32(message, 20);         // message size
        put32(message, 0);          // crc (not reached: the magic is checked first)
        put8(message, 0);           // magic 0
        put8(message, 0);           // attributes
        put32(message, 0xffffffff); // null key
        put32(message, 6);
        append(message, Bytes{'o', 'l', 'd', 'f', 'm', 't'});
        Bytes body;
        put16(body, 1); // acks
        put32(body, 5000);
        put32(body, 1);
        putStr(body, "busy");
        put32(body, 1);
        put32(body, 0);
        put32(body, static_cast<std::uint32_t>(message.size()));
        append(body, message);
        auto admin = makeAdmin(m_broker.bootstrapStd());
        std::int64_t low = -1, before = -1, after = -1;
        rd_kafka_query_watermark_offsets(admin.get(), "busy", 0, &low, &before, 10000);
        RawClient client(m_broker.port());
        QVERIFY(client.send(request(0, 0, 21, body)));
        const Bytes answer = client.readFrame();
        // v0 answer: correlation id, topics[1]{name, partitions[1]{index, error, offset}}.
        QCOMPARE(answer.size(), std::size_t(4 + 4 + 2 + 4 + 4 + 4 + 2 + 8));
        QCOMPARE(produceError(answer, 4), 35); // UNSUPPORTED_VERSION
        rd_kafka_query_watermark_offsets(admin.get(), "busy", 0, &low, &after, 10000);
        QCOMPARE(after, before);
        QVERIFY(client.send(produceRequest(22, "busy", 1, "current format")));
        QCOMPARE(produceError(client.readFrame(), 4), 0);
    }

    // A request pipelined behind a waiting one runs when the broker answers the waiting one.
    // That answer can come from deep inside another request (a produce completes fetches)
    // or from the broker's timer; the pipelined request must not run in the middle of that.
    void pipelinedProduceBehindAnExpiringFetch()
    {
        auto admin = makeAdmin(m_broker.bootstrapStd());
        QCOMPARE(createTopic(admin.get(), "relay", 1), std::string());
        // First waiter: times out after 3 s, with a produce behind it.
        RawClient first(m_broker.port());
        Bytes both = fetchRequest(1, "relay", 0, 3000);
        append(both, produceRequest(2, "relay", 1, "hello"));
        QVERIFY(first.send(both));
        QTRY_VERIFY_WITH_TIMEOUT(
            brokerStats(m_broker).value(QStringLiteral("waiting_fetches")) == 1, 20000);
        // Second waiter: would wait ten minutes, but the produce above gives it data as soon
        // as the first fetch expires.
        RawClient second(m_broker.port());
        QVERIFY(second.send(fetchRequest(3, "relay", 0, 600000)));

        const Bytes fetched = second.readFrame(60000);
        QCOMPARE(correlation(fetched), std::int64_t(3));
        // throttle, topics[1], name, partitions[1], partition, error, high watermark
        const std::size_t at = 4 + 4 + 4 + 2 + 5 + 4 + 4;
        QVERIFY(fetched.size() >= at + 10);
        QCOMPARE(get16(fetched.data() + at), 0);
        QCOMPARE(get64(fetched.data() + at + 2), std::int64_t(1));
        QCOMPARE(correlation(first.readFrame()), std::int64_t(1));
        const Bytes produced = first.readFrame();
        QCOMPARE(correlation(produced), std::int64_t(2));
        QCOMPARE(produceError(produced, 5), 0);
        QVERIFY(serves());
    }

    void pipelinedRequestsBehindAJoin()
    {
        // JoinGroup v4 asks for a member id first.
        auto join = [](std::uint32_t id, const std::string &member) {
            Bytes body;
            putStr(body, "relay-group");
            put32(body, 10000); // session time-out
            put32(body, 10000); // rebalance time-out
            putStr(body, member);
            putStr(body, "consumer");
            put32(body, 1);
            putStr(body, "range");
            put32(body, 0); // empty metadata
            return request(11, 4, id, body);
        };
        RawClient client(m_broker.port());
        QVERIFY(client.send(join(1, "")));
        const Bytes first = client.readFrame();
        QCOMPARE(correlation(first), std::int64_t(1));
        QCOMPARE(get16(first.data() + 8), 79); // MEMBER_ID_REQUIRED
        // throttle, error, generation, protocol name, leader, then the member id.
        std::size_t at = 4 + 4 + 2 + 4;
        at += 2 + static_cast<std::size_t>(get16(first.data() + at));
        at += 2 + static_cast<std::size_t>(get16(first.data() + at));
        const std::string member(reinterpret_cast<const char *>(first.data()) + at + 2,
                                 static_cast<std::size_t>(get16(first.data() + at)));
        QVERIFY(!member.empty());

        // The join waits for the group's initial delay; the broker's timer completes it.
        // Behind it: leave (the group is Empty again), delete the group, list groups.
        Bytes all = join(2, member);
        Bytes leave;
        putStr(leave, "relay-group");
        putStr(leave, member);
        append(all, request(13, 1, 3, leave));
        Bytes del;
        put32(del, 1);
        putStr(del, "relay-group");
        append(all, request(42, 0, 4, del));
        append(all, request(16, 0, 5, {}));
        QVERIFY(client.send(all));

        const Bytes joined = client.readFrame(10000);
        QCOMPARE(correlation(joined), std::int64_t(2));
        QCOMPARE(get16(joined.data() + 8), 0);
        const Bytes left = client.readFrame();
        QCOMPARE(correlation(left), std::int64_t(3));
        QCOMPARE(get16(left.data() + 8), 0);
        const Bytes deleted = client.readFrame();
        QCOMPARE(correlation(deleted), std::int64_t(4));
        // throttle, results[1], group id "relay-group", error
        QCOMPARE(get16(deleted.data() + 4 + 4 + 4 + 2 + 11), 0);
        QCOMPARE(correlation(client.readFrame()), std::int64_t(5));
        QVERIFY(serves());
    }

    void fiveHundredIdleConnections()
    {
        std::vector<std::unique_ptr<RawClient>> idle;
        for (int i = 0; i < 500; ++i) {
            idle.push_back(std::make_unique<RawClient>(m_broker.port()));
            QVERIFY(idle.back()->connected());
        }
        // All 500 stay open while a normal client works.
        QVERIFY(serves());
        // The idle ones still work too.
        for (int i : {0, 250, 499}) {
            QVERIFY(idle[static_cast<std::size_t>(i)]->send(request(18, 0, 3, {})));
            QCOMPARE(correlation(idle[static_cast<std::size_t>(i)]->readFrame()), std::int64_t(3));
        }
        idle.clear();
        QVERIFY(serves());
    }

    void cleanupTestCase() { QVERIFY(m_broker.stop()); }
};

QTEST_GUILESS_MAIN(TestRobustness)
#include "tst_robustness.moc"
