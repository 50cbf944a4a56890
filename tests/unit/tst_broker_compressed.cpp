// Compressed record batches: checked record by record once decompressed, as Kafka's log
// layer checks them, with a bound on what they may expand to.
#include "brokercompression.h"
#include "wire/decompress.h"

#include <QTest>

using namespace periscope::broker;
using namespace periscope::broker::testdata;

Q_DECLARE_METATYPE(periscope::broker::BatchProblem)
Q_DECLARE_METATYPE(std::string)

namespace {
BatchProblem check(const std::string &b, BatchInfo *info = nullptr)
{
    std::vector<BatchInfo> out;
    const BatchProblem problem = splitBatches(b, out);
    if (info && !out.empty())
        *info = out.front();
    return problem;
}

// One record of the shape the hostile-record tests use: no key, value "x", no headers.
std::string recordWithDelta(int delta)
{
    return std::string("\x0e\0\0", 3) + char(delta * 2) + std::string("\x01\x02x\0", 4);
}

QTestData &row(int codec, const char *what)
{
    return QTest::newRow(qPrintable(
        QStringLiteral("%1: %2").arg(QLatin1String(codecName(codec)), QLatin1String(what))));
}
} // namespace

class TestBrokerCompressed : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The shapes real clients write, and the variants each format allows.
    void wellFormedBatchesPass_data()
    {
        QTest::addColumn<std::string>("batch");
        QTest::addColumn<int>("records");
        const std::string five = batchOf(5, 1000);
        const std::string records = recordsOf(five);
        const std::string head = records.substr(0, 11), tail = records.substr(11);
        for (int codec = Gzip; codec <= Zstd; ++codec)
            QTest::newRow(codecName(codec)) << compressed(codec, five) << 5;
        QTest::newRow("gzip, two members") << withRecords(five, Gzip, gzip(head) + gzip(tail)) << 5;
        QTest::newRow("snappy, one block each 16 bytes")
            << withRecords(five, Snappy, xerialSnappy(records, 16)) << 5;
        QTest::newRow("snappy, raw") << withRecords(five, Snappy, rawSnappy(records)) << 5;
        QTest::newRow("lz4, two frames")
            << withRecords(five, Lz4, lz4Frame(head) + lz4Frame(tail)) << 5;
        QTest::newRow("zstd without content size")
            << withRecords(five, Zstd, zstdFrame(records, false)) << 5;
        QTest::newRow("zstd, two frames")
            << withRecords(five, Zstd, zstdFrame(head) + zstdFrame(tail, false)) << 5;
        // Several megabytes: the output buffer grows many times on the way.
        const std::string large = batchOf(4000, 1000, 1000);
        for (int codec = Gzip; codec <= Zstd; ++codec)
            row(codec, "4 MB") << compressed(codec, large) << 4000;
    }

    void wellFormedBatchesPass()
    {
        QFETCH(std::string, batch);
        QFETCH(int, records);
        const std::string before = batch;
        BatchInfo info;
        QCOMPARE(check(batch, &info), BatchProblem::None);
        QCOMPARE(info.recordCount, records);
        QCOMPARE(info.lastOffsetDelta, records - 1);
        QCOMPARE(static_cast<std::size_t>(info.totalSize), batch.size());
        QVERIFY(batch == before);
    }

    // The records inside must be exactly those the header claims: a batch claiming 2^31 - 1
    // records would otherwise move the log end offset by as much.
    void recordsMustMatchTheirHeader_data()
    {
        QTest::addColumn<std::string>("batch");
        QTest::addColumn<BatchProblem>("problem");
        const std::string three = batchOf(3, 1000);
        const std::string records = recordsOf(three);
        const auto bad = BatchProblem::BadRecords;
        for (int codec = Gzip; codec <= Zstd; ++codec) {
            const std::string b = compressed(codec, three);
            auto made = [&](const std::string &plain) {
                return withRecords(three, codec, compress(codec, plain));
            };
            row(codec, "claims 0x7fffffff records, holds 3")
                << claiming(b, INT32_MAX - 1, INT32_MAX) << bad;
            row(codec, "claims 2, holds 3") << claiming(b, 1, 2) << bad;
            row(codec, "claims 4, holds 3") << claiming(b, 3, 4) << bad;
            row(codec, "count and last offset delta disagree")
                << claiming(b, 1, 3) << BatchProblem::BadCount;
            row(codec, "a byte after the last record") << made(records + '\0') << bad;
            row(codec, "nothing inside") << made(std::string()) << bad;
            row(codec, "offset deltas 0 2 1")
                << made(recordWithDelta(0) + recordWithDelta(2) + recordWithDelta(1)) << bad;
            row(codec, "offset deltas 1 2 3")
                << made(recordWithDelta(1) + recordWithDelta(2) + recordWithDelta(3)) << bad;
            row(codec, "record length 2^62")
                << made(
                       std::string("\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01\0\0\0\x01\x02x\0", 17))
                << bad;
            row(codec, "key length INT64_MAX")
                << made(
                       std::string("\x20\0\0\0\xfe\xff\xff\xff\xff\xff\xff\xff\xff\x01\x02x\0", 17))
                << bad;
            row(codec, "claims 3, holds 1") << claiming(made(recordWithDelta(0)), 2, 3) << bad;
        }
    }

    void recordsMustMatchTheirHeader()
    {
        QFETCH(std::string, batch);
        QFETCH(BatchProblem, problem);
        QCOMPARE(check(batch), problem);
    }

    // What does not decompress is a corrupt message, whatever its header says.
    void undecodableRecordsAreCorrupt_data()
    {
        QTest::addColumn<std::string>("batch");
        const std::string three = batchOf(3, 1000);
        for (int codec = Gzip; codec <= Zstd; ++codec) {
            const std::string packed = compress(codec, recordsOf(three));
            row(codec, "garbage") << withRecords(three, codec, std::string(40, '\xff'));
            row(codec, "last 3 bytes cut")
                << withRecords(three, codec, packed.substr(0, packed.size() - 3));
            row(codec, "not compressed") << withRecords(three, codec, recordsOf(three));
        }
    }

    void undecodableRecordsAreCorrupt()
    {
        QFETCH(std::string, batch);
        QCOMPARE(check(batch), BatchProblem::Undecodable);
    }

    void recordsPastTheBoundAreTooLarge_data()
    {
        QTest::addColumn<std::string>("batch");
        const std::string zeros(kMaxDecompressedBatchBytes + 1, '\0');
        for (int codec = Gzip; codec <= Zstd; ++codec)
            QTest::newRow(codecName(codec))
                << withRecords(batchOf(3, 1000), codec, compress(codec, zeros));
    }

    void recordsPastTheBoundAreTooLarge()
    {
        QFETCH(std::string, batch);
        QCOMPARE(check(batch), BatchProblem::TooLarge);
    }
};

QTEST_GUILESS_MAIN(TestBrokerCompressed)
#include "tst_broker_compressed.moc"
