// Bad input on the wire: each closes only the offending connection (or gets a protocol
// error answer) and the broker keeps serving everyone else. Also the framing rules clients
// rely on: pipelined requests answered in order, partial frames, flexible headers.
#include "kafka.h"
#include "testbroker.h"

#include <QElapsedTimer>
#include <QTest>
#include <arpa/inet.h>
#include <chrono>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace periscope::test;

namespace {

using Bytes = std::vector<std::uint8_t>;

void put8(Bytes &b, int v)
{
    b.push_back(static_cast<std::uint8_t>(v));
}
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
void put64(Bytes &b, std::int64_t v)
{
    put32(b, static_cast<std::uint32_t>(static_cast<std::uint64_t>(v) >> 32));
    put32(b, static_cast<std::uint32_t>(v));
}
void putStr(Bytes &b, const std::string &s)
{
    put16(b, static_cast<int>(s.size()));
    b.insert(b.end(), s.begin(), s.end());
}
void append(Bytes &to, const Bytes &more)
{
    to.insert(to.end(), more.begin(), more.end());
}
std::uint32_t get32(const std::uint8_t *p)
{
    return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3];
}
int get16(const std::uint8_t *p)
{
    return static_cast<std::int16_t>(p[0] << 8 | p[1]);
}
std::int64_t get64(const std::uint8_t *p)
{
    return static_cast<std::int64_t>(std::uint64_t(get32(p)) << 32 | get32(p + 4));
}
// The correlation id of a response frame, or -1 for none (closed or timed out).
std::int64_t correlation(const Bytes &frame)
{
    return frame.size() >= 4 ? std::int64_t(get32(frame.data())) : -1;
}
QByteArray toQt(const Bytes &b)
{
    return QByteArray(reinterpret_cast<const char *>(b.data()), static_cast<qsizetype>(b.size()));
}
Bytes fromQt(const QByteArray &a)
{
    return Bytes(a.begin(), a.end());
}

std::int64_t nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// CRC-32C (Castagnoli, reflected), bit by bit: fast enough for a few test batches.
std::uint32_t crc32c(const std::uint8_t *p, std::size_t n)
{
    std::uint32_t crc = 0xffffffffu;
    for (std::size_t i = 0; i < n; ++i) {
        crc ^= p[i];
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1u)));
    }
    return ~crc;
}

// A v2 record batch holding one record (null key) with a correct CRC.
Bytes recordBatch(const std::string &value)
{
    Bytes record;
    put8(record, 0);                                  // attributes
    put8(record, 0);                                  // timestamp delta 0
    put8(record, 0);                                  // offset delta 0
    put8(record, 1);                                  // key length -1 (zigzag)
    put8(record, static_cast<int>(value.size() * 2)); // value length (zigzag, < 64)
    record.insert(record.end(), value.begin(), value.end());
    put8(record, 0); // no headers

    Bytes b;
    put64(b, 0); // base offset
    put32(b, 0); // batch length, patched below
    put32(b, 0); // partition leader epoch
    put8(b, 2);  // magic
    put32(b, 0); // CRC, patched below
    const std::size_t crcFrom = b.size();
    put16(b, 0); // attributes
    put32(b, 0); // last offset delta
    const std::int64_t now = nowMs();
    put64(b, now);
    put64(b, now);
    put64(b, -1); // producer id
    put16(b, -1); // producer epoch
    put32(b, 0xffffffffu);
    put32(b, 1); // record count
    put8(b, static_cast<int>(record.size() * 2));
    append(b, record);
    const auto length = static_cast<std::uint32_t>(b.size() - 12);
    for (int i = 0; i < 4; ++i)
        b[8 + i] = static_cast<std::uint8_t>(length >> (24 - 8 * i));
    const std::uint32_t crc = crc32c(b.data() + crcFrom, b.size() - crcFrom);
    for (int i = 0; i < 4; ++i)
        b[17 + i] = static_cast<std::uint8_t>(crc >> (24 - 8 * i));
    return b;
}

enum class Header { V1, V2, V1NullClient, V2WithTag };

// A request frame: header v1 (or v2 with its tag section), then the body.
Bytes request(int apiKey, int version, std::uint32_t correlationId, const Bytes &body,
              Header header = Header::V1)
{
    Bytes b;
    put16(b, apiKey);
    put16(b, version);
    put32(b, correlationId);
    if (header == Header::V1NullClient)
        put16(b, -1);
    else
        putStr(b, "t");
    if (header == Header::V2)
        put8(b, 0);
    if (header == Header::V2WithTag) // one unknown tagged field (tag 5, 3 bytes)
        b.insert(b.end(), {1, 5, 3, 'a', 'b', 'c'});
    append(b, body);
    Bytes frame;
    put32(frame, static_cast<std::uint32_t>(b.size()));
    append(frame, b);
    return frame;
}

