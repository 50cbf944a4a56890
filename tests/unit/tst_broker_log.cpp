// Record batches and the partition log: validation, segments, indexes, recovery, retention.
#include "brokerbatches.h"

#include <QTemporaryDir>
#include <QTest>
#include <fstream>

using namespace periscope::broker;
using namespace periscope::broker::testdata;

Q_DECLARE_METATYPE(periscope::broker::BatchProblem)

class TestBrokerLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validBatchPasses()
    {
        const std::string b = batchOf(5, 1000);
        BatchInfo info;
        QCOMPARE(validateBatch(reinterpret_cast<const std::uint8_t *>(b.data()), b.size(), &info),
                 BatchProblem::None);
        QCOMPARE(info.recordCount, 5);
        QCOMPARE(info.lastOffsetDelta, 4);
        QCOMPARE(static_cast<std::size_t>(info.totalSize), b.size());
    }

    void badBatchesAreNamed()
    {
        std::string flipped = batchOf(3, 1000);
        flipped[flipped.size() - 1] ^= 0x55;
        std::vector<BatchInfo> out;
        QCOMPARE(splitBatches(flipped, out), BatchProblem::BadCrc);

        std::string badCount = batchOf(3, 1000);
        storeI32(reinterpret_cast<std::uint8_t *>(badCount.data()) + batch::kRecordCount, 7);
        resign(badCount);
        QCOMPARE(splitBatches(badCount, out), BatchProblem::BadCount);

        std::string oldMagic = batchOf(1, 1000);
        oldMagic[batch::kMagic] = 1;
        QCOMPARE(splitBatches(oldMagic, out), BatchProblem::BadMagic);

        const std::string whole = batchOf(2, 1000);
        QCOMPARE(splitBatches(whole.substr(0, whole.size() - 3), out), BatchProblem::Truncated);
        QCOMPARE(splitBatches(std::string(), out), BatchProblem::Truncated);
        QCOMPARE(splitBatches(std::string(80, '\xff'), out), BatchProblem::BadMagic);
        std::string garbage(80, '\xff');
        garbage[batch::kMagic] = 2; // looks current, but its length is negative
        QCOMPARE(splitBatches(garbage, out), BatchProblem::BadCount);
    }

    // Headers a hostile client can send. Each is refused (with the code Kafka's log layer
    // would give) and none overflows a signed type on the way (the UBSan build proves it).
    void hostileBatchHeaders_data()
    {
        QTest::addColumn<int>("lengthField");
        QTest::addColumn<int>("lastOffsetDelta");
        QTest::addColumn<int>("recordCount");
        QTest::addColumn<int>("attributes");
        QTest::addColumn<BatchProblem>("problem");
        const int keep = -7; // leave the field as built (3 records, no compression)
        QTest::newRow("length INT32_MAX")
            << INT32_MAX << keep << keep << keep << BatchProblem::BadCount;
        QTest::newRow("length INT32_MAX - 11")
            << INT32_MAX - 11 << keep << keep << keep << BatchProblem::BadCount;
        QTest::newRow("length INT32_MAX - 12")
            << INT32_MAX - 12 << keep << keep << keep << BatchProblem::Truncated;
        QTest::newRow("length INT32_MIN")
            << INT32_MIN << keep << keep << keep << BatchProblem::BadCount;
        QTest::newRow("delta INT32_MAX, count INT32_MIN")
            << keep << INT32_MAX << INT32_MIN << keep << BatchProblem::BadCount;
        QTest::newRow("count 0x7fffffff, 3 records present")
            << keep << INT32_MAX - 1 << INT32_MAX << keep << BatchProblem::BadRecords;
        QTest::newRow("count 2, 3 records present")
            << keep << 1 << 2 << keep << BatchProblem::BadRecords;
        QTest::newRow("count 4, 3 records present")
            << keep << 3 << 4 << keep << BatchProblem::BadRecords;
        QTest::newRow("empty batch") << keep << -1 << 0 << keep << BatchProblem::BadCount;
        QTest::newRow("negative delta and count")
            << keep << -5 << -4 << keep << BatchProblem::BadCount;
        QTest::newRow("codec 5") << keep << keep << keep << 5 << BatchProblem::BadCompression;
        QTest::newRow("codec 6") << keep << keep << keep << 6 << BatchProblem::BadCompression;
        QTest::newRow("codec 7") << keep << keep << keep << 7 << BatchProblem::BadCompression;
    }

    void hostileBatchHeaders()
    {
        QFETCH(int, lengthField);
        QFETCH(int, lastOffsetDelta);
        QFETCH(int, recordCount);
        QFETCH(int, attributes);
        QFETCH(BatchProblem, problem);
        const int keep = -7;
        std::string b = batchOf(3, 1000);
        auto *p = reinterpret_cast<std::uint8_t *>(b.data());
        if (lengthField != keep)
            storeI32(p + batch::kLength, lengthField);
        if (recordCount != keep)
            storeI32(p + batch::kRecordCount, recordCount);
        if (lastOffsetDelta != keep)
            storeI32(p + batch::kLastOffsetDelta, lastOffsetDelta);
        if (attributes != keep)
            storeI16(p + batch::kAttributes, static_cast<std::int16_t>(attributes));
        resign(b);
        std::vector<BatchInfo> out;
        QCOMPARE(splitBatches(b, out), problem);
    }

    // Records whose fields lie about their lengths, in an otherwise valid batch.
    void hostileRecords_data()
    {
        QTest::addColumn<QByteArray>("records"); // what follows the 61-byte header
        QTest::addColumn<BatchProblem>("problem");
        const auto bad = BatchProblem::BadRecords;
        // length, attributes, timestamp delta, offset delta, key, value, header count
        QTest::newRow("well formed")
            << QByteArray("\x0e\0\0\0\x01\x02x\0", 8) << BatchProblem::None;
        QTest::newRow("record length -1") << QByteArray("\x01\0\0\0\x01\x02x\0", 8) << bad;
        QTest::newRow("record length past the end")
            << QByteArray("\x7e\0\0\0\x01\x02x\0", 8) << bad;
        QTest::newRow("record length 2^62")
            << QByteArray("\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01\0\0\0\x01\x02x\0", 17) << bad;
        QTest::newRow("key length INT64_MAX")
            << QByteArray("\x20\0\0\0\xfe\xff\xff\xff\xff\xff\xff\xff\xff\x01\x02x\0", 17) << bad;
        QTest::newRow("key length -2") << QByteArray("\x0e\0\0\0\x03\x02x\0", 8) << bad;
        QTest::newRow("value runs past the record")
            << QByteArray("\x0e\0\0\0\x01\x0ax\0", 8) << bad;
        QTest::newRow("negative header count") << QByteArray("\x0e\0\0\0\x01\x02x\x01", 8) << bad;
        QTest::newRow("a byte after the last record")
            << QByteArray("\x0e\0\0\0\x01\x02x\0\0", 9) << bad;
        QTest::newRow("offset delta 1 for the first record")
            << QByteArray("\x0e\0\0\x02\x01\x02x\0", 8) << bad;
    }

    void hostileRecords()
    {
        QFETCH(QByteArray, records);
        QFETCH(BatchProblem, problem);
        std::string b = batchOf(1, 1000).substr(0, batch::kHeaderSize);
        b.append(records.constData(), static_cast<std::size_t>(records.size()));
        auto *p = reinterpret_cast<std::uint8_t *>(b.data());
        storeI32(p + batch::kLength, static_cast<std::int32_t>(b.size() - batch::kLogOverhead));
        resign(b);
        std::vector<BatchInfo> out;
        QCOMPARE(splitBatches(b, out), problem);
    }

    void hostileDeltasDoNotOverflow()
    {
        // A batch at the end of the offset and time ranges: decoding refuses or wraps, it
        // never overflows.
        std::string b = batchOf(1, 1000);
        auto *p = reinterpret_cast<std::uint8_t *>(b.data());
        storeI64(p + batch::kBaseOffset, INT64_MAX);
        storeI64(p + batch::kBaseTimestamp, INT64_MAX);
        std::vector<Record> seen;
        QVERIFY(forEachRecord(p, b.size(), [&](const Record &r) { seen.push_back(r); }));
        QCOMPARE(seen.size(), std::size_t(1));
        QCOMPARE(seen[0].offset, INT64_MAX);

        // Offset delta INT64_MAX (zigzag: 0xfe 0xff ... 0x01) and timestamp delta -2^63.
        std::string h = batchOf(1, 1000).substr(0, batch::kHeaderSize);
        h.append("\x32\0\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01\xfe\xff\xff\xff\xff\xff\xff\xff"
                 "\xff\x01\x01\x02x\0",
                 26);
        p = reinterpret_cast<std::uint8_t *>(h.data());
        storeI32(p + batch::kLength, static_cast<std::int32_t>(h.size() - batch::kLogOverhead));
        storeI64(p + batch::kBaseOffset, 10);
        storeI64(p + batch::kBaseTimestamp, -1);
        QVERIFY(!forEachRecord(p, h.size(), [](const Record &) {}));
        BatchInfo edge;
        edge.baseOffset = INT64_MAX;
        edge.lastOffsetDelta = INT32_MAX;
        QVERIFY(edge.lastOffset() < 0); // wraps, defined
    }

    void storedBatchWithAbsurdOffsetIsCut()
    {
        QTemporaryDir dir;
        {
            PartitionLog log(dir.path().toStdString());
            log.load(false);
            for (int i = 0; i < 3; ++i)
                append(log, batchOf(2, 1000 + i));
        }
        std::string bad = batchOf(2, 2000);
        storeI64(reinterpret_cast<std::uint8_t *>(bad.data()) + batch::kBaseOffset, INT64_MAX - 1);
        const auto file =
            std::filesystem::path(dir.path().toStdString()) / segmentFileName(0, ".log");
        std::ofstream(file, std::ios::app | std::ios::binary) << bad;
        PartitionLog log(dir.path().toStdString());
        log.load(false);
        QCOMPARE(log.highWatermark(), std::int64_t(6));
        QCOMPARE(log.truncatedBytes(), std::uint64_t(bad.size()));
    }

    void recordsAreDecoded()
    {
        const std::string b =
            buildBatch({{"a", "1"}, {std::nullopt, "2"}, {"c", std::nullopt}}, 1234);
        std::vector<Record> seen;
        QVERIFY(forEachRecord(reinterpret_cast<const std::uint8_t *>(b.data()), b.size(),
                              [&](const Record &r) { seen.push_back(r); }));
        QCOMPARE(seen.size(), std::size_t(3));
        QCOMPARE(*seen[0].key, std::string_view("a"));
        QVERIFY(!seen[1].key);
        QVERIFY(!seen[2].value);
        QCOMPARE(seen[2].offset, std::int64_t(2));
        QCOMPARE(seen[2].timestamp, std::int64_t(1234));
    }

    void appendAndReadAcrossSegments()
    {
        QTemporaryDir dir;
        LogConfig config;
        config.segmentBytes = 4096;
        config.indexIntervalBytes = 512;
        PartitionLog log(dir.path().toStdString());
        log.load(false);
        for (int i = 0; i < 200; ++i) {
            auto r = append(log, batchOf(3, 1000 + i), config);
            QCOMPARE(r.error, Error::None);
            QCOMPARE(r.baseOffset, std::int64_t(i) * 3);
        }
        QCOMPARE(log.highWatermark(), std::int64_t(600));
        QVERIFY(std::distance(std::filesystem::directory_iterator(dir.path().toStdString()),
                              std::filesystem::directory_iterator()) > 5 * 3); // several segments
        for (std::int64_t offset : {0, 1, 2, 3, 299, 301, 597, 599}) {
            std::vector<std::uint8_t> out;
            QCOMPARE(log.read(offset, 1, out), Error::None);
            const auto bases = baseOffsetsIn(out);
            QCOMPARE(bases.size(), std::size_t(1)); // at least one whole batch, even over the limit
            QCOMPARE(bases[0], offset - offset % 3);
        }
        // Reading on from where the last read stopped continues without gaps.
        std::int64_t next = 0;
        while (next < log.highWatermark()) {
            std::vector<std::uint8_t> out;
            QCOMPARE(log.read(next, 1000, out), Error::None);
            const auto bases = baseOffsetsIn(out);
            QVERIFY(!bases.empty());
            QCOMPARE(bases.front(), next);
            next = bases.back() + 3;
        }
        std::vector<std::uint8_t> out;
        QCOMPARE(log.read(600, 1000, out), Error::None);
        QVERIFY(out.empty());
        QCOMPARE(log.read(601, 1000, out), Error::OffsetOutOfRange);
        QCOMPARE(log.read(-1, 1000, out), Error::OffsetOutOfRange);

        // Each batch i holds three records stamped 1000 + i.
        using Hit = std::optional<TimestampHit>;
        QCOMPARE(log.offsetForTimestamp(1000), Hit(TimestampHit{0, 1000}));
        QCOMPARE(log.offsetForTimestamp(1100), Hit(TimestampHit{300, 1100}));
        QCOMPARE(log.offsetForTimestamp(1199), Hit(TimestampHit{597, 1199}));
        QCOMPARE(log.offsetForTimestamp(5000), std::nullopt);

        // Everything is there again after a reload.
        PartitionLog again(dir.path().toStdString());
        again.load(true);
        QCOMPARE(again.highWatermark(), std::int64_t(600));
        QCOMPARE(again.offsetForTimestamp(1100), Hit(TimestampHit{300, 1100}));
        out.clear();
        QCOMPARE(again.read(451, 1, out), Error::None);
        QCOMPARE(baseOffsetsIn(out).front(), std::int64_t(450));
    }

    void tornTailIsCut_data()
    {
        QTest::addColumn<int>("keep"); // bytes of a last batch that reached the disk
        QTest::newRow("header only") << 20;
        QTest::newRow("half a batch") << 60;
        QTest::newRow("all but one byte") << -1;
    }

    void tornTailIsCut()
    {
        QFETCH(int, keep);
        QTemporaryDir dir;
        {
            PartitionLog log(dir.path().toStdString());
            log.load(false);
            for (int i = 0; i < 50; ++i)
                append(log, batchOf(2, 1000 + i));
        }
        const auto file =
            std::filesystem::path(dir.path().toStdString()) / segmentFileName(0, ".log");
        const auto goodSize = std::filesystem::file_size(file);
        std::string torn = batchOf(2, 2000);
        torn.resize(keep < 0 ? torn.size() - 1 : static_cast<std::size_t>(keep));
        std::ofstream(file, std::ios::app | std::ios::binary) << torn;

        PartitionLog log(dir.path().toStdString());
        log.load(true);
        QCOMPARE(log.highWatermark(), std::int64_t(100));
        QCOMPARE(std::filesystem::file_size(file), goodSize);
        QVERIFY(log.truncatedBytes() > 0);
        QCOMPARE(append(log, batchOf(2, 3000)).baseOffset, std::int64_t(100));
    }

    void corruptTailBatchIsCut()
    {
        QTemporaryDir dir;
        {
            PartitionLog log(dir.path().toStdString());
            log.load(false);
            for (int i = 0; i < 10; ++i)
                append(log, batchOf(2, 1000 + i));
        }
        const auto file =
            std::filesystem::path(dir.path().toStdString()) / segmentFileName(0, ".log");
        const auto size = std::filesystem::file_size(file);
        {
            std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
            f.seekp(static_cast<std::streamoff>(size - 5));
            f.put('\x42'); // a flipped byte in the last batch's records
        }
        PartitionLog log(dir.path().toStdString());
        log.load(true);
        QCOMPARE(log.highWatermark(), std::int64_t(18));
    }

    void deleteRecordsMovesLogStartDurably()
    {
        QTemporaryDir dir;
        LogConfig config;
        config.segmentBytes = 2048;
        {
            PartitionLog log(dir.path().toStdString());
            log.load(false);
            for (int i = 0; i < 100; ++i)
                append(log, batchOf(1, 1000 + i), config);
            QCOMPARE(log.deleteRecordsBefore(500), Error::OffsetOutOfRange);
            QCOMPARE(log.deleteRecordsBefore(42), Error::None);
            QCOMPARE(log.logStartOffset(), std::int64_t(42));
            std::vector<std::uint8_t> out;
            QCOMPARE(log.read(41, 100, out), Error::OffsetOutOfRange);
            QCOMPARE(log.read(42, 100, out), Error::None);
        }
        PartitionLog log(dir.path().toStdString());
        log.load(false);
        QCOMPARE(log.logStartOffset(), std::int64_t(42));
        QCOMPARE(log.highWatermark(), std::int64_t(100));
        QCOMPARE(log.deleteRecordsBefore(-1), Error::None); // -1: up to the end
        QCOMPARE(log.logStartOffset(), std::int64_t(100));
    }

    void retentionDropsOldSegments()
    {
        QTemporaryDir dir;
        LogConfig config;
        config.segmentBytes = 2048;
        PartitionLog log(dir.path().toStdString());
        log.load(false);
        for (int i = 0; i < 100; ++i)
            append(log, batchOf(1, 1000 + i), config);
        const auto before = log.sizeBytes();
        config.retentionBytes = 4096;
        QVERIFY(log.applyRetention(config, 2000) > 0);
        QVERIFY(log.sizeBytes() < before);
        QVERIFY(log.sizeBytes() <= 4096 + 2048);
        QVERIFY(log.logStartOffset() > 0);
        QCOMPARE(log.highWatermark(), std::int64_t(100));

        config.retentionBytes = -1;
        config.retentionMs = 10; // everything is older than that at "now" = 1,000,000
        log.applyRetention(config, 1000000);
        QCOMPARE(log.highWatermark(), std::int64_t(100)); // the active segment stays
        std::vector<std::uint8_t> out;
        QCOMPARE(log.read(log.logStartOffset(), 100, out), Error::None);
    }

    void idempotentRetriesAreNotDuplicated()
    {
        QTemporaryDir dir;
        PartitionLog log(dir.path().toStdString());
        log.load(false);
        QCOMPARE(append(log, idempotent(batchOf(3, 1000), 77, 0)).baseOffset, std::int64_t(0));
        QCOMPARE(append(log, idempotent(batchOf(3, 1000), 77, 3)).baseOffset, std::int64_t(3));
        // The same batch again (a retry): the original offset, nothing written.
        auto retry = append(log, idempotent(batchOf(3, 1000), 77, 3));
        QCOMPARE(retry.error, Error::None);
        QCOMPARE(retry.baseOffset, std::int64_t(3));
        QCOMPARE(log.highWatermark(), std::int64_t(6));
        QCOMPARE(append(log, idempotent(batchOf(1, 1000), 77, 9)).error,
                 Error::OutOfOrderSequenceNumber);
    }

    void logAppendTimeRewritesTimestamp()
    {
        QTemporaryDir dir;
        PartitionLog log(dir.path().toStdString());
        log.load(false);
        LogConfig config;
        config.logAppendTime = true;
        auto r = append(log, batchOf(2, 5), config);
        QCOMPARE(r.logAppendTime, std::int64_t(1000));
        std::vector<std::uint8_t> out;
        log.read(0, 1000, out);
        QCOMPARE(validateBatch(out.data(), out.size(), nullptr), BatchProblem::None); // CRC redone
        std::vector<std::int64_t> stamps;
        forEachRecord(out.data(), out.size(),
                      [&](const Record &rec) { stamps.push_back(rec.timestamp); });
        QCOMPARE(stamps, (std::vector<std::int64_t>{1000, 1000}));
    }

    void emptyPartitionHasNoFiles()
    {
        QTemporaryDir dir;
        const auto path = std::filesystem::path(dir.path().toStdString()) / "7";
        PartitionLog log(path);
        log.load(true);
        QVERIFY(!std::filesystem::exists(path));
        std::vector<std::uint8_t> out;
        QCOMPARE(log.read(0, 100, out), Error::None);
        QCOMPARE(log.highWatermark(), std::int64_t(0));
        QCOMPARE(append(log, batchOf(2, 1000)).baseOffset, std::int64_t(0));
        QVERIFY(std::filesystem::exists(path / segmentFileName(0, ".log")));
    }

    void oversizedBatchRefused()
    {
        QTemporaryDir dir;
        PartitionLog log(dir.path().toStdString());
        log.load(false);
        LogConfig config;
        config.maxMessageBytes = 100;
        auto r = append(log, batchOf(5, 1000, 50), config);
        QCOMPARE(r.error, Error::MessageTooLarge);
        QCOMPARE(log.highWatermark(), std::int64_t(0));
    }
};

QTEST_GUILESS_MAIN(TestBrokerLog)
#include "tst_broker_log.moc"
