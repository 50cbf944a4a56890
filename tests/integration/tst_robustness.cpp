// Bad input on the wire: each closes only the offending connection (or gets a protocol
// error answer) and the broker keeps serving everyone else.
#include "kafka.h"
#include "testbroker.h"

#include <QTest>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace periscope::test;

namespace {

using Bytes = std::vector<std::uint8_t>;

void put16(Bytes &b, int v)
{
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v));
}
void put32(Bytes &b, std::uint32_t v)
{
    for (int s = 24; s >= 0; s -= 8)
        b.push_back(static_cast<std::uint8_t>(v >> s));
}
std::uint32_t get32(const std::uint8_t *p)
{
    return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3];
}
int get16(const std::uint8_t *p)
{
    return static_cast<std::int16_t>(p[0] << 8 | p[1]);
}

// A request frame with a v1 header (or v2 with its empty tag section).
Bytes request(int apiKey, int version, std::uint32_t correlation, const Bytes &body,
              bool flexibleHeader = false)
{
    Bytes b;
    put16(b, apiKey);
    put16(b, version);
    put32(b, correlation);
    put16(b, 1);
    b.push_back('t');
    if (flexibleHeader)
        b.push_back(0);
    b.insert(b.end(), body.begin(), body.end());
    Bytes frame;
    put32(frame, static_cast<std::uint32_t>(b.size()));
    frame.insert(frame.end(), b.begin(), b.end());
    return frame;
}

class RawClient
{
public:
    explicit RawClient(int port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        m_connected = ::connect(m_fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0;
    }
    ~RawClient() { ::close(m_fd); }
    bool connected() const { return m_connected; }
    bool send(const Bytes &b)
    {
        return ::send(m_fd, b.data(), b.size(), MSG_NOSIGNAL) == ssize_t(b.size());
    }
    bool send(const std::string &s) { return send(Bytes(s.begin(), s.end())); }

    // Reads one response frame; empty when the broker closed the connection or timed out.
    Bytes readFrame(int timeoutMs = 5000)
    {
        Bytes size = readExactly(4, timeoutMs);
        if (size.size() < 4)
            return {};
        return readExactly(get32(size.data()), timeoutMs);
    }
    // True when the broker closes the connection within the time-out.
    bool closedByPeer(int timeoutMs = 5000)
    {
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, timeoutMs) <= 0)
            return false;
        char c;
        return ::recv(m_fd, &c, 1, 0) <= 0;
    }

private:
    Bytes readExactly(std::size_t n, int timeoutMs)
    {
        Bytes out;
        while (out.size() < n) {
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, timeoutMs) <= 0)
                return {};
            std::uint8_t buf[65536];
            const ssize_t got = ::recv(m_fd, buf, std::min(sizeof buf, n - out.size()), 0);
            if (got <= 0)
                return {};
            out.insert(out.end(), buf, buf + got);
        }
        return out;
    }

    int m_fd = -1;
    bool m_connected = false;
};

} // namespace

class TestRobustness : public QObject
{
    Q_OBJECT

    TestBroker m_broker;

    // A normal librdkafka client still gets its metadata, and the process still runs.
    bool serves()
    {
        if (!m_broker.process().isRunning())
            return false;
        auto admin = makeAdmin(m_broker.bootstrapStd());
        const struct rd_kafka_metadata *md = nullptr;
        const bool ok =
            rd_kafka_metadata(admin.get(), 1, nullptr, &md, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR;
        if (md)
            rd_kafka_metadata_destroy(md);
        return ok;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_broker.start()); }

