// The broker's request handling driven directly, with test clocks and injected disk
// faults: what a client is told, and which clock each time-out follows.
#include "api/broker.h"
#include "base/clock.h"
#include "brokercompression.h"
#include "storage/fileio.h"
#include "wire/decompress.h"

#include <QTemporaryDir>
#include <QTest>
#include <cerrno>

using namespace periscope::broker;
using namespace periscope::broker::testdata;

namespace {
std::int64_t g_wall = 0;
std::int64_t g_monotonic = 0;
std::int64_t fakeWall()
{
    return g_wall;
}
std::int64_t fakeMonotonic()
{
    return g_monotonic;
}

// A broker on a temporary data directory, with a server that is never listening: deferred
// answers go nowhere, which is fine for tests that look at the broker's state.
class Harness final
{
public:
    explicit Harness(BrokerOptions options = {})
    {
        options.dataDir = m_dir.path().toStdString();
        options.initialRebalanceDelayMs = 0;
        m_broker = std::make_unique<Broker>(options);
        m_broker->open(true);
        m_server = std::make_unique<Server>(*m_broker, ServerOptions{});
        m_broker->attach(m_server.get());
        m_conn.peer = "127.0.0.1:1";
        m_conn.id = 1;
    }

    Broker &broker() { return *m_broker; }