// ApiVersions v3 body: compact client software name and version, then no tags.
const Bytes kApiVersionsV3Body{8, 'p', 'e', 'r', 'i', 's', 'c', 'o', 4, '1', '.', '0', 0};

// Fetch v4 of one partition from offset: waits up to maxWaitMs for one byte.
Bytes fetchRequest(std::uint32_t correlationId, const std::string &topic, std::int64_t offset,
                   int maxWaitMs)
{
    Bytes body;
    put32(body, 0xffffffffu); // replica id -1
    put32(body, static_cast<std::uint32_t>(maxWaitMs));
    put32(body, 1);       // min bytes
    put32(body, 1 << 20); // max bytes
    put8(body, 0);        // read uncommitted
    put32(body, 1);
    putStr(body, topic);
    put32(body, 1);
    put32(body, 0); // partition
    put64(body, offset);
    put32(body, 1 << 20);
    return request(1, 4, correlationId, body);
}

// Produce v3 of one record to partition 0.
Bytes produceRequest(std::uint32_t correlationId, const std::string &topic, int acks,
                     const std::string &value)
{
    const Bytes batch = recordBatch(value);
    Bytes body;
    put16(body, -1); // no transactional id
    put16(body, acks);
    put32(body, 5000);
    put32(body, 1);
    putStr(body, topic);
    put32(body, 1);
    put32(body, 0);
    put32(body, static_cast<std::uint32_t>(batch.size()));
    append(body, batch);
    return request(0, 3, correlationId, body);
}

// Error code of the first partition in a Produce v3 response for a topic name of n bytes.
int produceError(const Bytes &frame, std::size_t topicLength)
{
    const std::size_t at = 4 + 4 + 2 + topicLength + 4 + 4;
    return frame.size() >= at + 2 ? get16(frame.data() + at) : -1;
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
    RawClient(const RawClient &) = delete;
    RawClient &operator=(const RawClient &) = delete;

    bool connected() const { return m_connected; }
    bool send(const Bytes &b)
    {
        std::size_t sent = 0;
        while (sent < b.size()) {
            const ssize_t n = ::send(m_fd, b.data() + sent, b.size() - sent, MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            sent += static_cast<std::size_t>(n);
        }
        return true;
    }

    // Reads one response frame (without its size); empty when the broker closed the
    // connection or nothing came in time.
    Bytes readFrame(int timeoutMs = 5000)
    {
        Bytes size = readExactly(4, timeoutMs);
        if (size.size() < 4)
            return {};
        return readExactly(get32(size.data()), timeoutMs);
    }
    // True when the broker closes the connection within the time-out (having sent nothing).
    bool closedByPeer(int timeoutMs = 5000)
    {
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, timeoutMs) <= 0)
            return false;
        char c;
        return ::recv(m_fd, &c, 1, 0) <= 0;
    }
    // True when nothing at all arrives within the time.
    bool silentFor(int ms)
    {
        pollfd p{m_fd, POLLIN, 0};
        return ::poll(&p, 1, ms) == 0;
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
        Bytes half = request(18, 0, 5, {});
        half.resize(half.size() - 3);
        QTest::newRow("half an ApiVersions frame") << toQt(half);
        Bytes prefix;
        put32(prefix, 10 * 1024 * 1024); // promises 10 MB, sends 4 bytes
        prefix.insert(prefix.end(), {0, 3, 0, 1});
        QTest::newRow("10 MB promised, 4 bytes sent") << toQt(prefix);
        QTest::newRow("two bytes of the size") << QByteArray("\0\0", 2);
        Bytes whole = request(18, 0, 6, {});
        Bytes cut = produceRequest(7, "alive", 1, "never");
        cut.resize(cut.size() / 2);
        append(whole, cut);
        QTest::newRow("a whole request, then half a produce") << toQt(whole);
        // A fetch that waits, then the client goes before the answer.
        QTest::newRow("during a long-poll fetch") << toQt(fetchRequest(8, "quiet", 0, 2000));
    }

    void clientVanishingMidRequest()
    {
        QFETCH(QByteArray, bytes);
        {
            RawClient client(m_broker.port());
            QVERIFY(client.connected());
            QVERIFY(client.send(fromQt(bytes)));
            QTest::qWait(50);
        } // closed here, mid-request
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
        // First waiter: times out after 300 ms, with a produce behind it.
        RawClient first(m_broker.port());
        Bytes both = fetchRequest(1, "relay", 0, 300);
        append(both, produceRequest(2, "relay", 1, "hello"));
        QVERIFY(first.send(both));
        QTest::qWait(50);
        // Second waiter: would wait 10 s, but the produce above gives it data.
        RawClient second(m_broker.port());
        QElapsedTimer timer;
        timer.start();
        QVERIFY(second.send(fetchRequest(3, "relay", 0, 10000)));

        const Bytes fetched = second.readFrame(8000);
        QCOMPARE(correlation(fetched), std::int64_t(3));
        QVERIFY(timer.elapsed() < 5000);
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