    void badFramesCloseTheConnection_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("http request") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        QTest::newRow("negative size") << QByteArray("\xff\xff\xff\xfe\0\0\0\0", 8);
        QTest::newRow("2 GB frame") << QByteArray("\x7f\xff\xff\xff\0\x12\0\0", 8);
        QTest::newRow("frame too small for a header") << QByteArray("\0\0\0\x02\0\x12", 6);
        const Bytes unknownKey = request(999, 0, 1, {});
        QTest::newRow("unknown api key")
            << QByteArray(reinterpret_cast<const char *>(unknownKey.data()),
                          static_cast<qsizetype>(unknownKey.size()));
        const Bytes badVersion = request(3, 99, 1, {0, 0, 0, 0});
        QTest::newRow("unsupported metadata version")
            << QByteArray(reinterpret_cast<const char *>(badVersion.data()),
                          static_cast<qsizetype>(badVersion.size()));
        // Metadata v1 whose topic array claims a million entries in a 6-byte body.
        const Bytes lying = request(3, 1, 1, {0, 0x0f, 0x42, 0x40, 0, 1});
        QTest::newRow("array longer than the frame") << QByteArray(
            reinterpret_cast<const char *>(lying.data()), static_cast<qsizetype>(lying.size()));
        const Bytes cut = request(3, 1, 1, {0, 0, 0, 1, 0, 50, 'a'});
        QTest::newRow("string runs past the frame") << QByteArray(
            reinterpret_cast<const char *>(cut.data()), static_cast<qsizetype>(cut.size()));
    }

    void badFramesCloseTheConnection()
    {
        QFETCH(QByteArray, bytes);
        RawClient client(m_broker.port());
        QVERIFY(client.connected());
        QVERIFY(
            client.send(std::string(bytes.constData(), static_cast<std::size_t>(bytes.size()))));
        QVERIFY(client.closedByPeer());
        QVERIFY(serves());
    }

    void clientVanishingMidRequest()
    {
        {
            RawClient client(m_broker.port());
            Bytes half = request(18, 0, 5, {});
            half.resize(half.size() - 3);
            QVERIFY(client.send(half));
        } // closed here with a partial frame on the wire
        {
            RawClient client(m_broker.port());
            Bytes prefix;
            put32(prefix, 10 * 1024 * 1024); // promises 10 MB, sends 4 bytes
            prefix.insert(prefix.end(), {0, 3, 0, 1});
            QVERIFY(client.send(prefix));
        }
        QVERIFY(serves());
    }

    void unsupportedApiVersionsGetsV0Answer()
    {
        RawClient client(m_broker.port());
        QVERIFY(client.send(request(18, 99, 4242, {}, true)));
        const Bytes frame = client.readFrame();
        QVERIFY(frame.size() >= 10);
        QCOMPARE(get32(frame.data()), 4242u);
        QCOMPARE(get16(frame.data() + 4), 35); // UNSUPPORTED_VERSION
        const std::uint32_t count = get32(frame.data() + 6);
        QVERIFY(count >= 20);
        QCOMPARE(frame.size(), std::size_t(10 + 6 * count)); // v0: key, min, max per entry
        bool hasFetch = false;
        for (std::uint32_t i = 0; i < count; ++i) {
            const std::uint8_t *e = frame.data() + 10 + 6 * i;
            if (get16(e) == 1)
                hasFetch = get16(e + 2) == 0 && get16(e + 4) == 11;
        }
        QVERIFY(hasFetch);
    }

    void flexibleApiVersions()
    {
        RawClient client(m_broker.port());
        // v3 body: compact strings for the client software name and version, then tags.
        const Bytes body{6, 'p', 'e', 'r', 'i', 's', 4, '1', '.', '0', 0};
        QVERIFY(client.send(request(18, 3, 77, body, true)));
        const Bytes frame = client.readFrame();
        QVERIFY(frame.size() > 8);
        QCOMPARE(get32(frame.data()), 77u); // response header v0: no tag byte
        QCOMPARE(get16(frame.data() + 4), 0);
        const std::size_t count = frame[6] - 1u; // compact array, fewer than 127 entries
        QVERIFY(count >= 20);
        QCOMPARE(frame.size(), 7 + count * 7 + 4 + 1); // entries carry a tag byte; throttle; tags
    }

    void pipelinedRequestsAnswerInOrder()
    {
        RawClient client(m_broker.port());
        Bytes both = request(18, 0, 7, {});
        const Bytes metadata = request(3, 1, 8, {0xff, 0xff, 0xff, 0xff}); // all topics
        both.insert(both.end(), metadata.begin(), metadata.end());
        const Bytes third = request(18, 1, 9, {});
        both.insert(both.end(), third.begin(), third.end());
        QVERIFY(client.send(both));
        QCOMPARE(get32(client.readFrame().data()), 7u);
        QCOMPARE(get32(client.readFrame().data()), 8u);
        QCOMPARE(get32(client.readFrame().data()), 9u);
    }

    void produceWithBadCrcIsRefused()
    {
        auto admin = makeAdmin(m_broker.bootstrapStd());
        QCOMPARE(createTopic(admin.get(), "crc", 1), std::string());
        // A one-record batch whose CRC field is wrong.
        Bytes batch;
        put32(batch, 0);
        put32(batch, 0); // base offset
        const std::size_t lengthAt = batch.size();
        put32(batch, 0); // length, patched below
        put32(batch, 0); // leader epoch
        batch.push_back(2);
        put32(batch, 0xdeadbeef); // CRC
        put16(batch, 0);
        put32(batch, 0); // last offset delta
        for (int i = 0; i < 4; ++i)
            put32(batch, 0); // two timestamps
        for (int i = 0; i < 2; ++i)
            put32(batch, 0xffffffff); // producer id -1
        put16(batch, -1);
        put32(batch, 0xffffffff);
        put32(batch, 1); // one record
        const Bytes record{14, 0, 0, 0, 1, 2 /* key "x" */, 'x', 2, 'y', 0};
        batch.insert(batch.end(), record.begin(), record.end());
        const std::uint32_t length = static_cast<std::uint32_t>(batch.size() - 12);
        for (int i = 0; i < 4; ++i)
            batch[lengthAt + i] = static_cast<std::uint8_t>(length >> (24 - 8 * i));

        Bytes body;
        put16(body, -1); // no transactional id
        put16(body, 1);  // acks
        put32(body, 5000);
        put32(body, 1);
        put16(body, 3);
        body.insert(body.end(), {'c', 'r', 'c'});
        put32(body, 1);
        put32(body, 0); // partition
        put32(body, static_cast<std::uint32_t>(batch.size()));
        body.insert(body.end(), batch.begin(), batch.end());
        RawClient client(m_broker.port());
        QVERIFY(client.send(request(0, 3, 11, body)));
        const Bytes frame = client.readFrame();
        // correlation, topics[1], name, partitions[1], partition, error code
        QVERIFY(frame.size() >= 4 + 4 + 5 + 4 + 4 + 2);
        QCOMPARE(get16(frame.data() + 4 + 4 + 5 + 4 + 4), 2); // CORRUPT_MESSAGE
        std::int64_t low = -1, high = -1;
        rd_kafka_query_watermark_offsets(admin.get(), "crc", 0, &low, &high, 10000);
        QCOMPARE(high, std::int64_t(0));
        QVERIFY(serves());
    }

    void fiveHundredIdleConnections()
    {
        std::vector<std::unique_ptr<RawClient>> idle;
        for (int i = 0; i < 500; ++i) {
            idle.push_back(std::make_unique<RawClient>(m_broker.port()));
            QVERIFY(idle.back()->connected());
        }
        QVERIFY(serves());
        // The idle ones still work too.
        QVERIFY(idle[250]->send(request(18, 0, 3, {})));
        QCOMPARE(get32(idle[250]->readFrame().data()), 3u);
        idle.clear();
        QVERIFY(serves());
    }

    void cleanupTestCase() { QVERIFY(m_broker.stop()); }
};

QTEST_GUILESS_MAIN(TestRobustness)
#include "tst_robustness.moc"