    // Runs one request; the response body (after the correlation id) or empty if deferred.
    std::vector<std::uint8_t> call(std::int16_t key, std::int16_t version, ByteWriter &body,
                                   RequestSink::Outcome *outcome = nullptr)
    {
        RequestHeader header;
        header.apiKey = key;
        header.apiVersion = version;
        header.correlationId = ++m_correlation;
        header.clientId = "test";
        const ResponseRoute route{m_conn.id, header.correlationId, false};
        ByteWriter out = beginResponse(route);
        ByteReader in(body.buffer().data(), body.size());
        const auto result = m_broker->handle(header, in, route, out, m_conn);
        if (outcome)
            *outcome = result;
        if (result != RequestSink::Outcome::Respond)
            return {};
        return {out.buffer().begin() + 8, out.buffer().end()};
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Broker> m_broker;
    std::unique_ptr<Server> m_server;
    Connection m_conn;
    std::int32_t m_correlation = 0;
};

ByteWriter produceV3(const std::string &topic, std::int32_t partition, const std::string &batch)
{
    ByteWriter w;
    w.nullStr(); // transactional id
    w.i16(1);    // acks
    w.i32(5000);
    w.arrayLength(1);
    w.str(topic);
    w.arrayLength(1);
    w.i32(partition);
    w.bytes(batch);
    return w;
}

// The error of the first partition of a Produce v3 answer.
std::int16_t produceError(const std::vector<std::uint8_t> &body)
{
    ByteReader r(body.data(), body.size());
    r.arrayLength();
    r.str();
    r.arrayLength();
    r.i32();
    return r.i16();
}

struct FetchPartition
{
    std::int32_t partition;
    std::int64_t offset;
    std::int32_t maxBytes;
};

ByteWriter fetchV4(const std::string &topic, const std::vector<FetchPartition> &partitions,
                   std::int32_t maxBytes, std::int32_t maxWaitMs = 0)
{
    ByteWriter w;
    w.i32(-1); // replica
    w.i32(maxWaitMs);
    w.i32(1); // min bytes
    w.i32(maxBytes);
    w.i8(0);
    w.arrayLength(1);
    w.str(topic);
    w.arrayLength(partitions.size());
    for (const auto &p : partitions) {
        w.i32(p.partition);
        w.i64(p.offset);
        w.i32(p.maxBytes);
    }
    return w;
}

// Per partition of a Fetch v4 answer: the sizes of the batches it carries.
std::vector<std::vector<std::int32_t>> fetchedBatchSizes(const std::vector<std::uint8_t> &body)
{
    std::vector<std::vector<std::int32_t>> result;
    ByteReader r(body.data(), body.size());
    r.i32(); // throttle
    const auto topics = r.arrayLength();
    for (std::int32_t t = 0; t < topics; ++t) {
        r.str();
        const auto parts = r.arrayLength();
        for (std::int32_t p = 0; p < parts; ++p) {
            r.i32();
            r.i16();
            r.i64();
            r.i64();
            r.arrayLength(); // aborted transactions: none here
            const auto records = r.bytes();
            auto &sizes = result.emplace_back();
            const auto *data = reinterpret_cast<const std::uint8_t *>(records.data());
            for (std::size_t at = 0; at < records.size();) {
                auto b = peekBatch(data + at, records.size() - at);
                if (!b)
                    break;
                sizes.push_back(b->totalSize);
                at += static_cast<std::size_t>(b->totalSize);
            }
        }
    }
    return result;
}

// The records field of the first partition of a Fetch v4 answer.
std::string fetchedRecords(const std::vector<std::uint8_t> &body)
{
    ByteReader r(body.data(), body.size());
    r.i32(); // throttle
    r.arrayLength();
    r.str();
    r.arrayLength();
    r.i32();
    r.i16();
    r.i64();
    r.i64();
    r.arrayLength();
    return std::string(r.bytes());
}

std::int32_t sum(const std::vector<std::int32_t> &v)
{
    std::int32_t total = 0;
    for (auto x : v)
        total += x;
    return total;
}
} // namespace

class TestBrokerRequests : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        faults::reset();
        g_wall = 1700000000000;
        g_monotonic = 5000000;
        clock::overrideForTesting(fakeWall, fakeMonotonic);
    }
    void cleanup()
    {
        faults::reset();
        clock::overrideForTesting(nullptr, nullptr);
    }

    void longPollFollowsTheMonotonicClock()
    {
        Harness h;
        QCOMPARE(h.broker().store().createTopic("t", 1, 1, {}, false).error, Error::None);
        RequestSink::Outcome outcome{};
        auto fetch = fetchV4("t", {{0, 0, 1000}}, 1 << 20, 500);
        h.call(1, 4, fetch, &outcome);
        QCOMPARE(outcome, RequestSink::Outcome::Defer);
        QCOMPARE(h.broker().waitingFetches(), std::size_t(1));
        // The system clock is set back an hour: the fetch still ends 500 ms after it began.
        g_wall -= 3600 * 1000;
        g_monotonic += 499;
        h.broker().tick(g_monotonic);
        QCOMPARE(h.broker().waitingFetches(), std::size_t(1));
        g_monotonic += 1;
        h.broker().tick(g_monotonic);
        QCOMPARE(h.broker().waitingFetches(), std::size_t(0));
        // Set forward a day: a new long poll does not end early either.
        h.call(1, 4, fetch, &outcome);
        g_wall += 24 * 3600 * 1000;
        g_monotonic += 10;
        h.broker().tick(g_monotonic);
        QCOMPARE(h.broker().waitingFetches(), std::size_t(1));
    }

    void sessionsFollowTheMonotonicClock()
    {
        Harness h;
        ByteWriter join;
        join.str("g");
        join.i32(10000); // session time-out
        join.str("");    // v0: the member id is given at once
        join.str("consumer");
        join.arrayLength(1);
        join.str("range");
        join.bytes("");
        RequestSink::Outcome outcome{};
        h.call(11, 0, join, &outcome);
        QCOMPARE(outcome, RequestSink::Outcome::Defer);
        h.broker().tick(g_monotonic);
        const Group *g = h.broker().groups().find("g");
        QVERIFY(g);
        QCOMPARE(g->members.size(), std::size_t(1));
        QCOMPARE(g->state, GroupState::CompletingRebalance);
        // A day forward on the system clock: the member has not missed its session.
        g_wall += 24 * 3600 * 1000;
        g_monotonic += 100;
        h.broker().tick(g_monotonic);
        QCOMPARE(g->members.size(), std::size_t(1));
        // Ten seconds later on the monotonic clock, it has.
        g_monotonic += 10000;
        h.broker().tick(g_monotonic);
        QCOMPARE(g->members.size(), std::size_t(0));
    }

    void failedSyncIsAStorageErrorForTheClient()
    {
        Harness h;
        QCOMPARE(h.broker().store().createTopic("t", 1, 1, {{"flush.messages", "1"}}, false).error,
                 Error::None);
        auto ok = produceV3("t", 0, batchOf(2, 1000));
        QCOMPARE(produceError(h.call(0, 3, ok)), std::int16_t(0));
        faults::failSync(1, EIO);
        auto failing = produceV3("t", 0, batchOf(2, 1001));
        QCOMPARE(produceError(h.call(0, 3, failing)), code(Error::KafkaStorageError));
        auto after = produceV3("t", 0, batchOf(2, 1002));
        QCOMPARE(produceError(h.call(0, 3, after)), code(Error::KafkaStorageError));
        QCOMPARE(h.broker().store().find("t")->partitions[0]->highWatermark(), std::int64_t(2));
        QVERIFY(!h.broker().flush()); // so the stop is not recorded as a clean one
        QVERIFY(h.broker().stats().find("failed_logs=1") != std::string::npos);
    }

    void internalTopicsTakeNoClientWrites()
    {
        Harness h;
        auto produce = produceV3("__consumer_offsets", 0, batchOf(1, 1000));
        QCOMPARE(produceError(h.call(0, 3, produce)), code(Error::InvalidTopic));
        ByteWriter del;
        del.arrayLength(1);
        del.str("__consumer_offsets");
        del.arrayLength(1);
        del.i32(0);
        del.i64(-1);
        del.i32(1000);
        const auto answer = h.call(21, 0, del);
        ByteReader r(answer.data(), answer.size());
        r.i32();
        r.arrayLength();
        r.str();
        r.arrayLength();
        r.i32();
        r.i64();
        QCOMPARE(r.i16(), code(Error::InvalidTopic));
        QCOMPARE(h.broker().store().find("__consumer_offsets")->partitions[0]->highWatermark(),
                 std::int64_t(0));
    }

    void brokerFlushDefaultsShowInTopicConfigs()
    {
        BrokerOptions options;
        options.logDefaults.flushMessages = 1;
        Harness h(options);
        QCOMPARE(h.broker().store().createTopic("t", 1, 1, {}, false).error, Error::None);
        QCOMPARE(h.broker().store().find("t")->logConfig.flushMessages, std::int64_t(1));
        ByteWriter describe;
        describe.arrayLength(1);
        describe.i8(2); // topic
        describe.str("t");
        describe.arrayLength(2);
        describe.str("flush.messages");
        describe.str("flush.ms");
        describe.boolean(false);
        const auto answer = h.call(32, 1, describe);
        ByteReader r(answer.data(), answer.size());
        r.i32();
        QCOMPARE(r.arrayLength(), 1);
        QCOMPARE(r.i16(), std::int16_t(0));
        r.nullableStr();
        r.i8();
        r.str();
        QCOMPARE(r.arrayLength(), 2);
        std::map<std::string, std::pair<std::optional<std::string>, int>> seen;
        for (int i = 0; i < 2; ++i) {
            const std::string name = r.str();
            auto value = r.nullableStr();
            r.boolean();
            const int source = r.i8();
            r.boolean();
            r.arrayLength(); // no synonyms asked for
            seen[name] = {value, source};
        }
        QCOMPARE(seen["flush.messages"].first, std::optional<std::string>("1"));
        QCOMPARE(seen["flush.messages"].second, 4); // STATIC_BROKER_CONFIG
        QCOMPARE(seen["flush.ms"].first, std::optional<std::string>("9223372036854775807"));
        QCOMPARE(seen["flush.ms"].second, 5); // DEFAULT_CONFIG
    }

    // Each codec: a well-formed batch is stored as it came; one whose records do not match
    // its header, or do not decompress, or expand past the bound, moves no offset.
    void compressedBatchesAreCheckedBeforeTheyAreStored_data()
    {
        QTest::addColumn<int>("codec");
        for (int codec = Gzip; codec <= Zstd; ++codec)
            QTest::newRow(codecName(codec)) << codec;
    }

    void compressedBatchesAreCheckedBeforeTheyAreStored()
    {
        QFETCH(int, codec);
        Harness h;
        QCOMPARE(h.broker().store().createTopic("c", 1, 1, {}, false).error, Error::None);
        PartitionLog &log = *h.broker().store().find("c")->partitions[0];
        const std::string three = batchOf(3, 1000);

        // Produce v7, the first that may carry zstd, has the shape of v3.
        const std::string good = compressed(codec, three);
        auto ok = produceV3("c", 0, good);
        QCOMPARE(produceError(h.call(0, 7, ok)), std::int16_t(0));
        QCOMPARE(log.highWatermark(), std::int64_t(3));
        auto fetch = fetchV4("c", {{0, 0, 1 << 20}}, 1 << 20);
        QVERIFY(fetchedRecords(h.call(1, 4, fetch)) == good); // base offset 0: byte for byte

        auto lying = produceV3("c", 0, claiming(good, INT32_MAX - 1, INT32_MAX));
        QCOMPARE(produceError(h.call(0, 7, lying)), code(Error::InvalidRecord));
        auto corrupt = produceV3("c", 0, withRecords(three, codec, std::string(40, '\xff')));
        QCOMPARE(produceError(h.call(0, 7, corrupt)), code(Error::CorruptMessage));
        const std::string zeros(kMaxDecompressedBatchBytes + 1, '\0');
        auto bomb = produceV3("c", 0, withRecords(three, codec, compress(codec, zeros)));
        QCOMPARE(produceError(h.call(0, 7, bomb)), code(Error::MessageTooLarge));
        QCOMPARE(log.highWatermark(), std::int64_t(3));
    }

    void fetchAnswersAreCapped_data()
    {
        QTest::addColumn<std::int32_t>("requestMax"); // the request's max_bytes
        QTest::newRow("max_bytes -1") << -1;
        QTest::newRow("max_bytes INT32_MAX") << INT32_MAX;
        QTest::newRow("max_bytes 0") << 0;
    }

    void fetchAnswersAreCapped()
    {
        QFETCH(std::int32_t, requestMax);
        BrokerOptions options;
        options.fetchMaxBytes = 300 * 1024; // fetch.max.bytes
        Harness h(options);
        QCOMPARE(h.broker()
                     .store()
                     .createTopic("big", 1, 1, {{"max.message.bytes", "10000000"}}, false)
                     .error,
                 Error::None);
        for (int i = 0; i < 20; ++i) {
            auto p = produceV3("big", 0, batchOf(1, 1000 + i, 100 * 1024));
            QCOMPARE(produceError(h.call(0, 3, p)), std::int16_t(0));
        }
        auto fetch = fetchV4("big", {{0, 0, INT32_MAX}}, requestMax);
        const auto sizes = fetchedBatchSizes(h.call(1, 4, fetch));
        QCOMPARE(sizes.size(), std::size_t(1));
        QVERIFY(!sizes[0].empty()); // the first batch always comes
        const std::int32_t limit = std::max(0, std::min(requestMax, options.fetchMaxBytes));
        QVERIFY2(sum(sizes[0]) <= std::max(limit, sizes[0].front()),
                 qPrintable(QString::number(sum(sizes[0]))));
        if (limit >= 3 * 100 * 1024)
            QVERIFY(sizes[0].size() >= 2);
        else
            QCOMPARE(sizes[0].size(), std::size_t(1));
    }

    void onlyTheFirstBatchOfAnAnswerMayExceedItsLimit()
    {
        Harness h;
        QCOMPARE(h.broker()
                     .store()
                     .createTopic("wide", 3, 1, {{"max.message.bytes", "10000000"}}, false)
                     .error,
                 Error::None);
        for (int p = 0; p < 3; ++p) {
            auto produce = produceV3("wide", p, batchOf(1, 1000, 50 * 1024));
            QCOMPARE(produceError(h.call(0, 3, produce)), std::int16_t(0));
        }
        // Each partition may take 1 KB: the first one still gets its (larger) batch so the
        // consumer moves on; the others get nothing this time.
        auto fetch = fetchV4("wide", {{0, 0, 1024}, {1, 0, 1024}, {2, 0, 1024}}, 1 << 30);
        const auto sizes = fetchedBatchSizes(h.call(1, 4, fetch));
        QCOMPARE(sizes.size(), std::size_t(3));
        QCOMPARE(sizes[0].size(), std::size_t(1));
        QVERIFY(sizes[0][0] > 50 * 1024);
        QVERIFY(sizes[1].empty());
        QVERIFY(sizes[2].empty());
        // Enough room for each: every partition answers.
        auto roomy = fetchV4("wide", {{0, 0, 1 << 20}, {1, 0, 1 << 20}, {2, 0, 1 << 20}}, 1 << 30);
        for (const auto &s : fetchedBatchSizes(h.call(1, 4, roomy)))
            QCOMPARE(s.size(), std::size_t(1));
    }
};

QTEST_GUILESS_MAIN(TestBrokerRequests)
#include "tst_broker_requests.moc"
